-- The latest Jobfile problem of each ref of a project: a push, a poll, a tag or a pull request whose Jobfile does not
-- compile starts no run, and this row is what it leaves (the API and the project's page show it). A later push of the
-- ref whose Jobfile compiles deletes it; so does the deletion of the ref, or of the project.
-- diagnostics: the compile's diagnostics as JSON, [{file, line, col, message, severity}].
CREATE TABLE jobfile_problems (
    project_id  BIGINT        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    git_ref     VARCHAR(500)  NOT NULL,
    commit_sha  VARCHAR(64)   NOT NULL,
    file_name   VARCHAR(40)   NOT NULL,
    found_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    diagnostics TEXT          NOT NULL,
    PRIMARY KEY (project_id, git_ref)
);
