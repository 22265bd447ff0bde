import * as api from '../api.js';
import * as events from '../events.js';
import * as session from '../session.js';
import * as router from '../router.js';
import { graphView } from '../graph-view.js';
import { h, fill, status, statusLabel, duration, since, ago, until, when, button, problem, runHref, projectHref, section, field, oneAtATime, refuseIn, pageTitle, jobTitle } from '../atoms.js';
import { openTrigger, taskNames } from './dashboard.js';
import { changeable } from '../access.js';

const STATUSES = ['', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'timedout'];
const TRIGGERS = ['', 'api', 'rerun', 'push', 'pull-request', 'webhook', 'cron', 'poll', 'upstream', 'startup', 'deploy', 'shuttle'];
const PAGE = 25;

/** A job: its graph, run history with filters, badge and the public switch. */
export async function jobPage({ project, job }) {
  const [j, publics, mayChange] = await Promise.all([api.job(project, job), api.publicProjects(), changeable()]);
  const flash = h('div', { 'aria-live': 'polite' });
  const graphBox = h('div.graph-wrap', graphView(j.graph, null).element);
  const branch = h('input', { type: 'search', placeholder: 'any branch', id: 'f-branch' });
  // named as the runs' pills name them; the value is the API's
  const state = h('select', { id: 'f-status' }, STATUSES.map(s => h('option', { value: s }, s ? statusLabel(s) : 'any status')));
  const trig = h('select', { id: 'f-trigger' }, TRIGGERS.map(s => h('option', { value: s }, s || 'any trigger')));
  const list = h('tbody');
  const pager = h('div.pager');
  // the filters and the page live in the address (#/jobs/p/j?page=2&status=failed), so a reload, a bookmark, a
  // shared link or Back from a run keeps them
  const FILTERS = [['branch', branch], ['status', state], ['trigger', trig]];
  const asked = router.current().query;
  for (const [name, input] of FILTERS) {
    const value = asked.get(name);
    if (!value) continue;
    // a value the list does not have (a mistyped link) is kept and sent, so the server's refusal says what it takes;
    // a select would drop it for "any" and list every run as if it were the filter asked for
    if (input.tagName === 'SELECT' && ![...input.options].some(o => o.value === value)) {
      input.append(h('option', { value }, `${value} (unknown)`));
    }
    input.value = value;
  }
  const filterNote = h('div.filter-note', { 'aria-live': 'polite' });
  let page = Math.max(1, Math.trunc(Number(asked.get('page'))) || 1);
  const remember = () => {
    const q = new URLSearchParams([...(page > 1 ? [['page', page]] : []),
      ...FILTERS.filter(([, input]) => input.value).map(([name, input]) => [name, input.value])]);
    history.replaceState(null, '', '#' + router.current().path + (q.size ? '?' + q : ''));
  };
  const turn = to => () => { page = to; remember(); load(); };

  const load = async () => {
    try {
      // filtered by the server, so pages and the total count only matching runs
      let r;
      try {
        r = await api.runs({ project, job, branch: branch.value, status: state.value, trigger: trig.value, page, pageSize: PAGE });
      } catch (e) {
        // a filter the server refuses, or no answer at all: said beside the filters, and no list that looks filtered
        // (the runs of the filter before would stand under the new one)
        fill(filterNote, problem(e));
        fill(list, h('tr', h('td', { colspan: 7 }, h('span.muted', e.status === 400
          ? 'No runs shown: a filter is not one the server knows.' : 'No runs shown: the server did not answer.'))));
        pager.replaceChildren();
        return;
      }
      filterNote.replaceChildren();
      const rows = r.runs;
      fill(list, rows.length ? rows.map(x => h('tr', { 'data-run': x.key },
        h('td', status(x.status)), h('td', h('a', { href: runHref(x.key) }, '#' + x.number)),
        h('td', x.branch ?? '–'), h('td', h('code', (x.commit ?? '').slice(0, 10) || '–')), h('td', x.trigger, scope(x)),
        h('td.num', duration(since(x.startedAt, x.finishedAt))), h('td', started(x))))
        // a job never run is not one whose runs a filter hides
        : h('tr', h('td', { colspan: 7 }, h('span.muted', FILTERS.some(([, input]) => input.value) ? 'No runs match.' : 'No runs yet.'))));
      const pages = Math.max(1, Math.ceil(r.total / PAGE));
      // a page past the end (runs deleted since the link was made) shows the last one
      if (page > pages) return turn(pages)();
      fill(pager, page > 1 ? button('‹ Newer', turn(page - 1), 'small newer') : null,
        h('span.muted', ` page ${page} of ${pages} `), page < pages ? button('Older ›', turn(page + 1), 'small older') : null);
    } catch (e) { fill(flash, problem(e)); }
  };
  const refilter = () => { page = 1; remember(); load(); };
  // a select reports its choice with 'change' in every browser (and its driver); the search box as it is typed
  branch.addEventListener('input', refilter);
  for (const select of [state, trig]) select.addEventListener('change', refilter);
  load();

  const badgeImg = h('img', { alt: `${job} status`, height: 20 });
  const badgeBranch = h('input', { type: 'search', id: 'badge-branch', placeholder: 'any branch' });
  const markdownBox = h('input.mono', { readonly: true, id: 'badge-md', onfocus: ev => ev.target.select() });
  const paintBadge = () => {
    const branch = badgeBranch.value.trim() || undefined;
    const url = new URL(api.badgePath(project, job, branch), location.href).href;
    markdownBox.value = `[![${job}](${url})](${location.origin}/#/jobs/${encodeURIComponent(project)}/${encodeURIComponent(job)})`;
    // the picture is read with the token: a private project's badge needs one; an older read answered late is dropped
    const mine = ++badgeReads;
    api.raw(api.badgePath(project, job, branch).replace('/api/v1', '')).then(r => r.blob()).then(async b => {
      const said = new DOMParser().parseFromString(await b.text(), 'image/svg+xml').querySelector('title')?.textContent;
      if (mine !== badgeReads) return;
      URL.revokeObjectURL(badgeImg.src);
      badgeImg.src = URL.createObjectURL(b);
      // what the picture says ("build: failing"), for those who do not see it
      badgeImg.alt = said || `${job} status`;
    }).catch(() => {});
  };
  let badgeReads = 0;
  let badgeTimer = null;
  badgeBranch.addEventListener('input', () => { clearTimeout(badgeTimer); badgeTimer = setTimeout(paintBadge, 250); });
  paintBadge();
  const isPublic = publics.includes(project);
  const role = session.current()?.user?.role;
  const publicBox = h('input', { type: 'checkbox', id: 'public', checked: isPublic, disabled: role === 'viewer',
    onchange: async ev => { try { await api.setPublic(project, ev.target.checked); } catch (e) { ev.target.checked = !ev.target.checked; fill(flash, problem(e)); } } });

  const membersBox = h('div', { id: 'members' });
  // a member's refusal shows under the list and its form, not at the top of a long page
  const membersNote = h('div', { id: 'members-note', 'aria-live': 'polite' });
  // adding and removing members send one change at a time, however often they are pressed
  const memberOnce = oneAtATime();
  const me = session.current()?.user;
  const paintMembers = async () => {
    try {
      const list = (await api.members(project)).members;
      const mayChange = role === 'admin' || (role === 'developer' && list.includes(me?.username));
      const who = h('input', { id: 'member-name', required: true, autocomplete: 'off' });
      const change = fn => memberOnce(async () => {
        try { await fn(); fill(membersNote); await paintMembers(); } catch (e) { refuseIn(form, membersNote, e); }
      });
      const form = mayChange ? h('form.inline', { id: 'member-form', onsubmit: change(() => api.addMember(project, who.value.trim())) },
        field('User name', who), h('button.btn', { type: 'submit', id: 'add-member' }, 'Add member')) : null;
      fill(membersBox, list.length ? h('ul.members', list.map(m => h('li', { 'data-member': m }, m,
        mayChange ? button('✕', change(() => api.removeMember(project, m)), 'small') : null)))
        : h('p.muted', 'No members.'),
      form);
      for (const b of membersBox.querySelectorAll('li button')) b.setAttribute('aria-label', `remove ${b.parentNode.dataset.member}`);
    } catch (e) { fill(membersBox, problem(e)); }
  };
  paintMembers();

  // the heading's status is the last run's: it changes with the runs, as the list below it and the badge do
  const lastStatus = h('span', { id: 'job-status' }, status(j.lastStatus));
  const readStatus = () => api.job(project, job).then(x => {
    fill(lastStatus, status(x.lastStatus));
    // the tab follows the last run too; only while this page is the one shown
    if (lastStatus.isConnected) document.title = pageTitle(jobTitle(project, job, x.lastStatus));
  }).catch(() => { /* the next event tries again */ });
  let reload = null;
  const unsub = events.subscribe(e => {
    if (e.type === 'reconnected' || (e.type === 'run' && e.project === project && e.job === job)) {
      reload ??= setTimeout(() => { reload = null; load(); readStatus(); paintBadge(); }, 250);
    }
  });

  const element = h('div',
    h('div.page-head', h('h1', h('a.muted', { href: projectHref(project), title: `project ${project}: its jobs and secrets` }, project), h('span.muted', ' / '), job), lastStatus,
      h('span.spacer'), mayChange(project) ? [
        button('⟳ Reload Jobfile', async () => {
          try {
            const p = await api.refreshProject(project);
            fill(flash, h('div.notice', { role: 'status' }, `Jobfile read again${p.commit ? ' at ' + p.commit.slice(0, 10) : ''}.`));
            if (p.jobs.includes(job)) graphBox.replaceChildren(graphView((await api.job(project, job)).graph, null).element);
            else fill(flash, problem({ message: `The Jobfile has no job '${job}' any more.` }));
          } catch (e) { fill(flash, problem(e)); }
        }, 'reload-jobfile'),
        button('▶ Build', () => openTrigger({ project, name: job }, flash), 'primary trigger'),
        taskNames(j.graph).length > 1
          ? button('Build some tasks…', () => openTrigger({ project, name: job }, flash, { pickTasks: true }), 'build-some') : null] : null),
    j.description ? h('p', j.description) : null, flash,
    j.schedules?.length ? section('Schedules', h('table.schedules', { id: 'schedules' },
      h('thead', h('tr', ['Trigger', 'Schedule', 'Next firing'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', j.schedules.map(s => h('tr', h('td', s.kind), h('td', h('code', s.spec),
        s.expanded && s.expanded !== s.spec ? h('span.muted', ` = ${s.expanded}`) : ''),
        // the moment in the reader's zone, named, and how far off it is: not the API's ISO text
        h('td.next-firing', s.nextFiring ? [h('time', { datetime: s.nextFiring }, when(s.nextFiring)), ' · ', until(s.nextFiring)]
          : h('span.muted', 'never (not a valid schedule)')))))),
      h('p.muted', `Schedules are read in the server's time zone, ${j.timeZone}.`)) : null,
    section('Task graph', graphBox,
      h('p.legend.muted', h('span.k.needs', '──▶'), ' needs   ', h('span.k.pipe', '╌╌▶'), ' pipe (output → input)')),
    section('Runs', h('div.filters', field('Branch', branch), field('Status', state), field('Trigger', trig)), filterNote,
      h('div.table-wrap', h('table.runs', h('thead', h('tr', ['Status', 'Run', 'Branch', 'Commit', 'Trigger', 'Duration', 'Started']
        .map(c => h('th', { scope: 'col' }, c)))), list)), pager),
    section('Badge', h('p', badgeImg), field('Branch', badgeBranch), field('Markdown', markdownBox),
      h('p', h('label', publicBox, ' Public project: anyone may read its badges without a token'))),
    section('Members', h('p.muted', `Developers who are members may build, cancel and change ${project}; admins always may. Its secrets are on `,
      h('a', { href: projectHref(project), id: 'project-link' }, 'the project\'s page'), '.'), membersBox, membersNote));
  return { element, title: jobTitle(project, job, j.lastStatus), dispose: () => { unsub(); clearTimeout(reload); clearTimeout(badgeTimer); } };
}

/** When the run started; one that never did says when it was queued (a queued run's wait is not its run). */
const started = x => x.startedAt ? ago(x.startedAt) : h('span.muted', 'queued ', ago(x.createdAt));

/** What a run was asked to run when it is not the whole job: some tasks, or a rerun's start. */
function scope(x) {
  const note = x.selectedTasks?.length ? `only ${x.selectedTasks.join(', ')}`
    : x.rerunFrom ? `from ${x.rerunFrom}` : x.rerunFailed ? 'failed tasks' : null;
  return note ? h('span.muted.asked', ` · ${note}`) : null;
}
