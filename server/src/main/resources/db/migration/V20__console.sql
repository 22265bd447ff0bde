-- the web console's own state: which projects show their badge without a token, and saved job views.
-- Numbered 20 so the other branches' migrations (V9…) can land before it without reordering.
CREATE TABLE public_projects (
    project     VARCHAR(100)  NOT NULL PRIMARY KEY
);

CREATE TABLE saved_views (
    owner       VARCHAR(64)   NOT NULL,
    name        VARCHAR(64)   NOT NULL,
    filter      VARCHAR(500)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (owner, name)
);

CREATE INDEX runs_job_recent ON runs (project, job, id);
