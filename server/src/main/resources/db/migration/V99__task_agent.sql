-- The agent an attempt of a task holds an executor slot on now (NULL while it runs on the server, waits for an
-- agent, or between attempts): every server of a cluster sees which agent is busy with which task, so removing or
-- re-pinning a busy agent is refused through any of them and each one shows the same executors.
ALTER TABLE task_states ADD COLUMN agent VARCHAR(64);
