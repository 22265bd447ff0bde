-- a project names the git credentials it fetches with; the secret itself is never stored here
ALTER TABLE projects ADD COLUMN credentials VARCHAR(100);
