-- A delivery id is remembered per webhook that sent it: a project with a webhook secret of its own is another hook on
-- the host, which delivers the same event under the same id (GitHub's X-GitHub-Delivery and GitLab's
-- X-Gitlab-Event-UUID name the event), so its key carries a suffix naming those projects (SeenDeliveries).
ALTER TABLE webhook_deliveries ALTER COLUMN delivery_id SET DATA TYPE VARCHAR(240);
