// Wires the pages to the hash routes, the login and the event stream.
import * as router from './router.js';
import * as session from './session.js';
import * as api from './api.js';
import * as events from './events.js';
import { scaffold } from './layout.js';
import { h, fill, problem, refreshAgo, button, pageTitle, UNREACHED_RETRY_MS } from './atoms.js';
import { loginPage } from './pages/login.js';
import { dashboardPage } from './pages/dashboard.js';
import { jobPage } from './pages/job.js';
import { runPage } from './pages/run.js';
import { newItemPage } from './pages/new-item.js';
import { peoplePage } from './pages/people.js';
import { managePage } from './pages/manage.js';
import { projectPage } from './pages/project.js';
import { newViewPage } from './pages/new-view.js';
import { versionsPage } from './pages/versions.js';
import { deploymentsPage } from './pages/deployments.js';

router.route('/', p => dashboardPage(p));
router.route('/views/new', () => newViewPage());
router.route('/views/:view', p => dashboardPage(p));
router.route('/projects/:project', p => projectPage(p));
router.route('/projects/:project/versions', p => versionsPage(p));
router.route('/projects/:project/deployments', p => deploymentsPage(p));
router.route('/jobs/:project/:job', p => jobPage(p));
router.route('/runs/:key', p => runPage(p));
router.route('/runs/:key/:task', p => runPage(p));
router.route('/runs/:key/:task/:line', p => runPage(p));
router.route('/new', () => newItemPage());
router.route('/people', () => peoplePage());
router.route('/manage', () => managePage());

const app = document.getElementById('app');
let dispose = null;
let shown = null;
// each navigation's number: a page that finishes loading after the person has moved on is not shown
let navigation = 0;

async function show(ev) {
  const mine = ++navigation;
  const { path, query } = router.current();
  // the menu at narrow widths covers the page: a chosen page closes it
  document.body.classList.remove('nav-open');
  // and so does a form opened over the page it leaves (Back with the Build form open): its answer would go to a page
  // no longer shown
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
  if (!session.current()) {
    events.stop();
    disposeCurrent();
    // the page to return to keeps its query: a job's filters and page are in it (#/jobs/p/j?status=failed)
    fill(app, loginPage(path === '/login' ? '/' : path + (query.size ? '?' + query : '')));
    // not the title of the page before the session ended: the tab shows the login
    document.title = pageTitle('Log in');
    // autofocus acts only as the document loads: after Log out or an ended session the user name is typed at once too
    app.querySelector('#username')?.focus();
    shown = null;
    return;
  }
  if (path === '/login') { router.go('/'); return; }
  startEvents();
  const m = router.match(path);
  // a run page switching tasks keeps its page (the graph and event subscription stay)
  if (shown?.reuse && m && shown.reuse(m.params, path)) return;
  disposeCurrent();
  if (!m) {
    fill(app, scaffold(h('div.card', { id: 'page-error' }, h('h1', 'Not found'), h('p', 'No page at ', h('code', path)))));
    document.title = pageTitle('Not found');
    return;
  }
  try {
    const page = await m.render(m.params);
    if (mine !== navigation) { try { page.dispose?.(); } catch { /* its own cleanup only */ } return; }
    shown = page;
    dispose = page.dispose;
    fill(app, scaffold(page.element));
    document.title = pageTitle(page.title);
    // a keyboard or screen-reader user starts on the new page, not on the link that led there; and everyone at its
    // top: the window kept the last page's scroll, so a page opened from a scrolled one showed without its heading
    if (ev?.type === 'hashchange') {
      document.getElementById('main')?.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
  } catch (e) {
    if (mine !== navigation) return; // the person has gone to another page meanwhile
    if (e.status === 401) { session.clear(session.endedReason() ?? session.ENDED); return show(); }
    // a link to a project, job, run or view that is not there: a page that says so, not the last page's title
    const unreached = e instanceof api.Unreachable;
    const heading = unreached ? 'The server is out of reach'
      : e.status === 404 ? 'Not found' : e.status === 403 ? 'Not allowed' : 'Something went wrong';
    fill(app, scaffold(h('div.card', { id: 'page-error' }, h('h1', heading), problem(e),
      unreached ? h('p', 'The page loads by itself once the server answers again. ', button('Try now', () => show(), 'small try-again')) : null)));
    document.title = pageTitle(heading);
    if (unreached) retryWhileUnreached(mine);
  }
}

/**
 * A page the server did not answer (stopped, restarting) is read again every few seconds until it loads or the
 * person goes elsewhere: a restart is over in seconds, and the page must not say "out of reach" after it.
 */
function retryWhileUnreached(mine) {
  const timer = setTimeout(() => { if (mine === navigation) show(); }, UNREACHED_RETRY_MS);
  dispose = () => clearTimeout(timer);
}

function disposeCurrent() {
  try { dispose?.(); } catch { /* a page's cleanup must not stop the next page */ }
  dispose = null;
  shown = null;
}

let streaming = false;
function startEvents() {
  if (streaming) return;
  streaming = true;
  events.start();
}

session.onChange(s => {
  if (!s) { streaming = false; events.stop(); show(); }
});
addEventListener('hashchange', show);
// "Skip to content" moves the focus; following its #main would be a route to no page
document.querySelector('a.skip')?.addEventListener('click', ev => {
  ev.preventDefault();
  document.getElementById('main')?.focus();
});
session.schedule(api.refresh);
setInterval(() => refreshAgo(app), 5000);
show();
