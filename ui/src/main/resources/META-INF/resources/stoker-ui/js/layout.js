// The scaffold every page sits in: a header, the left sidebar (New item, People, Manage Stoker, New View) with
// Build Executor Status under it, and the page's main area. The executor panel updates itself from events.
import * as api from './api.js';
import * as events from './events.js';
import * as session from './session.js';
import { h, runHref, status, sectionReader, agentMode } from './atoms.js';

// the shown panel's cleanup: each page draws a new panel, and the old one's poll and subscription must end with it
let stopPanel = () => {};
// the last answer, so a new page shows the panel at once instead of "loading…" until the next read
let lastExecutors = null;

export function scaffold(main) {
  const s = session.current();
  const admin = s?.user?.role === 'admin';
  const nav = h('nav.sidebar', { 'aria-label': 'main', id: 'sidebar' },
    h('ul',
      h('li', h('a', { href: '#/' }, '⌂ Dashboard')),
      s?.user?.role !== 'viewer' ? h('li', h('a', { href: '#/new' }, '+ New item')) : null,
      h('li', h('a', { href: '#/people' }, '☺ People')),
      admin ? h('li', h('a', { href: '#/manage' }, '⚙ Manage Stoker')) : null,
      h('li', h('a', { href: '#/views/new' }, '☰ New View'))),
    executorPanel());
  const header = h('header.top',
    h('button.menu', { type: 'button', 'aria-label': 'menu', 'aria-controls': 'sidebar', 'aria-expanded': 'false',
      onclick: ev => ev.currentTarget.setAttribute('aria-expanded', String(document.body.classList.toggle('nav-open'))) }, '☰'),
    h('a.brand', { href: '#/' }, h('img', { src: 'favicon.svg', alt: '', width: 20, height: 20 }), ' Stoker'),
    h('span.spacer'),
    s ? h('span.user', h('span', { title: s.user?.role }, s.user?.username ?? ''), ' ',
      // the tab forgets the session whatever the server answers; the login page says what the server did not do
      h('button.btn.small', { type: 'button', id: 'logout', onclick: async () => { await api.logout(); location.hash = '#/login'; } },
        'Log out')) : null);
  return h('div.shell', header, h('div.body', nav, h('main', { id: 'main', tabindex: -1 }, main)));
}

function executorPanel() {
  const box = h('div.executors', { id: 'executors' }, lastExecutors ? renderExecutors(lastExecutors) : h('p.muted', 'loading…'));
  const panel = h('section.exec-panel', { 'aria-labelledby': 'exec-h' }, h('h2', { id: 'exec-h' }, 'Build Executor Status'), box);
  // a server out of reach (restarting) leaves the slots as last read, says so, and reads again until it answers
  const reader = sectionReader(box, api.executors, e => { lastExecutors = e; return renderExecutors(e); });
  const load = reader.load;
  load();
  stopPanel();
  // events say when runs, tasks and agents change; a slow poll mends a stream that was down for a while
  let pending = null;
  const unsub = events.subscribe(() => { pending ??= setTimeout(() => { pending = null; load(); }, 300); });
  const timer = setInterval(() => { if (!document.body.contains(box)) stopPanel(); else load(); }, 15000);
  stopPanel = () => { clearInterval(timer); clearTimeout(pending); unsub(); reader.dispose(); };
  return panel;
}

function slots(n, tasks) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = tasks[i];
    out.push(h('li', { class: t ? 'busy' : 'idle' }, h('span.slot', `#${i + 1}`), ' ',
      t ? h('a', { href: runHref(t.run) + '/' + encodeURIComponent(t.task), title: t.run },
        t.job ? `${t.project}/${t.job} #${t.number} › ${t.task}` : `${t.run} › ${t.task}`) : h('span.muted', 'Idle')));
  }
  return h('ol.slots', out);
}

// tasks waiting for a run they triggered hold no slot: told under the slots, not in one
function waiting(tasks) {
  if (!tasks || !tasks.length) return null;
  return h('ul.waiting.muted.small', tasks.map(t => h('li', 'waits for a triggered run: ',
    h('a', { href: runHref(t.run) + '/' + encodeURIComponent(t.task), title: t.run },
      t.job ? `${t.project}/${t.job} #${t.number} › ${t.task}` : `${t.run} › ${t.task}`))));
}

// tasks waiting for an agent run nowhere yet: their log says which agents they wait for and why
function queued(tasks) {
  if (!tasks || !tasks.length) return null;
  return h('div.node-exec.queue', h('h3', 'Waiting for an agent'), h('ul.muted.small', tasks.map(t => h('li',
    h('a', { href: runHref(t.run) + '/' + encodeURIComponent(t.task), title: t.run },
      t.job ? `${t.project}/${t.job} #${t.number} › ${t.task}` : `${t.run} › ${t.task}`)))));
}

function renderExecutors(e) {
  return [
    queued(e.queue),
    h('div.node-exec', h('h3', 'Built-in', ' ', h('span.muted', `(${e.local.tasks.length}/${e.local.executors} busy)`)),
      slots(e.local.executors, e.local.tasks), waiting(e.local.waiting)),
    ...e.agents.map(a => h('div.node-exec', { 'data-agent': a.name },
      h('h3', a.name, ' ', status(a.status), ' ', a.mode ? h('span.muted.small.agent-mode', { title: agentMode(a.mode).meaning }, agentMode(a.mode).words) : null),
      a.statusReason ? h('p.muted.small', a.statusReason) : null,
      slots(a.executors, a.tasks))),
  ];
}
