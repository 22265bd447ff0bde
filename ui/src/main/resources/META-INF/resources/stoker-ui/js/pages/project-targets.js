import * as api from '../api.js';
import { h, status, ago, runHref, sectionFailed } from '../atoms.js';

const REASONS = { rollback: 'rolled back', 'auto-rollback': 'rolled back automatically' };

/**
 * The Targets section of a project's page: per deploy target the version it runs now (its last good deployment),
 * since when, by whom and the run that deployed it, and its latest attempt — good, never deployed, or a deployment
 * after the one it runs that is going or did not work, with its version, when and its run (after an automatic
 * rollback, the deployment it undid, said to be rolled back).
 */
export async function targetsBox(project) {
  const reply = await api.targets(project).catch(sectionFailed);
  if (reply instanceof Element) return reply;
  const { targets } = reply;
  if (!targets.length) {
    return h('p.muted', { id: 'project-targets-none' }, 'No deploy targets. Say in the Jobfile where versions run: ',
      h('code', "deploy('staging') { run '…' }"), '.');
  }
  return h('div.table-wrap', h('table.targets', { id: 'project-targets' },
    h('thead', h('tr', ['Target', 'Runs', 'Since', 'By', 'Run', 'Latest attempt'].map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', targets.map(t => row(t)))));
}

function row(t) {
  const c = t.current;
  return h('tr', { 'data-target': t.target, 'data-state': t.state },
    h('td', h('strong', t.target), t.declared ? null : h('small.muted', ' no longer in the Jobfile')),
    h('td', c ? h('code', c.version) : h('span.muted', 'nothing yet')),
    h('td', c ? ago(c.endedAt) : '–'),
    h('td', c ? [c.by, REASONS[c.reason] ? h('small.muted', ' ' + REASONS[c.reason]) : null] : '–'),
    h('td', c ? h('a.target-current-run', { href: runHref(c.run) }, c.run) : '–'),
    h('td', status(t.state), t.latest ? latest(t.latest, c) : null));
}

/**
 * A deployment after the one the target runs: its version, when it started or ended, by whom, and its run; or the
 * one an automatic rollback ({@code current}) undid, said to be rolled back.
 */
function latest(d, current) {
  const undone = current && current.reason === 'auto-rollback' && current.id > d.id;
  return h('small', ' ', h('code', d.version), ' ', ago(d.endedAt ?? d.startedAt), ` by ${d.by}, `,
    h('a.target-latest-run', { href: runHref(d.run) }, d.run),
    undone ? h('span.target-rolled-back', ', rolled back') : null,
    d.detail ? h('span.muted', ` — ${d.detail}`) : null);
}
