-- A task's approval gate once it opened: what was asked of whom until when, and who decided what, when and why.
-- All null for a task without a gate (or whose gate never opened).
ALTER TABLE task_states ADD COLUMN approval_question  VARCHAR(2000);
ALTER TABLE task_states ADD COLUMN approval_approvers VARCHAR(4000);
ALTER TABLE task_states ADD COLUMN approval_deadline  TIMESTAMP WITH TIME ZONE;
ALTER TABLE task_states ADD COLUMN approval_verdict   VARCHAR(16);
ALTER TABLE task_states ADD COLUMN decided_by         VARCHAR(200);
ALTER TABLE task_states ADD COLUMN decided_at         TIMESTAMP WITH TIME ZONE;
ALTER TABLE task_states ADD COLUMN decision_comment   VARCHAR(2000);
