import * as api from '../api.js';
import * as events from '../events.js';
import * as session from '../session.js';
import { graphView } from '../graph-view.js';
import { h, fill, status, duration, since, ago, button, problem, runHref, section, field } from '../atoms.js';
import { openTrigger } from './dashboard.js';

const STATUSES = ['', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'timedout'];
const TRIGGERS = ['', 'api', 'rerun', 'push', 'webhook', 'cron', 'poll', 'upstream'];
const PAGE = 25;

/** A job: its graph, run history with filters, badge and the public switch. */
export async function jobPage({ project, job }) {
  const [j, publics] = await Promise.all([api.job(project, job), api.publicProjects()]);
  const flash = h('div', { 'aria-live': 'polite' });
  const graph = graphView(j.graph, null);
  const branch = h('input', { type: 'search', placeholder: 'any branch', id: 'f-branch' });
  const state = h('select', { id: 'f-status' }, STATUSES.map(s => h('option', { value: s }, s || 'any status')));
  const trig = h('select', { id: 'f-trigger' }, TRIGGERS.map(s => h('option', { value: s }, s || 'any trigger')));
  const list = h('tbody');
  const pager = h('div.pager');
  let page = 1;

  const load = async () => {
    try {
      // filtered by the server, so pages and the total count only matching runs
      const r = await api.runs({ project, job, branch: branch.value, status: state.value, trigger: trig.value, page, pageSize: PAGE });
      const rows = r.runs;
      fill(list, rows.length ? rows.map(x => h('tr', { 'data-run': x.key },
        h('td', status(x.status)), h('td', h('a', { href: runHref(x.key) }, '#' + x.number)),
        h('td', x.branch ?? '–'), h('td', h('code', (x.commit ?? '').slice(0, 10) || '–')), h('td', x.trigger),
        h('td.num', duration(since(x.startedAt, x.finishedAt))), h('td', ago(x.createdAt))))
        : h('tr', h('td', { colspan: 7 }, h('span.muted', 'No runs match.'))));
      const pages = Math.max(1, Math.ceil(r.total / PAGE));
      fill(pager, page > 1 ? button('‹ Newer', () => { page--; load(); }, 'small') : null,
        h('span.muted', ` page ${page} of ${pages} `), page < pages ? button('Older ›', () => { page++; load(); }, 'small') : null);
    } catch (e) { fill(flash, problem(e)); }
  };
  for (const input of [branch, state, trig]) input.addEventListener('input', () => { page = 1; load(); });
  load();

  const badgeUrl = new URL(api.badgePath(project, job), location.href).href;
  const badgeImg = h('img', { alt: `${job} status`, height: 20 });
  api.raw(api.badgePath(project, job).replace('/api/v1', '')).then(r => r.blob())
    .then(b => { badgeImg.src = URL.createObjectURL(b); }).catch(() => {});
  const markdown = `[![${job}](${badgeUrl})](${location.origin}/#/jobs/${encodeURIComponent(project)}/${encodeURIComponent(job)})`;
  const isPublic = publics.includes(project);
  const role = session.current()?.user?.role;
  const publicBox = h('input', { type: 'checkbox', id: 'public', checked: isPublic, disabled: role === 'viewer',
    onchange: async ev => { try { await api.setPublic(project, ev.target.checked); } catch (e) { ev.target.checked = !ev.target.checked; fill(flash, problem(e)); } } });

  let reload = null;
  const unsub = events.subscribe(e => {
    if (e.type === 'run' && e.project === project && e.job === job) reload ??= setTimeout(() => { reload = null; load(); }, 250);
  });

  const element = h('div',
    h('div.page-head', h('h1', h('span.muted', project + ' / '), job), status(j.lastStatus),
      h('span.spacer'), role !== 'viewer' ? button('▶ Build', () => openTrigger({ project, name: job }, flash), 'primary trigger') : null),
    j.description ? h('p', j.description) : null, flash,
    section('Task graph', h('div.graph-wrap', graph.element),
      h('p.legend.muted', h('span.k.needs', '──▶'), ' needs   ', h('span.k.pipe', '╌╌▶'), ' pipe (output → input)')),
    section('Runs', h('div.filters', field('Branch', branch), field('Status', state), field('Trigger', trig)),
      h('div.table-wrap', h('table.runs', h('thead', h('tr', ['Status', 'Run', 'Branch', 'Commit', 'Trigger', 'Duration', 'Started']
        .map(c => h('th', { scope: 'col' }, c)))), list)), pager),
    section('Badge', h('p', badgeImg),
      field('Markdown', h('input.mono', { readonly: true, value: markdown, id: 'badge-md', onfocus: ev => ev.target.select() })),
      h('p', h('label', publicBox, ' Public project: anyone may read its badges without a token'))));
  return { element, title: `${project}/${job}`, dispose: () => { unsub(); clearTimeout(reload); } };
}
