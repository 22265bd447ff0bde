-- Whether a pull/merge request from a fork is built at all: its Jobfile and scripts are code from outside, and a
-- task on the server's machine can read what the server's user can. Off for every project, those of before too.
ALTER TABLE projects ADD COLUMN allow_fork_builds BOOLEAN DEFAULT FALSE NOT NULL;
