-- runs_job_recent (V20) indexes the same columns as runs_job (V1: project, job, id): every insert and status change
-- of a run kept two copies of one index. Queries use whichever is there; one stays.
DROP INDEX runs_job_recent;
