-- Build-Shuttle builds: the caller's (app id, build id) names one run, once. The app is a Stoker project of the
-- same name; the run key leads to everything else (status, log, cancel).
CREATE TABLE shuttle_builds (
    app_id   VARCHAR(100) NOT NULL,
    build_id VARCHAR(200) NOT NULL,
    run_key  VARCHAR(64)  NOT NULL,
    PRIMARY KEY (app_id, build_id)
);
