import * as api from '../api.js';
import { watchDeployments } from '../deployments-live.js';
import { h, section, status, ago, duration, since, runLink, projectHref, versionsHref } from '../atoms.js';

const SHOWN = 100;

const REASONS = { deploy: 'deployed', rollback: 'rolled back', 'auto-rollback': 'rolled back automatically' };

/**
 * A project's deployments, newest first: where, which version, how it went, who, when, and the run that did it (by its
 * number, #3, as every page names runs); live, as deployments start, end and are judged.
 */
export async function deploymentsPage({ project }) {
  const read = () => api.deployments(project, { limit: SHOWN });
  const box = h('div', { id: 'deployments' });
  const dispose = watchDeployments(project, box, await read(), read, ({ deployments }) => listed(project, deployments));
  return { title: `Deployments of ${project}`, element: h('div',
    h('div.page-head', h('h1', h('a', { href: projectHref(project) }, project), h('span.muted', ' › '), 'Deployments'),
      h('a', { href: versionsHref(project) }, 'Versions')),
    section('Deployments', box)), dispose };
}

function listed(project, deployments) {
  if (!deployments.length) return emptyDeployments(project);
  return [h('div.table-wrap', h('table.deployments', h('thead', h('tr',
    ['Environment', 'Version', 'Status', 'Who', 'When', 'Run'].map(c => h('th', { scope: 'col' }, c)))),
  h('tbody', deployments.map(d => h('tr', { 'data-deployment': d.id, 'data-state': d.state },
    h('td', h('strong', d.target)),
    h('td', h('code', d.version)),
    h('td', status(d.state), d.detail ? h('small.muted', ' ' + d.detail) : null),
    h('td', d.by, h('small.muted', ' ' + (REASONS[d.reason] ?? d.reason))),
    h('td', ago(d.startedAt), h('small.muted', ` ${duration(since(d.startedAt, d.endedAt))}`)),
    h('td', runLink(d.run, d.runNumber, 'a.deployment-run'))))))),
  deployments.length === SHOWN ? h('p.muted', `The newest ${SHOWN}; `, h('code', `stoker deployments ${project}`), ' lists more.') : null];
}

/** What to do to have a first deployment: a target in the Jobfile, and a version deployed to it. */
function emptyDeployments(project) {
  return h('div.empty', { id: 'deployments-empty' },
    h('p', 'No deployments yet. Say in the Jobfile where versions run:'),
    h('pre', "deploy('staging') {\n  run 'java -jar {file}'\n  file 'app-*.jar'\n"
      + "  healthcheck 'curl -fsS localhost:8081/health', within: 60\n}"),
    h('p', 'then deploy a published version: ', h('code', `stoker deploy ${project} VERSION --to staging`), '.'));
}
