import * as api from '../api.js';
import { h, fill, button, problem, section, status, ago, runHref, projectHref, deploymentsHref } from '../atoms.js';

const PAGE = 50;

/** A project's versions, newest first: each with the run that published it, when, its files and its archive. */
export async function versionsPage({ project }) {
  const first = await api.versions(project, { page: 1, pageSize: PAGE });
  const list = h('tbody');
  const more = h('div.pager');
  const error = h('div', { id: 'version-error', 'aria-live': 'polite' });
  let page = 1;
  const rows = versions => versions.map(v => h('tr', { 'data-version': v.version },
    h('td', h('code', v.version)),
    h('td', versionStatus(v)),
    h('td', publishedBy(v)),
    h('td', h('code', (v.commit ?? '').slice(0, 10) || '–')),
    h('td', ago(v.createdAt)),
    h('td', `${v.files} ${v.files === 1 ? 'file' : 'files'}, ${bytes(v.size)} `,
      button('⬇ .tar.gz', () => api.download(api.versionArchivePath(project, v.version), e => fill(error, problem(e)))
        .catch(e => fill(error, problem(e))), 'small version-archive'))));
  const paint = r => {
    list.append(...rows(r.versions));
    const shown = list.children.length;
    fill(more, h('span.muted', `${shown} of ${r.total} `),
      shown < r.total ? button('Older versions', async () => {
        try { paint(await api.versions(project, { page: ++page, pageSize: PAGE })); } catch (e) { fill(error, problem(e)); }
      }, 'small older') : null);
  };
  const body = first.total
    ? [h('div.table-wrap', h('table.versions', h('thead', h('tr',
        ['Version', 'Status', 'Run', 'Commit', 'Created', 'Artifacts'].map(c => h('th', { scope: 'col' }, c)))), list)),
      more, error]
    : emptyVersions();
  if (first.total) paint(first);
  return { title: `Versions of ${project}`, element: h('div',
    h('div.page-head', h('h1', h('a', { href: projectHref(project) }, project), h('span.muted', ' › '), 'Versions'),
      h('a', { href: deploymentsHref(project) }, 'Deployments')),
    section('Versions', body)) };
}

/**
 * The run that published the version, by its job and number as every page names runs ("release #2"), leading to it;
 * a run since deleted has no number, so its key stands in.
 */
function publishedBy(v) {
  return v.runNumber
    ? h('a.version-run', { href: runHref(v.run), title: v.run }, `${v.job} #${v.runNumber}`)
    : [h('a.version-run', { href: runHref(v.run), title: v.run }, v.job), ' ', h('span.muted', v.run)];
}

/** new, good or bad; a bad one names where it failed. */
function versionStatus(v) {
  return [status(v.status),
    v.failedOn?.length ? h('small.muted', ` failed on ${v.failedOn.join(', ')}`) : null];
}

/** What to do to have a first version: a job that publishes, and a run of it that succeeds. */
function emptyVersions() {
  return h('div.empty', { id: 'versions-empty' },
    h('p', 'No versions yet. A run publishes one when it succeeds and its job says ', h('code', 'publish'), ':'),
    h('pre', "job('release') {\n  publish version: '${{ outputs.build.version }}', keepLast: 10\n"
      + "  task('build') { sh './build.sh'; artifacts 'dist/**' }\n}"),
    h('p.muted', 'The version holds the files of the run\'s artifacts. Without ', h('code', 'version:'),
      ' it is the run\'s number.'));
}

/** 1536 → "1.5 KB". */
export function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
