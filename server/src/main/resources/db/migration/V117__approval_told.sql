-- Whether a task's open approval gate was told ("waits for approval" notifications): set in the transaction that
-- queues its messages, so a gate is told once whatever stops the server, and a gate that opens again after a restart
-- is told then only if a crash kept it from being told when it first opened. Gates that opened before this column
-- were told then.
ALTER TABLE task_states ADD COLUMN approval_told BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE task_states SET approval_told = TRUE WHERE approval_question IS NOT NULL;
