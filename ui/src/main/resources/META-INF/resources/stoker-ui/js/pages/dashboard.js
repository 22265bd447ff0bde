import * as api from '../api.js';
import * as events from '../events.js';
import { changeable } from '../access.js';
import { h, fill, status, health, duration, button, problem, jobHref, runHref, runLink, field, oneAtATime, refuseIn, busyRefusal } from '../atoms.js';

const PAGE = 50;
const JOBS_EVERY_MS = 10_000;

/** Every job (or a saved view's): last status, last duration, health, trigger; live over events. */
export async function dashboardPage({ view } = {}) {
  const [jobs, healthByJob, views, mayChange] = await Promise.all([api.jobs(), api.jobHealth(), api.views(), changeable()]);
  let goingByJob = await going(healthByJob);
  const current = views.find(v => v.name === view);
  // a deleted view's link must not pass off every job as the view's
  if (view && !current) throw Object.assign(new Error(`no view '${view}'`), { status: 404 });
  const filter = current?.filter?.toLowerCase() ?? '';
  const pick = all => all.filter(j => !filter || `${j.project}/${j.name}`.toLowerCase().includes(filter));
  let shownJobs = pick(jobs);
  const tabs = h('nav.tabs', { 'aria-label': 'views' },
    h('a', { href: '#/', 'aria-current': view ? null : 'page' }, 'All'),
    views.map(v => h('a', { href: '#/views/' + encodeURIComponent(v.name), 'aria-current': v.name === view ? 'page' : null }, v.name)),
    h('a.add', { href: '#/views/new', title: 'New View', 'aria-label': 'New View' }, '+'));
  const body = h('tbody');
  const flash = h('div', { 'aria-live': 'polite' });
  let page = 0;
  const more = h('div.pager');
  const rowOf = {};

  const table = h('div.table-wrap', h('table.jobs',
    h('thead', h('tr', h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Job'), h('th', { scope: 'col' }, 'Last run'),
      h('th', { scope: 'col' }, 'Duration'), h('th', { scope: 'col' }, 'Health'), h('th', { scope: 'col' }, h('span.sr', 'Build')))),
    body));
  // a view whose filter matches nothing is not a server without jobs
  const empty = filter
    ? h('div.card.empty', h('p', 'No job matches this view\'s filter ', h('code', current.filter), '.'))
    : h('div.card.empty', h('p', 'No jobs yet.'), h('p', h('a', { href: '#/new' }, 'Create a project'), ' to get started.'));
  const list = h('div');

  const render = () => {
    fill(list, shownJobs.length ? table : empty);
    const slice = shownJobs.slice(0, (page + 1) * PAGE);
    fill(body, slice.map(j => {
      const key = `${j.project}/${j.name}`;
      const s = healthByJob[key] ?? {};
      // at a phone's width the rows stack (app.css), each cell named by its data-label instead of its column's heading
      const tr = h('tr', { 'data-job': key },
        h('td.status-cell', status(s.lastStatus ?? j.lastStatus)),
        h('td.job-cell', h('a', { href: jobHref(j.project, j.name) }, h('span.muted', j.project + ' / '), j.name)),
        h('td.last-run', { 'data-label': 'Last run' }, lastRun(s, goingByJob[key])),
        h('td.num', { 'data-label': 'Duration' }, duration(s.lastDurationMillis)),
        h('td.health-cell', { 'data-label': 'Health' }, health(s.health)),
        // one Build a row: named with its job, as a screen reader's list of buttons is otherwise "Build" many times over
        // its own width: a long job name beside it would otherwise break "▶ Build" over two lines
        h('td.row-actions', mayChange(j.project) ? h('button.btn.small.trigger', { type: 'button', 'aria-label': `Build ${j.project} / ${j.name}`,
          onclick: () => openTrigger(j, flash) }, '▶ Build') : null));
      rowOf[key] = tr;
      return tr;
    }));
    fill(more, shownJobs.length > slice.length ? button(`Show more (${shownJobs.length - slice.length})`, () => { page++; render(); }) : null);
  };
  render();

  // runs send events; projects and jobs made or changed elsewhere (another tab, the CLI, a push) send none, so the
  // list of jobs is read again now and then as well
  const readJobs = async () => {
    const [all, healths] = await Promise.all([api.jobs(), api.jobHealth()]);
    goingByJob = await going(healths);
    shownJobs = pick(all);
    Object.assign(healthByJob, healths);
    render();
  };
  let reload = null;
  const unsub = events.subscribe(e => {
    if (e.type !== 'run' && e.type !== 'reconnected') return;
    reload ??= setTimeout(async () => {
      reload = null;
      try { await readJobs(); } catch { /* next event tries again */ }
    }, 250);
  });
  const poll = setInterval(() => readJobs().catch(() => { /* the next round tries again */ }), JOBS_EVERY_MS);

  const element = h('div',
    h('div.page-head', h('h1', current ? current.name : 'Dashboard'),
      current ? button('Delete view', async () => {
        if (!confirm(`Delete the view '${current.name}'? Its jobs stay; only the view goes.`)) return;
        // a refusal (the view deleted meanwhile in another tab) is said, not lost in the console
        try { await api.deleteView(current.name); location.hash = '#/'; } catch (e) { fill(flash, problem(e)); }
      }, 'small delete-view') : null),
    tabs, flash, list, more);
  return { element, title: current ? current.name : 'Dashboard', dispose: () => { unsub(); clearTimeout(reload); clearInterval(poll); } };
}

/**
 * The runs going of each job whose newest run is queued, keyed 'project/job': the health names the newest run only,
 * and a run queued behind a running one would hide that one. One read for all such jobs, none when there are none.
 */
async function going(healths) {
  if (!Object.values(healths).some(s => s.lastStatus === 'queued')) return {};
  const { runs } = await api.runs({ status: 'running', pageSize: 500 });
  const byJob = {};
  for (const r of runs) (byJob[`${r.project}/${r.job}`] ??= []).push(r);
  return byJob;
}

/** The newest run; when it is queued behind runs going, those first: "running #12, #13 queued". */
function lastRun(s, going) {
  if (!s.lastRun) return h('span.muted', '–');
  const newest = runLink(s.lastRun, s.lastNumber);
  if (s.lastStatus !== 'queued' || !going?.length) return newest;
  const older = going.slice().sort((a, b) => a.number - b.number);
  return ['running ', older.map((r, i) => [i ? ', ' : '', runLink(r.key, r.number)]), ', ', newest, ' queued'];
}

// jobs whose Build was pressed and not yet answered: a double click starts one run, not two
const opening = new Set();

/** The trigger form: one input per job parameter (string, choice, bool); without parameters it starts at once. */
export async function openTrigger(j, flash, { pickTasks = false } = {}) {
  const id = `${j.project}/${j.name}`;
  if (opening.has(id)) return;
  opening.add(id);
  try {
    const full = await api.job(j.project, j.name);
    const params = full.graph.parameters;
    const names = taskNames(full.graph);
    const picks = pickTasks && names.length > 1 ? names.map(n => h('input', { type: 'checkbox', name: 'task', value: n })) : [];
    if (!params.length && !picks.length) {
      const once = oneAtATime();
      const send = queue => start(j, {}, flash, undefined, queue).catch(e => {
        const [said, ...more] = busyRefusal(`${j.project} / ${j.name}`, e, once(() => send(true)));
        fill(flash, problem(said), ...more);
      });
      return await send(false);
    }
    const inputs = {};
    // named by its heading, which names the project too (two projects may each have a job 'build')
    const dialog = h('dialog.trigger-dialog', { 'aria-labelledby': 'trigger-title' });
    const fields = params.map(p => {
      let input;
      if (p.type === 'bool') input = h('input', { type: 'checkbox', name: p.name, checked: String(p.default) === 'true' });
      else if (p.type === 'choice') {
        input = h('select', { name: p.name }, p.choices.map(c => h('option', { value: c, selected: c === p.default }, c)));
      } else input = h('input', { name: p.name, value: p.default ?? '' });
      inputs[p.name] = input;
      return field(p.name, input, p.description);
    });
    const err = h('div');
    const submit = h('button.btn.primary', { type: 'submit', id: 'start-run' }, 'Build');
    const once = oneAtATime();
    const send = async queue => {
      const values = Object.fromEntries(params.map(p => [p.name,
        p.type === 'bool' ? String(inputs[p.name].checked) : inputs[p.name].value]));
      const tasks = picks.filter(b => b.checked).map(b => b.value);
      try { await start(j, values, flash, tasks.length ? tasks : undefined, queue); dialog.close(); } catch (e) {
        const [said, ...more] = busyRefusal(`${j.project} / ${j.name}`, e, once(() => send(true)));
        refuseIn(form, err, said, ...more);
      }
    };
    const form = h('form', { method: 'dialog', onsubmit: once(() => send(false)) }, h('h2', { id: 'trigger-title' }, `Build ${j.project} / ${j.name}`), fields,
    picks.length ? h('fieldset.task-pick', { id: 'pick-tasks' }, h('legend', 'Tasks'),
      picks.map(b => h('label', { dataset: { task: b.value } }, b, ' ', b.value)),
      h('small.muted', 'None ticked builds the whole job; the ticked ones run with the tasks they need, the others are skipped.')) : null,
    err,
    h('div.actions', submit, button('Cancel', () => dialog.close())));
    dialog.append(form);
    // closed by Build, Cancel or Escape alike: a closed dialog left behind would keep its ids in the page
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
  } catch (e) { fill(flash, problem(e)); } finally { opening.delete(id); }
}

/** The names a run's tasks are picked by: a matrix task's base name stands for all its cells. */
export const taskNames = graph => [...new Set(graph.tasks.map(t => t.matrixOf ?? t.name))];

async function start(j, parameters, flash, tasks, queue) {
  const r = await api.trigger(j.project, j.name, parameters, undefined, tasks, queue);
  // named as the job's runs are everywhere else (#number), not by the key a person cannot read
  fill(flash, h('div.notice', { role: 'status' }, 'Started ', h('a', { href: runHref(r.key), title: r.key },
    `${j.project} / ${j.name} #${r.number}`)));
  return r;
}
