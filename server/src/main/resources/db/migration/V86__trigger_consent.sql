-- The projects whose runs' trigger steps may start this project's jobs (names separated by spaces, '*' for any);
-- empty: only its own runs may.
ALTER TABLE projects ADD COLUMN triggers_from VARCHAR(4000) DEFAULT '' NOT NULL;
