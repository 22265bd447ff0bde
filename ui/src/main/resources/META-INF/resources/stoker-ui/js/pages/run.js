import * as api from '../api.js';
import * as events from '../events.js';
import { graphView } from '../graph-view.js';
import { logView } from '../log-view.js';
import { changeable } from '../access.js';
import { h, fill, status, duration, since, ago, when, size, button, problem, jobHref, projectHref, runHref, section, oneAtATime, busyRefusal, pageTitle, runTitle } from '../atoms.js';

// what a task that has made no attempt yet is doing, in place of an "attempt 0" that reads as a count gone wrong
const notStarted = t => t.status === 'waiting' ? (t.approval ? 'waiting for approval' : 'waiting')
  : t.status === 'skipped' ? 'not run' : 'not started yet';
const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'timedout', 'skipped']);
// the ends a rerun of the failed tasks starts from
const RERUN_FAILED = new Set(['failed', 'timedout', 'cancelled']);

/** A run: live graph, the selected task's log, outputs, artifacts, and the actions on it. */
export async function runPage(params) {
  const key = params.key;
  const [run, graph, mayChange] = await Promise.all([api.run(key), api.runGraph(key), changeable()]);
  // a rerun names the run it repeats by its number, as every other page names runs (its key when it is gone)
  const original = run.rerunOf ? await api.run(run.rerunOf).catch(() => null) : null;
  let current = run;
  let selected = null;
  let log = null;
  let ticker = null;
  const canAct = mayChange(run.project);
  const flash = h('div', { 'aria-live': 'polite' });
  const head = h('div.page-head');
  const facts = h('dl.facts');
  const actions = h('div.actions');
  const taskBox = h('div.task-panel', { id: 'task' });
  const artifactsBox = h('div');
  const testsBox = h('div', { id: 'tests' });
  const view = graphView(graph, task => { location.hash = runHref(key) + '/' + encodeURIComponent(task); });

  const paintRun = () => {
    const r = current;
    // a deployment's job is not one of the Jobfile's (its page would be Not found), and it is deployed again, not rerun
    const deployment = r.trigger === 'deploy';
    fill(head, h('h1', h('a', { href: deployment ? projectHref(r.project) : jobHref(r.project, r.job) },
      h('span.muted', r.project + ' / '), r.job), ' #' + r.number),
      h('span', { id: 'run-status' }, status(r.status)),
      // where its log is written and its tasks run (a run has a server only while it runs)
      r.server ? h('span.muted', { id: 'run-server', title: `server ${r.server.id}` }, ' on server ',
        r.server.address ?? r.server.id) : null);
    fill(facts,
      h('dt', 'Run'), h('dd', h('code', { id: 'run-key' }, r.key)),
      h('dt', 'Commit'), h('dd', h('code', (r.commit ?? '–').slice(0, 12)), r.branch ? ` on ${r.branch}` : '', r.tag ? [' at tag ', h('code', { id: 'run-tag' }, r.tag)] : ''),
      h('dt', 'Trigger'), h('dd', r.trigger ?? '–', r.rerunOf ? [' (rerun of ', h('a', { id: 'run-rerun-of', href: runHref(r.rerunOf), title: r.rerunOf },
        original ? '#' + original.number : r.rerunOf),
        r.rerunFrom ? ` from ${r.rerunFrom}` : '', r.rerunFailed ? ', its failed tasks' : '', ')'] : ''),
      // the user who triggered it, or whom a git host's push names; a cron or upstream run has nobody
      r.startedBy ? [h('dt', 'Started by'), h('dd', { id: 'run-started-by' }, r.startedBy)] : null,
      h('dt', 'Started'), h('dd', { id: 'run-started' }, r.startedAt ? ago(r.startedAt) : h('span.muted', 'not yet — queued ', ago(r.createdAt))),
      h('dt', 'Duration'), h('dd', { id: 'run-duration' }, duration(since(r.startedAt, r.finishedAt))),
      Object.keys(r.parameters ?? {}).length ? [h('dt', 'Parameters'),
        h('dd', h('ul.params', Object.entries(r.parameters).map(([k, v]) => h('li', h('code', k), ' = ', h('code', String(v))))))] : null,
      r.selectedTasks?.length ? [h('dt', 'Tasks'), h('dd', { id: 'run-selected-tasks' }, selection(r.selectedTasks))] : null,
      r.restartedAt ? [h('dt', 'Restarted'), h('dd', { id: 'run-restarted' }, ago(r.restartedAt),
        ' (queued again by a server restart)')] : null,
      r.cancelledBy ? [h('dt', 'Cancelled by'), h('dd', { id: 'run-cancelled-by' }, r.cancelledBy, ' ', ago(r.cancelledAt))] : null,
      // "Cancelled by" has said it already
      r.reason && !(r.cancelledBy && r.reason === 'cancelled') ? [h('dt', 'Reason'), h('dd', r.reason)] : null);
    const live = r.status === 'queued' || r.status === 'running';
    fill(actions, canAct ? [
      live ? h('button.btn.danger', { type: 'button', id: 'cancel',
        onclick: act(() => api.cancel(key)) }, '■ Cancel') : null,
      deployment ? null : button('↻ Rerun', rerun(), ''),
      // GitLab's Retry: what failed, timed out or was cancelled in the ended run, and what comes after it
      !live && !deployment && Object.values(r.tasks).some(t => RERUN_FAILED.has(t.status))
        ? h('button.btn', { type: 'button', id: 'rerun-failed', onclick: start(queue => api.rerunFailed(key, queue)) }, '↻ Rerun failed') : null,
      // only from a task the run has (a link may name one it has not)
      selected && r.tasks[selected] && !deployment ? button(`↻ Rerun from ${selected}`, rerun(selected), '') : null] : null);
    for (const [name, t] of Object.entries(r.tasks)) view.setState(name, t);
    // the tab follows the run to its end; only while this page is the one shown, not one still loading or left
    if (head.isConnected) document.title = pageTitle(runTitle(r));
  };

  // an action pressed again while the first press is on its way (a double click) is not sent again: that would start
  // a second rerun, or refuse a second decision after the first one made it
  const once = oneAtATime();
  const act = send => once(async () => { try { await send(); } catch (e) { fill(flash, problem(e)); } });
  // send(queue) starts a run and opens it; a job at its concurrency says so, with Queue it
  const start = send => once(async () => {
    const open = async queue => { location.hash = runHref((await send(queue)).key); };
    try { await open(false); } catch (e) {
      const [said, ...more] = busyRefusal(`${current.project} / ${current.job}`, e,
        once(() => open(true).catch(e2 => fill(flash, problem(e2)))));
      fill(flash, problem(said), ...more);
    }
  });
  const rerun = from => start(queue => api.rerun(key, from, queue));

  const paintTask = () => {
    if (!selected) {
      fill(taskBox, h('p.muted', 'Choose a task in the graph to see its log.'));
      return;
    }
    const t = current.tasks[selected];
    if (!t) { fill(taskBox, problem({ message: `no task '${selected}' in this run` })); return; }
    // three parts repainted apart: the gate's part stays in the page while its state is the same, because moving
    // it (even out and back in) would take the focus and caret from a comment being typed
    const head = taskBox.querySelector('.task-head')
      ?? h('div.task-head', h('div.task-title'), h('div.task-gate'), h('div.task-outputs'));
    fill(head.querySelector('.task-title'), h('h2', selected, ' ', status(t.status), t.allowedFailure
      ? [' ', h('span.allowed-failure-mark', { id: 'task-allowed-failure',
        title: 'its Jobfile says allowFailure: the run went on as after a success' }, '⚠ allowed to fail')] : null),
      h('p.muted', { id: 'task-attempt' }, t.attempts ? `attempt ${t.attempts}` : notStarted(t),
        // a task failed although its process exited 0 (its pipe writer failed, its artifacts could not be kept): the
        // reason says why, and "exit 0" beside "failed" would read as a contradiction
        t.exitCode !== null && t.exitCode !== undefined && !(t.exitCode === 0 && t.status !== 'succeeded' && t.reason)
          ? ` · exit ${t.exitCode}` : '',
        t.startedAt ? [' · ', h('span', { id: 'task-duration' }, duration(since(t.startedAt, t.finishedAt)))] : '',
        t.tests ? [' · ', h('span', { id: 'task-tests' }, testCounts(t.tests))] : '',
        // "exit code 3" says again what "exit 3" said
        t.reason && t.reason !== `exit code ${t.exitCode}` ? [' · ', h('span', { id: 'task-reason' }, t.reason)] : ''));
    const gate = head.querySelector('.task-gate');
    const box = t.approval ? approvalBox(t, gate.firstElementChild) : null;
    if (gate.firstElementChild !== box) fill(gate, box);
    fill(head.querySelector('.task-outputs'), Object.keys(t.outputs ?? {}).length ? h('details.outputs', { open: true },
      h('summary', 'Outputs'), h('dl', Object.entries(t.outputs).map(([k, v]) => [h('dt', k), h('dd', h('code', String(v)))]))) : null);
    if (!head.parentNode) taskBox.prepend(head);
    if (!log) {
      log = logView(key, selected, { live: !FINAL.has(t.status), startLine: lineParam });
      taskBox.append(log.element);
    } else if (FINAL.has(t.status)) log.ended();
  };

  /** The task's gate: the question and, while it waits, the decision form; once decided, who decided what. */
  const approvalBox = (t, shown) => {
    const a = t.approval;
    // the same gate state keeps its element, so a live update does not wipe a comment being typed
    const stamp = `${a.status}|${a.decidedAt ?? ''}|${canAct}`;
    if (shown?.dataset.stamp === stamp) return shown;
    const group = (...children) => h('div.approval', { role: 'group', 'aria-label': 'approval', dataset: { stamp } },
      h('strong', a.question), ' ', ...children);
    if (a.status !== 'waiting') {
      return group(h('span.approval-decision', a.status === 'undecided' ? 'not decided'
        : [`${a.status} by ${a.decidedBy ?? 'nobody (no decision in time)'}`, a.comment ? `: ${a.comment}` : '', ' ', ago(a.decidedAt)]));
    }
    const who = a.approvers?.length ? `Approvers: ${a.approvers.join(', ')}` : 'Anyone who may change this run decides';
    const until = a.deadline ? `; rejected if undecided by ${when(a.deadline)}` : '';
    if (!canAct) return group(h('span.muted', `${who}${until}. Waiting for a decision.`));
    const comment = h('input', { name: 'comment', id: 'approval-comment', maxlength: 2000, placeholder: 'why (optional)' });
    const decide = how => act(async () => { await how(key, selected, comment.value.trim()); reload(); });
    return group(h('span.muted', `${who}${until}.`),
      h('label', { for: 'approval-comment' }, 'Comment'), comment,
      button('Approve', decide(api.approve), 'primary approve'),
      button('Reject', decide(api.reject), 'danger reject'));
  };

  // a run opened without a task shows the task that needs a look — the one that failed, waits at its gate or
  // runs, or else the one a cancel (or a restart) stopped — and moves on with the run until the person picks a task
  let guided = !params.task;
  const notableTask = () => firstTask(graph.tasks.map(t => t.name), current.tasks, ['failed', 'timedout'], ['waiting'],
    ['starting', 'running'], ['cancelled']);
  const openNotable = () => {
    if (!guided) return;
    const task = notableTask();
    if (task && task !== selected) selectTask(task);
  };

  let lineParam = null;
  const selectTask = (task, line) => {
    lineParam = line ? Number(String(line).replace(/^L/, '')) : null;
    if (task === selected && log) { if (lineParam) log.goTo(lineParam); return; }
    log?.dispose();
    log = null;
    taskBox.replaceChildren();
    selected = task;
    view.select(task);
    paintRun();
    paintTask();
  };

  const loadArtifacts = async () => {
    try {
      const list = await api.artifacts(key);
      const items = Array.isArray(list) ? list : (list.artifacts ?? []);
      // a download that failed says so beside the list, where the person clicked, not at the top of a long page
      const errorBox = h('div.artifact-error', { role: 'alert' });
      const fetchAs = path => async ev => {
        ev?.preventDefault();
        errorBox.replaceChildren();
        const show = e => {
          fill(errorBox, problem(e));
          errorBox.scrollIntoView({ block: 'nearest' });
        };
        try { await api.download(path, show); } catch (e) { show(e); }
      };
      // each zip names its files, and each file downloads on its own, as Jenkins' artifact list does
      fill(artifactsBox, items.length ? [h('ul.artifacts', items.map(a => {
        const file = a.file ?? a.name ?? (a.url ?? '').split('/').pop();
        return h('li', h('a', { href: '#', 'data-file': file, onclick: fetchAs(api.artifactPath(key, file)) }, '⬇ ' + file),
          a.size !== undefined ? h('span.muted', { title: `${a.size} bytes` }, ` ${size(a.size)}`) : null,
          a.files?.length ? h('ul.artifact-files', a.files.map(f => h('li',
            h('a', { href: '#', 'data-path': f.path, onclick: fetchAs(api.artifactFilePath(key, file, f.path)) }, f.path),
            h('span.muted', { title: `${f.size} bytes` }, ` ${size(f.size)}`)))) : null,
          a.fileCount > (a.files?.length ?? 0)
            ? h('p.muted.artifact-more', `… and ${a.fileCount - (a.files?.length ?? 0)} more files: download the zip for all of them`) : null);
      })), button('⬇ All as tar.gz', fetchAs(api.artifactsTarPath(key)), 'small'), errorBox]
        : h('p.muted', 'No artifacts.'));
    } catch (e) { fill(artifactsBox, problem(e)); }
  };

  // what the tasks' JUnit XML reports said: counts per task, then each failed case (its detail opens on a click)
  const loadTests = async () => {
    const counted = Object.entries(current.tasks).filter(([, t]) => t.tests);
    if (!counted.length) { fill(testsBox, h('p.muted', 'No test reports.')); return; }
    try {
      const reply = await api.tests(key);
      fill(testsBox, h('ul.test-counts', counted.map(([name, t]) => h('li', { dataset: { task: name } },
        h('strong', name), ': ', testCounts(t.tests)))),
      reply.failures.length ? h('ul.test-failures', reply.failures.map(f => h('li.test-failure',
        h('details', h('summary', h('code.test-name', (f.className ? f.className + '.' : '') + f.name), ' ',
          h('span.muted', `${f.task} · ${f.kind}${f.file ? ` · ${f.file}` : ''}`), f.message ? [' — ', h('span.test-message', f.message)] : null),
        f.detail ? h('pre.test-detail', f.detail) : h('p.muted', 'No detail.'))))) : null,
      reply.notKept ? h('p.muted', `… and ${reply.notKept} more failed cases, counted but not kept`) : null);
    } catch (e) { fill(testsBox, problem(e)); }
  };

  // a task keeps its artifacts and test report when it ends, not when the run does: a run waiting at a gate for a day
  // offers what its build made meanwhile, as GitLab's jobs do. Read again each time more of its tasks have ended.
  const endedTasks = () => Object.values(current.tasks).filter(t => FINAL.has(t.status)).length;
  let endedShown = endedTasks();
  let refetch = null;
  const reload = () => {
    refetch ??= setTimeout(async () => {
      refetch = null;
      try {
        current = await api.run(key);
        paintRun();
        openNotable();
        if (selected) paintTask();
        const ended = endedTasks();
        if (ended !== endedShown || FINAL.has(current.status)) { endedShown = ended; loadArtifacts(); loadTests(); }
      } catch { /* the next event tries again */ }
    }, 200);
  };
  const unsub = events.subscribe(e => {
    // the stream was down: whatever changed meanwhile is only in a fresh read
    if (e.type === 'reconnected') { reload(); return; }
    if (e.run !== key) return;
    if (e.type === 'task' && current.tasks[e.task]) {
      const t = current.tasks[e.task];
      t.status = e.status;
      t.allowedFailure = e.allowedFailure === true;
      // starting: it waits for an agent, the event says why; a first attempt has not really started yet
      if (e.status === 'starting') {
        t.reason = e.reason ?? t.reason;
        if (e.attempt <= 1) t.startedAt = null;
      } else if (e.status === 'running') t.reason = '';
      if (e.status === 'running' && !t.startedAt) t.startedAt = e.time;
      if (FINAL.has(e.status)) t.finishedAt ??= e.time;
      view.setState(e.task, t);
    }
    if (e.type === 'run') current.status = e.status;
    reload();
  });
  // events between the first read and the subscription are not lost: read once more now
  if (!FINAL.has(current.status)) reload();
  // durations of running tasks tick, in the graph and in the open task's head alike, and so does "started … ago"
  ticker = setInterval(() => {
    for (const [name, t] of Object.entries(current.tasks)) if (t.status === 'running') view.setState(name, t);
    if (current.startedAt && !current.finishedAt) {
      const d = facts.querySelector('#run-duration');
      if (d) d.textContent = duration(since(current.startedAt, null));
    }
    const t = selected && current.tasks[selected];
    const td = taskBox.querySelector('#task-duration');
    if (t?.status === 'running' && t.startedAt && td) td.textContent = duration(since(t.startedAt, null));
    const started = facts.querySelector('#run-started');
    // a queued run keeps saying so: only its "… ago" counts on
    if (started) fill(started, current.startedAt ? ago(current.startedAt) : h('span.muted', 'not yet — queued ', ago(current.createdAt)));
  }, 1000);

  paintRun();
  loadArtifacts();
  loadTests();
  if (params.task) selectTask(params.task, params.line); else { openNotable(); if (!selected) paintTask(); }

  const element = h('div.run-page', head, flash, actions, h('div.run-grid',
    section('Task graph', h('div.graph-wrap', view.element)), section('Details', facts)),
  taskBox, section('Tests', testsBox), section('Artifacts', artifactsBox));
  return {
    element, get title() { return runTitle(current); },
    reuse(p, path) {
      if (!path.startsWith('/runs/') || p.key !== key) return false;
      if (p.task) { guided = false; selectTask(p.task, p.line); }
      // the run's own address again (Back from a task the person chose): as on opening, the task that needs a look,
      // or none when none does
      else {
        guided = true;
        const task = notableTask();
        if (task !== selected) selectTask(task);
      }
      return true;
    },
    dispose() { unsub(); clearTimeout(refetch); clearInterval(ticker); log?.dispose(); },
  };
}

/** "312 tests, 2 failed, 1 error, 5 skipped": a task's test counts, the ones that are 0 left out but the total. */
function testCounts(c) {
  return [`${c.total} ${c.total === 1 ? 'test' : 'tests'}`, c.failed ? `${c.failed} failed` : null,
    c.errors ? `${c.errors} ${c.errors === 1 ? 'error' : 'errors'}` : null, c.skipped ? `${c.skipped} skipped` : null]
    .filter(Boolean).join(', ');
}

/** "Only build, test and what they need": the tasks a run was asked for (the others were skipped). */
function selection(names) {
  return `Only ${names.join(', ')} and what ${names.length > 1 ? 'they need' : 'it needs'}`;
}

/** The first task (in the graph's order) whose status is in the first group that has one; null when none has. */
function firstTask(names, tasks, ...groups) {
  for (const group of groups) {
    const found = names.find(n => group.includes(tasks[n]?.status));
    if (found) return found;
  }
  return null;
}
