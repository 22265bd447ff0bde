// The one API client: every call the pages make to /api/v1 is a function here, so no page builds a URL.
import * as session from './session.js';

const BASE = '/api/v1';

/** An API refusal: HTTP status, the Problem's error code, message and details. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || body?.error || `HTTP ${status}`);
    this.status = status;
    this.error = body?.error;
    this.details = body?.details ?? [];
  }
}

const enc = encodeURIComponent;
const q = params => {
  const p = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return p.length ? '?' + p.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&') : '';
};

/** The server did not answer at all (stopped, restarting, the network down): said in words, not "Failed to fetch". */
export class Unreachable extends Error {
  constructor() { super('Cannot reach the Stoker server: it may be stopped or restarting, or the network is down.'); }
}

/** fetch, with a request that got no answer at all turned into {@link Unreachable}. */
async function reach(url, init) {
  try { return await fetch(url, init); } catch (e) {
    if (e instanceof TypeError) throw new Unreachable(); // fetch's only word for "no answer"
    throw e;
  }
}

let refreshing = null;

/** Trades the refresh token for new tokens (one at a time: a refresh token is single use). */
export function refresh(refreshToken = session.current()?.refreshToken) {
  refreshing ??= reach(BASE + '/token/refresh', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }),
  }).then(async r => {
    if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => null));
    return session.store(await r.json(), undefined, refresh);
  }).finally(() => { refreshing = null; });
  return refreshing;
}

/** fetch with the bearer token; one refresh and retry on a 401. */
export async function raw(path, init = {}, retried = false) {
  const s = session.current();
  const headers = { ...(init.headers ?? {}) };
  if (s) headers.authorization = 'Bearer ' + s.token;
  const r = await reach(BASE + path, { ...init, headers });
  if (r.status === 401 && s && !retried) {
    // refreshed meanwhile (by the timer or another call): retry with the new token. Refreshing again with the old,
    // already used refresh token would look like a stolen one, and the server ends the whole login
    const now = session.current();
    if (!now || now.refreshToken === s.refreshToken) {
      try { await refresh(s.refreshToken); } catch (e) {
        if (e instanceof ApiError) { session.clear(session.ENDED); throw new ApiError(401, { message: session.ENDED }); }
        throw e; // the server could not be reached: the session stays, the next call tries again
      }
    }
    return raw(path, init, true);
  }
  if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => null));
  return r;
}

async function call(method, path, body) {
  const init = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const r = await raw(path, init);
  if (r.status === 204) return null;
  const type = r.headers.get('content-type') ?? '';
  return type.includes('json') ? r.json() : r.text();
}

export const get = path => call('GET', path);

// auth
export async function login(username, password) {
  const r = await reach(BASE + '/login', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }) });
  if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => null));
  const tokens = await r.json();
  session.store(tokens, null, refresh);
  const me = await get('/me');
  return session.store(tokens, me, refresh);
}
/**
 * Logs out: ends the session on the server, and in this tab whatever the server answers, as a person who pressed
 * Log out expects (Jenkins and GitLab forget the login in the browser). When the server could not end it, the login
 * page says so: the server's side of the session then lives until it expires.
 */
export async function logout() {
  const s = session.current();
  let unended = null;
  try { if (s) await call('POST', '/logout', { refreshToken: s.refreshToken }); } catch (e) {
    // a 401: the server had ended the session already, which is what was asked
    if (e instanceof Unreachable) unended = session.LOGGED_OUT_UNREACHED;
    else if (e.status !== 401) unended = `${session.LOGGED_OUT_UNENDED} (${e.message})`;
  }
  session.clear(unended);
}
export const me = () => get('/me');

// projects and jobs
export const projects = () => get('/projects');
export const project = p => get(`/projects/${enc(p)}`);
export const createProject = spec => call('POST', '/projects', spec);
/** A partial update: the fields given change, the rest keep their values (a new `jobfile` is compiled first). */
export const updateProject = (p, spec) => call('PUT', `/projects/${enc(p)}`, spec);
export const deleteProject = p => call('DELETE', `/projects/${enc(p)}`);
export const refreshProject = p => call('POST', `/projects/${enc(p)}/refresh`);
export const members = p => get(`/projects/${enc(p)}/members`);
export const addMember = (p, user) => call('PUT', `/projects/${enc(p)}/members/${enc(user)}`);
export const removeMember = (p, user) => call('DELETE', `/projects/${enc(p)}/members/${enc(user)}`);
export const setPublic = (p, on) => call('PUT', `/projects/${enc(p)}/public`, { public: on });
export const publicProjects = () => get('/public-projects');
export const jobs = () => get('/jobs');
export const jobHealth = () => get('/jobs/health');
export const job = (p, j) => get(`/projects/${enc(p)}/jobs/${enc(j)}`);
export const badgePath = (p, j, branch) => `${BASE}/projects/${enc(p)}/jobs/${enc(j)}/badge.svg${q({ branch })}`;
export const validate = (jobfile, file) => call('POST', '/validate', { jobfile, file });

// releases
/** A page of the project's versions, newest first: {page, pageSize, total, versions}. */
export const versions = (p, params) => get(`/projects/${enc(p)}/versions${q(params ?? {})}`);
export const versionArchivePath = (p, v) => `/projects/${enc(p)}/versions/${enc(v)}/archive.tar.gz`;
/** The project's deployments, newest first: {deployments}. */
export const deployments = (p, params) => get(`/projects/${enc(p)}/deployments${q(params ?? {})}`);
/** Deploys the version to the target: the deployment, {id, target, version, run, state, …}, its run queued. */
export const deploy = (p, version, target) => call('POST', `/projects/${enc(p)}/deployments`, { version, target });
/** Deploys the target's previous good version again: the deployment, as deploy's. */
export const rollback = (p, target) => call('POST', `/projects/${enc(p)}/deployments/rollback`, { target });
/** What each deploy target of the project runs now, and its latest attempt: {targets}. */
export const targets = p => get(`/projects/${enc(p)}/targets`);

// runs
/** tasks: the task names to run with what they need; left out, the whole job runs. */
export const trigger = (p, j, parameters, ref, tasks, queue) =>
  call('POST', `/projects/${enc(p)}/jobs/${enc(j)}/runs${q({ queue: queue ? 'true' : null })}`, { parameters, ref, tasks });
export const runs = filter => get('/runs' + q(filter));
export const run = key => get(`/runs/${enc(key)}`);
export const runGraph = key => get(`/runs/${enc(key)}/graph`);
export const cancel = key => call('DELETE', `/runs/${enc(key)}`);
export const rerun = (key, from, queue) => call('POST', `/runs/${enc(key)}/rerun${q({ from, queue: queue ? 'true' : null })}`);
/** Reruns the tasks that failed, timed out or were cancelled in an ended run, and those after them. */
export const rerunFailed = (key, queue) => call('POST', `/runs/${enc(key)}/rerun${q({ queue: queue ? 'true' : null })}`, { failed: true });
/** Lines [from, from+count) counting from 0 here; the API counts from 1. */
export const logLines = (key, task, from, count) =>
  get(`/runs/${enc(key)}/tasks/${enc(task)}/log/lines${q({ from: from + 1, count })}`)
    .then(r => ({ ...r, from: r.from - 1 }));
export const logSearch = (key, task, text, limit = 1000) =>
  get(`/runs/${enc(key)}/tasks/${enc(task)}/log/search${q({ q: text, limit })}`);
export const logPath = (key, task) => `/runs/${enc(key)}/tasks/${enc(task)}/log`;
export const artifacts = key => get(`/runs/${enc(key)}/artifacts`);
export const artifactsTarPath = key => `/runs/${enc(key)}/artifacts.tar.gz`;
/** The failed and erred cases of the run's test reports: {failures: [{task, suite, className, name, kind, message, detail, file}], notKept}. */
export const tests = key => get(`/runs/${enc(key)}/tests`);
export const artifactPath = (key, file) => `/runs/${enc(key)}/artifacts/${enc(file)}`;
/** One file inside an artifact zip (its path keeps its slashes). */
export const artifactFilePath = (key, file, path) => `${artifactPath(key, file)}/${path.split('/').map(enc).join('/')}`;
export const approve = (key, task, comment) => call('POST', `/runs/${enc(key)}/tasks/${enc(task)}/approve`, comment ? { comment } : {});
export const reject = (key, task, comment) => call('POST', `/runs/${enc(key)}/tasks/${enc(task)}/reject`, comment ? { comment } : {});

// people
export const users = () => get('/users');
export const createUser = (username, password, role) => call('POST', '/users', { username, password, role });
export const setRole = (name, role) => call('PUT', `/users/${enc(name)}/role`, { role });
export const setEnabled = (name, on) => call('POST', `/users/${enc(name)}/${on ? 'enable' : 'disable'}`);
export const changePassword = (name, password, oldPassword) => call('PUT', `/users/${enc(name)}/password`, { password, oldPassword });
export const tokens = user => get('/tokens' + q({ user }));
export const createToken = (name, expiresInDays, role) => call('POST', '/tokens', { name, expiresInDays, role });
export const revokeToken = name => call('DELETE', `/tokens/${enc(name)}`);

// management
export const agents = () => get('/agents');
export const createAgent = body => call('POST', '/agents', body);
/** force: remove it even while it runs tasks (they fail), as `stoker agent remove --force` does. */
export const removeAgent = (name, force) => call('DELETE', `/agents/${enc(name)}${q({ force: force ? 'true' : undefined })}`);
/** Checks the host over SSH and stores its automatic labels; also retries a login the host refused before. */
export const installAgent = name => call('POST', `/agents/${enc(name)}/install`);
/** Pins a host key fingerprint (SHA256:…) a person checked; lifts a "host key changed" or "never matched its pin" block. */
export const pinHostKey = (name, hostKey) => call('PUT', `/agents/${enc(name)}/host-key`, { hostKey });
export const executors = () => get('/executors');
// secrets: global, or one project's own with `project`
export const secrets = scope => get('/secrets' + q(scope ?? {}));
export const createSecret = body => call('POST', '/secrets', body);
export const replaceSecret = (name, value, project) => call('PUT', `/secrets/${enc(name)}${q({ project })}`, { value });
export const deleteSecret = (name, project) => call('DELETE', `/secrets/${enc(name)}${q({ project })}`);
export const webhookSecret = () => get('/hooks/secret');
export const rotateWebhookSecret = () => call('POST', '/hooks/secret/rotate');
export const audit = (params) => get('/audit' + q(params ?? {}));
export const version = () => get('/version');
export const settings = () => get('/settings');

// saved views
export const views = () => get('/views');
export const saveView = (name, filter) => call('PUT', `/views/${enc(name)}`, { filter });
export const deleteView = name => call('DELETE', `/views/${enc(name)}`);

/**
 * Downloads an API resource as a file without holding it in the tab: the server gives a link for that one path with
 * a ticket good for a minute to start (`POST /downloads`; a plain link cannot carry the bearer token, and the pages
 * set no cookie), and the browser follows it in a hidden frame and streams the file to disk under the name the
 * server gives it. A file never loads the frame; a refusal does (a JSON answer), and is passed to `refused`.
 */
export async function download(path, refused) {
  const { url } = await call('POST', '/downloads', { path });
  const frame = Object.assign(document.createElement('iframe'), { hidden: true, title: 'download' });
  frame.className = 'download-frame';
  const gone = () => frame.remove();
  frame.addEventListener('load', () => {
    const text = frame.contentDocument?.body?.textContent ?? '';
    let body = null;
    try { body = JSON.parse(text); } catch { /* not JSON: a proxy's page, say */ }
    gone();
    // the frame shows the answer's body, not its status
    refused?.(new ApiError(0, body ?? { message: text.trim().slice(0, 200) || 'the download failed' }));
  });
  frame.src = url;
  document.body.append(frame);
  // a download under way is the browser's, not the frame's: the frame only has to live until the answer's head
  setTimeout(gone, 120_000);
}
