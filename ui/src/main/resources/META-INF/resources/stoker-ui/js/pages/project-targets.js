import * as api from '../api.js';
import { watchDeployments } from '../deployments-live.js';
import { h, fill, status, ago, runLink, sectionFailed } from '../atoms.js';
import { deployControls } from './target-deploy.js';

const REASONS = { rollback: 'rolled back', 'auto-rollback': 'rolled back automatically' };

/**
 * The Targets section of a project's page: per deploy target the version it runs now (its last good deployment),
 * since when, by whom and the run that deployed it (by its number, #3, as every page names runs), and its latest
 * attempt — good, never deployed, or a deployment after the one it runs that is going or did not work, with its
 * version, when and its run (after an automatic rollback, the deployment it undid, said to be rolled back). Live: it
 * changes as deployments start, end and are judged, with no reload. Whoever may change the project ({@code mayChange}) deploys and rolls back here. Returns
 * {element, dispose}.
 */
export async function targetsSection(project, mayChange) {
  const first = await api.targets(project).catch(sectionFailed);
  const box = h('div.targets-box');
  if (first instanceof Element) return { element: fill(box, first), dispose: () => {} };
  const declared = first.targets.filter(t => t.declared).map(t => t.target);
  const controls = mayChange && declared.length ? deployControls(project, declared) : null;
  const dispose = watchDeployments(project, box, first, () => api.targets(project),
    ({ targets }) => targetsTable(targets, controls?.rollback));
  return { element: [box, controls?.form], dispose };
}

/** The targets' table; with {@code rollback}, a target that runs a version has a Roll back. */
function targetsTable(targets, rollback) {
  if (!targets.length) {
    return h('p.muted', { id: 'project-targets-none' }, 'No deploy targets. Say in the Jobfile where versions run: ',
      h('code', "deploy('staging') { run '…' }"), '.');
  }
  return h('div.table-wrap', h('table.targets', { id: 'project-targets' },
    h('thead', h('tr', ['Target', 'Runs', 'Since', 'By', 'Run', 'Latest attempt', rollback ? 'Actions' : null]
      .filter(Boolean).map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', targets.map(t => row(t, rollback)))));
}

function row(t, rollback) {
  const c = t.current;
  return h('tr', { 'data-target': t.target, 'data-state': t.state },
    h('td', h('strong', t.target), t.declared ? null : h('small.muted', ' no longer in the Jobfile')),
    h('td', c ? h('code', c.version) : h('span.muted', 'nothing yet')),
    h('td', c ? ago(c.endedAt) : '–'),
    h('td', c ? [c.by, REASONS[c.reason] ? h('small.muted', ' ' + REASONS[c.reason]) : null] : '–'),
    h('td', c ? runLink(c.run, c.runNumber, 'a.target-current-run') : '–'),
    h('td', status(t.state), t.latest ? latest(t.latest, t.rolledBack) : null),
    rollback ? h('td', t.declared && c ? rollback(t.target) : null) : null);
}

/**
 * A deployment after the one the target runs: its version, when it started or ended, by whom, and its run; or the
 * one an automatic rollback undid ({@code rolledBack}, as the server says), said to be rolled back.
 */
function latest(d, rolledBack) {
  return h('small', ' ', h('code', d.version), ' ', ago(d.endedAt ?? d.startedAt), ` by ${d.by}, `,
    'run ', runLink(d.run, d.runNumber, 'a.target-latest-run'),
    rolledBack ? h('span.target-rolled-back', ', rolled back') : null,
    d.detail ? h('span.muted', ` — ${d.detail}`) : null);
}
