-- Whether an admin allowed this project's tasks in images to ask for --privileged, host networking or host mounts
-- (refused by default).
ALTER TABLE projects ADD COLUMN allow_host_access BOOLEAN DEFAULT FALSE NOT NULL;
