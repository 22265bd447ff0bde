-- The pull agents connected to each server of a cluster (one line per agent: its name, a tab, its labels separated
-- by commas), written with the server's heartbeat: a server leaves a queued run whose tasks ask for a pull agent it
-- does not have to a live server that has one.
ALTER TABLE servers ADD COLUMN pull_agents VARCHAR(100000);
