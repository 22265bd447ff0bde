import * as api from '../api.js';
import * as events from '../events.js';
import * as session from '../session.js';
import { actionWords, detailWords } from '../audit-words.js';
import { h, fill, status, button, problem, section, ago, field, notes, oneAtATime, runHref, projectHref, sectionFailed, sectionReader, agentMode } from '../atoms.js';

const SETTINGS = [['bind', 'Listens on'], ['port', 'Port (0: chosen at start)'], ['dataDir', 'Data directory'],
  ['database', 'Database'], ['slots', 'Executor slots'], ['containerEngine', 'Container engine'],
  ['compiler', 'Jobfile compiler'], ['jobfileCpu', 'CPU a Jobfile may use to evaluate'], ['tls', 'HTTPS'], ['webhookSecret', 'Default webhook secret'],
  ['sshTrustFirstUse', 'Trust a git host\'s ssh key on first use'], ['maxBodyBytes', 'Largest request body (bytes)'],
  ['maxTaskLogBytes', 'Largest task log (bytes)'], ['agentHeartbeat', 'Agent heartbeat'],
  ['agentLostTimeout', 'Agent counted lost after'], ['stalledRunAfter', 'Run reported stalled after'],
  ['idleTimeout', 'Idle connection closed after'], ['bodyTimeout', 'Slow request body refused after'],
  ['maxConnectionsPerAddress', 'Connections per address'], ['metricsPublic', '/metrics without a token']];

/** Manage Stoker (admins): agents (add, remove), secret names, the webhook secret, server facts, the audit log. */
export async function managePage() {
  if (session.current()?.user?.role !== 'admin') {
    return { element: h('div.card', { id: 'forbidden' }, h('h1', 'Manage Stoker'), h('p', 'This page is for admins.')), title: 'Manage Stoker' };
  }
  // each form's and list's messages show beside it: the page is long, and a box at its top is out of view
  const say = notes();
  const safe = p => p.catch(sectionFailed);
  const [agents, secrets, version, settings] = await Promise.all([
    safe(api.agents()), safe(api.secrets()), safe(api.version()), safe(api.settings())]);
  const hookBox = h('div');
  const hookNote = say.box('webhook-note');
  // the secret is read only when asked for: each read goes to the audit log, and a page view is not a read
  const guard = fn => async () => { try { paintHook(await fn()); say.done(); } catch (e) { say.refused(hookNote, e); } };
  // a new secret breaks every git host's webhook until each is given it: asked first, as Jenkins asks before it deletes
  const rotate = button('Rotate', async () => {
    if (confirm('Rotate the default webhook secret? Every git host webhook that uses it is refused until it is given the new one.')) {
      await guard(api.rotateWebhookSecret)();
    }
  }, 'small rotate-secret');
  const paintHook = s => fill(hookBox, h('p', 'Default webhook secret: ', s
    ? h('input.mono', { readonly: true, value: s.secret ?? '', size: 40, 'aria-label': 'webhook secret', onfocus: e => e.target.select() })
    : [button('Show', guard(api.webhookSecret), 'small reveal-secret'), h('span.muted.small', ' (reading it is recorded in the audit log)')]),
  s?.rotatable === false ? h('p.muted.small', 'Set by the server\'s configuration: change it there.') : rotate);
  paintHook(null);
  const value = v => typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
  const settingsBox = settings instanceof Node ? settings : [
    h('dl.settings', SETTINGS.filter(([k]) => k in settings).map(([k, label]) => [h('dt', label), h('dd', h('code', { 'data-setting': k }, value(settings[k])))])),
    h('p.muted.small', 'Read at start from the properties file (--config), STOKER_* variables and the options of ',
      h('code', 'stoker server'), '; change them there and restart.')];
  const agentsBox = h('div', { id: 'agents' });
  // what the server answered a removal: next to the table, with "Remove anyway" for a busy agent
  const agentNote = say.box('agent-note');
  const agentsReader = sectionReader(agentsBox, api.agents, list => agentTable(list, agentActions));
  const loadAgents = agentsReader.load;
  const removeAgent = (name, force) => async () => {
    const asked = force ? `Remove the agent ${name} anyway? The tasks it runs fail.`
      : `Remove the agent ${name}? Jobs that ask for it or only its labels wait until another agent has them.`;
    if (!confirm(asked)) return;
    try {
      await api.removeAgent(name, force);
      say.done(agentNote, `Agent ${name} removed.`);
      await loadAgents();
    } catch (e) {
      say.refused(agentNote, e, e.status === 409 && e.error === 'busy'
        ? button('Remove anyway', removeAgent(name, true), 'small danger force-remove-agent') : null);
    }
  };
  // Install checks the host, refreshes its automatic labels and retries a login the host refused before
  const installAgent = name => async ev => {
    ev.currentTarget.disabled = true;
    fill(agentNote, h('div.notice', { role: 'status' }, `Installing agent ${name}…`));
    try {
      const done = await api.installAgent(name);
      say.done(agentNote, `Agent ${name} installed. Labels found: `,
        done.labels.length ? h('code', done.labels.join(', ')) : 'none', '.');
    } catch (e) {
      say.refused(agentNote, e);
    }
    await loadAgents();
  };
  // a key pinned unchecked trusts whatever machine answers at that address: the question shows it and says so
  const trustHostKey = (name, fingerprint) => async () => {
    if (!confirm(`Trust the new host key of agent ${name}?\n\n${fingerprint}\n\nCheck first, on the machine itself `
      + '(ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), that this is its key. If it is not, this hands your builds '
      + 'and their secrets to an impostor.')) return;
    try {
      const a = await api.pinHostKey(name, fingerprint);
      say.done(agentNote, `Agent ${name} now trusts host key `, h('code', a.hostKey),
        ': ', status(a.status), a.statusReason ? h('small.muted', ' ' + a.statusReason) : null);
    } catch (e) {
      say.refused(agentNote, e);
    }
    await loadAgents();
  };
  const agentActions = { remove: removeAgent, install: installAgent, trust: trustHostKey };
  fill(agentsBox, agentTable(agents, agentActions));
  const secretsBox = h('div', { id: 'secrets' });
  const secretNote = say.box('secret-note');
  const secretsReader = sectionReader(secretsBox, api.secrets, list => secretList(list, say, secretNote, () => loadSecrets()));
  const loadSecrets = secretsReader.load;
  fill(secretsBox, secretList(secrets, say, secretNote, () => loadSecrets()));
  // an agent coming online, going offline or blocked arrives as an event: the table follows it
  let reread = null;
  const unsub = events.subscribe(e => {
    if (e.type !== 'agent' && e.type !== 'task' && e.type !== 'reconnected') return;
    reread ??= setTimeout(() => { reread = null; loadAgents(); }, 200);
  });
  return { title: 'Manage Stoker', dispose: () => { unsub(); clearTimeout(reread); agentsReader.dispose(); secretsReader.dispose(); }, element: h('div', h('h1', 'Manage Stoker'),
    section('Agents', agentsBox, agentNote, agentForm(loadAgents, say)),
    section('Secrets', secretsBox, secretForm(say, secretNote, () => loadSecrets()), secretNote),
    section('Webhooks', hookBox, hookNote),
    section('Settings', version instanceof Node ? version : h('p', `Stoker ${version.version}, API ${version.api}`), settingsBox),
    section('Audit log', auditLog())) };
}

/** The global secrets, each with a Delete that asks first; what the server answered shows in {@code note}. */
function secretList(secrets, say, note, reload) {
  if (secrets instanceof Node) return secrets;
  const list = secrets.secrets ?? secrets;
  if (!list.length) return h('p.muted', 'No secrets. Values are never shown here.');
  const remove = s => async () => {
    if (!confirm(`Delete the secret ${s.name}? Jobs that declare it no longer get it.`)) return;
    try { await api.deleteSecret(s.name); say.done(note, `Secret ${s.name} deleted.`); await reload(); } catch (e) { say.refused(note, e); }
  };
  return h('ul.secrets', list.map(s => h('li', { 'data-secret': s.name },
    h('code', s.name), h('span.muted', ` ${s.scope ?? ''} ${s.source ?? ''}`),
    s.projects ? h('span.muted', ` · read by ${s.projects.join(', ') || 'no project'}`) : null, ' ',
    button('Delete', remove(s), 'small delete-secret'))));
}

/**
 * Adds a global secret (a project's own: `stoker secret set NAME --project P`): its value goes to the server only,
 * from a password field, and is never shown again.
 */
function secretForm(say, note, reload) {
  // no pattern on the name: the server's refusal says what a name may hold, the browser's would not
  const name = h('input', { id: 'secret-name', name: 'name', required: true, autocomplete: 'off', maxlength: 100 });
  const value = h('input', { id: 'secret-value', name: 'value', type: 'password', required: true, autocomplete: 'new-password' });
  const readers = h('input', { id: 'secret-projects', name: 'projects', autocomplete: 'off', placeholder: 'every project' });
  const form = h('form.inline', { id: 'secret-form', onsubmit: oneAtATime()(async () => {
    const body = { name: name.value.trim(), value: value.value };
    if (readers.value.trim()) body.projects = readers.value.split(',').map(p => p.trim()).filter(Boolean);
    try {
      await api.createSecret(body);
      name.value = value.value = readers.value = '';
      say.done(note, `Secret ${body.name} saved.`);
      await reload();
    } catch (e) { say.refusedIn(form, note, e); }
  }) }, field('Name', name, 'as jobs declare it: secrets \'NAME\''), field('Value', value),
  field('Read by', readers, 'projects, comma separated; empty: every project'),
  h('button.btn', { type: 'submit' }, 'Add secret'));
  return form;
}

/**
 * The agents, each with a Remove that asks first; an SSH agent with Install, and one blocked by a changed host key
 * (or a pin that never matched) with "Trust new host key", which asks first.
 */
function agentTable(agents, { remove, install, trust }) {
  if (agents instanceof Node) return agents;
  if (!agents.length) return h('p.muted', 'No agents. Add an SSH agent below, or one with ', h('code', 'stoker agent add'), '.');
  return h('div.table-wrap', h('table',
    h('thead', h('tr', ['Agent', 'Status', 'Mode', 'Host', 'Executors', 'Labels'].map(c => h('th', { scope: 'col' }, c)),
      h('th', { scope: 'col' }, h('span.sr', 'Actions')))),
    h('tbody', agents.map(a => h('tr', { 'data-agent': a.name }, h('td', a.name),
      h('td', status(a.status), a.statusReason ? h('small.muted.reason', ' ' + a.statusReason) : null),
      h('td.agent-mode', { title: agentMode(a.mode).meaning }, agentMode(a.mode).words, a.modeReason ? h('small.muted', ' ' + a.modeReason) : null),
      h('td', a.port ? h('code', `${a.user}@${a.host}:${a.port}`) : (a.host ?? '—')),
      h('td', `${a.busy}/${a.executors} busy`), h('td', a.labels.join(', ')),
      h('td.row-actions', a.mode !== 'pull'
        ? h('button.btn.small.install-agent', { type: 'button', 'aria-label': `install ${a.name}`, onclick: install(a.name) }, 'Install') : null,
      a.offeredHostKey ? h('button.btn.small.trust-host-key', { type: 'button', 'aria-label': `trust the new host key of ${a.name}`,
        title: a.offeredHostKey, onclick: trust(a.name, a.offeredHostKey) }, 'Trust new host key') : null,
      h('button.btn.small.danger.remove-agent', { type: 'button', 'aria-label': `remove ${a.name}`, onclick: remove(a.name, false) }, 'Remove')))))));
}

/**
 * Registers an SSH agent, as `stoker agent add` does: the private key's text (typed, pasted or read from a file here)
 * goes to the server once, which stores it encrypted and never shows it again. The host key is pinned, or trusted on
 * first use when asked for. A refusal shows the server's message under the form.
 */
function agentForm(reload, say) {
  // each input's name is the API's field it fills: a refusal naming the field shows beside it, under its label
  const input = (id, attrs = {}) => h('input', { id, autocomplete: 'off', ...attrs });
  const name = input('agent-name', { name: 'name', required: true, maxlength: 64 });
  const host = input('agent-host', { name: 'host', required: true });
  const port = input('agent-port', { name: 'port', type: 'number', min: 1, max: 65535, value: 22, required: true });
  const user = input('agent-user', { name: 'user', required: true });
  const key = h('textarea.mono.concealed', { id: 'agent-key', name: 'privateKey', rows: 3, required: true, spellcheck: 'false', autocomplete: 'off',
    placeholder: '-----BEGIN OPENSSH PRIVATE KEY-----' });
  const keyFile = input('agent-key-file', { type: 'file', 'aria-label': 'private key file',
    onchange: async ev => { const f = ev.target.files[0]; if (f) key.value = await f.text(); } });
  const labels = input('agent-labels', { name: 'labels', placeholder: 'linux, docker' });
  const executors = input('agent-executors', { name: 'executors', type: 'number', min: 1, max: 64, value: 1, required: true });
  const workDir = input('agent-work-dir', { name: 'workDir', placeholder: 'stoker-agent' });
  const hostKey = input('agent-host-key', { name: 'hostKey', placeholder: 'SHA256:…', size: 50 });
  const tofu = h('input', { id: 'agent-tofu', type: 'checkbox', onchange: () => { hostKey.disabled = tofu.checked; } });
  const error = say.box('agent-form-error');
  const form = h('form.inline.tall', { id: 'agent-form', onsubmit: oneAtATime()(async () => {
    const body = { name: name.value.trim(), host: host.value.trim(), port: Number(port.value), user: user.value.trim(),
      privateKey: key.value, labels: labels.value.split(/[\s,]+/).filter(Boolean), executors: Number(executors.value) };
    if (workDir.value.trim()) body.workDir = workDir.value.trim();
    if (tofu.checked) body.trustOnFirstUse = true;
    else if (hostKey.value.trim()) body.hostKey = hostKey.value.trim();
    try {
      const a = await api.createAgent(body);
      form.reset();
      hostKey.disabled = false;
      say.done(error, `Agent ${a.name} added (${a.user}@${a.host}:${a.port}). `,
        'Install, in its row, checks it and adds its automatic labels.');
      await reload();
    } catch (e) { say.refusedIn(form, error, e); }
  }) },
  h('h3', 'Add an SSH agent'),
  field('Name', name, 'also a label jobs can ask for'), field('Host', host), field('Port', port), field('User', user, 'the login on the agent'),
  field('Private key', key, 'unencrypted, OpenSSH or PEM; stored encrypted, never shown again'), field('or read from a file', keyFile),
  field('Labels', labels, 'comma separated'), field('Executors', executors, 'tasks at once, 1..64'),
  field('Work directory', workDir, 'absolute, or relative to the login\'s home'),
  field('Host key', hostKey, 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the agent prints it'),
  h('label', tofu, ' Trust the first host key seen instead (a changed key later blocks the agent)'),
  h('button.btn', { type: 'submit', id: 'add-agent' }, 'Add agent'));
  return [form, error];
}

/** Entries per page of the audit log. */
const AUDIT_PAGE = 200;

/** The audit log, newest first, filtered by who, what and about what on the server; older entries a page at a time. */
function auditLog() {
  const actor = h('input', { type: 'search', id: 'audit-actor', placeholder: 'anyone' });
  const action = h('input', { type: 'search', id: 'audit-action', placeholder: 'e.g. login or approval.approved' });
  const target = h('input', { type: 'search', id: 'audit-target', placeholder: 'a user, project or run' });
  const body = h('tbody');
  const more = h('div.audit-more');
  // what was done in words, and the action's own name under them: the What filter takes that name
  const row = e => h('tr', { 'data-id': e.id }, h('td', ago(e.at)), h('td', e.actor),
    h('td.action', h('span.action-words', actionWords(e.action)), ' ', h('code.small.muted', e.action)),
    h('td', about(e)), h('td.detail', detail(e.detail)));
  let shown = 0; // which filter's pages are on screen: an answer for filters since changed is dropped
  // before: the id the page starts below (the last entry shown), or undefined for the newest page
  const load = async before => {
    const mine = before === undefined ? ++shown : shown;
    fill(more);
    try {
      const entries = await api.audit({ limit: AUDIT_PAGE, actor: actor.value.trim(), action: action.value.trim(),
        target: target.value.trim(), before });
      if (mine !== shown) return;
      if (before !== undefined) body.append(...entries.map(row));
      else fill(body, entries.length ? entries.map(row)
        : h('tr', h('td', { colspan: 5 }, h('span.muted', 'No entries match.'))));
      // a full page may have more below it; the button says so only then
      if (entries.length === AUDIT_PAGE) {
        fill(more, button('Older entries', () => load(entries.at(-1).id), 'small older-entries'));
      }
    } catch (e) {
      if (mine !== shown) return;
      if (before !== undefined) fill(more, problem(e)); else fill(body, h('tr', h('td', { colspan: 5 }, problem(e))));
    }
  };
  let timer = null;
  for (const input of [actor, action, target]) input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => load(), 250); });
  load();
  return [h('div.filters', field('Who', actor), field('What', action), field('About', target)), h('div.table-wrap', h('table.audit',
    h('thead', h('tr', ['When', 'Who', 'What', 'Target', 'Detail'].map(c => h('th', { scope: 'col' }, c)))), body)), more];
}

/**
 * What an entry is about, a link where that has a page: a run (its key, or key/task of an approval) and a project
 * (member.* name project/user); a run's key alone says nothing a person can read.
 */
function about(e) {
  if (!e.target) return '';
  const [first, rest] = [e.target.split('/')[0], e.target.split('/').slice(1).join('/')];
  if (e.action.startsWith('run.') || e.action.startsWith('approval.')) {
    const what = e.detail?.project && e.detail?.job ? `a run of ${e.detail.project}/${e.detail.job}` : 'the run';
    return h('a', { href: runHref(first) + (rest ? '/' + encodeURIComponent(rest) : ''), title: what }, e.target);
  }
  if ((e.action.startsWith('project.') && e.action !== 'project.deleted') || e.action.startsWith('member.')) {
    return [h('a', { href: projectHref(first) }, first), rest ? '/' + rest : ''];
  }
  return e.target;
}

/** An entry's detail as "label: value" pairs in words, each with the API's name for it in its title. */
const detail = d => detailWords(d).map(({ key, label, text }, i) => [i ? ' · ' : null,
  h('span.detail-pair', { title: key, 'data-key': key }, h('span.muted', label + ': '), text)]);
