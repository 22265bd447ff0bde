// Keeps what a page shows of a project's deployments (its Targets, its Deployments) as the server has it, over the
// one event stream: a deployment is a run of the project's job `deploy-TARGET` (the server's DeployJobs.jobName),
// and the server's verdict on it (good, bad, rolled back) is an event of its own, `deployment`.
import * as events from './events.js';
import { fill, sectionReader } from './atoms.js';

const DEPLOY_JOB = 'deploy-';
/** A burst of events (a deployment queued and started at once) is one read. */
const SETTLE_MS = 250;

/**
 * Whether event {@code e} changes what {@code project}'s deployments show: a deployment run of it queued, started or
 * ended, the server's verdict on one of its deployments (sent once the verdict and any automatic rollback are
 * saved), or the stream back after a drop (events may have been missed).
 */
export function changesDeployments(project, e) {
  if (e.type === 'reconnected') return true;
  if (e.project !== project) return false;
  return e.type === 'deployment' || (e.type === 'run' && e.job?.startsWith(DEPLOY_JOB) === true);
}

/**
 * Paints {@code first} (read() 's answer) into {@code box} with {@code paint}, and read() 's next answer whenever
 * {@link changesDeployments} says an event changed it. Returns the function that stops it all.
 */
export function watchDeployments(project, box, first, read, paint) {
  let settle = null;
  const reader = sectionReader(box, read, paint);
  fill(box, paint(first));
  const unsub = events.subscribe(e => {
    if (!changesDeployments(project, e)) return;
    settle ??= setTimeout(() => { settle = null; reader.load(); }, SETTLE_MS);
  });
  return () => { unsub(); clearTimeout(settle); reader.dispose(); };
}
