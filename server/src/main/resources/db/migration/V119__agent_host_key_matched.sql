-- whether the pinned host key was ever the one the agent's host showed: a mismatch then reads "changed", else the
-- pin was wrong from the start. Agents installed before this knew it matched then (an install connects with the pin).
ALTER TABLE agents ADD COLUMN host_key_matched BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE agents SET host_key_matched = TRUE WHERE installed_at IS NOT NULL;
