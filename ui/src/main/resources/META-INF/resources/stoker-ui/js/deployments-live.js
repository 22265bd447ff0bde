// Keeps what a page shows of a project's deployments (its Targets, its Deployments) as the server has it, over the
// one event stream: a deployment is a run of the project's job `deploy-TARGET` (the server's DeployJobs.jobName).
import * as events from './events.js';
import { fill, sectionReader } from './atoms.js';

const DEPLOY_JOB = 'deploy-';
const RUN_ENDED = new Set(['succeeded', 'failed', 'cancelled', 'timedout']);
/** A burst of events (a deployment queued and started at once) is one read. */
const SETTLE_MS = 250;
/** How many times a deployment whose run has ended is read again while the server's verdict on it is not in. */
const VERDICT_READS = 6;

/**
 * Paints {@code first} (read() 's answer) into {@code box}, and read() 's next answer whenever a deployment run of
 * {@code project} is queued, starts or ends, and after the stream was down. The server judges a deployment (good,
 * bad, rolled back) just after its run's end is told, so while an answer shows going a deployment whose run was told
 * ended ({@code going(answer)}: the runs of the deployments it shows going), it is read again, with growing pauses,
 * until the verdict is in. Returns the function that stops it all.
 */
export function watchDeployments(project, box, first, read, paint, going) {
  const ended = new Set();
  let verdictReads = 0;
  let again = null;
  let settle = null;
  const shown = answer => {
    const runs = going(answer);
    for (const run of ended) if (!runs.includes(run)) ended.delete(run);
    clearTimeout(again);
    if (!runs.some(run => ended.has(run))) verdictReads = 0;
    else if (verdictReads < VERDICT_READS) again = setTimeout(reader.load, SETTLE_MS << verdictReads++);
    return paint(answer);
  };
  const reader = sectionReader(box, read, shown);
  fill(box, shown(first));
  const unsub = events.subscribe(e => {
    const deployment = e.type === 'run' && e.project === project && e.job?.startsWith(DEPLOY_JOB);
    if (!deployment && e.type !== 'reconnected') return;
    if (deployment && RUN_ENDED.has(e.status)) ended.add(e.run);
    settle ??= setTimeout(() => { settle = null; reader.load(); }, SETTLE_MS);
  });
  return () => { unsub(); clearTimeout(settle); clearTimeout(again); reader.dispose(); };
}
