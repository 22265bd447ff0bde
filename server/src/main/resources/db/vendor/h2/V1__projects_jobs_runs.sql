-- Projects: a git URL and branch, or a stored ("freestyle") Jobfile.
CREATE TABLE projects (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    name         VARCHAR(100)  NOT NULL UNIQUE,
    git_url      VARCHAR(2000),
    branch       VARCHAR(255),
    jobfile      CLOB,
    jobfile_name VARCHAR(255)  NOT NULL,
    commit_sha   VARCHAR(64),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Jobs as last compiled from their project's Jobfile: the model as JSON and the commit it came from.
CREATE TABLE jobs (
    project_id    BIGINT       NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name          VARCHAR(200) NOT NULL,
    position      INT          NOT NULL,
    model         CLOB         NOT NULL,
    source_commit VARCHAR(64),
    PRIMARY KEY (project_id, name)
);

-- Runs keep project and job by name and their own copy of the compiled job, so history and reruns survive
-- a project being changed or deleted.
CREATE TABLE runs (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_key     VARCHAR(40)   NOT NULL UNIQUE,
    project     VARCHAR(100)  NOT NULL,
    job         VARCHAR(200)  NOT NULL,
    number      BIGINT        NOT NULL,
    trigger_kind VARCHAR(20)  NOT NULL,
    git_url     VARCHAR(2000),
    commit_sha  VARCHAR(64),
    branch      VARCHAR(255),
    parameters  CLOB          NOT NULL,
    metadata    CLOB,
    model       CLOB          NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    reason      VARCHAR(2000) NOT NULL DEFAULT '',
    rerun_of    VARCHAR(40),
    rerun_from  VARCHAR(300),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE,
    UNIQUE (project, job, number)
);
CREATE INDEX runs_status ON runs (status, id);
CREATE INDEX runs_job ON runs (project, job, id);

CREATE TABLE task_states (
    run_id        BIGINT        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name          VARCHAR(300)  NOT NULL,
    position      INT           NOT NULL,
    status        VARCHAR(16)   NOT NULL,
    exit_code     INT,
    attempts      INT           NOT NULL DEFAULT 0,
    outputs       CLOB          NOT NULL DEFAULT '{}',
    reason        VARCHAR(2000) NOT NULL DEFAULT '',
    log_path      VARCHAR(2000),
    artifact_path VARCHAR(2000),
    started_at    TIMESTAMP WITH TIME ZONE,
    finished_at   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (run_id, name)
);
