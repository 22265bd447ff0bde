import * as api from '../api.js';
import * as session from '../session.js';
import { h, fill, status, button, problem, section, ago } from '../atoms.js';

/** Manage Stoker (admins): agents, secret names, the webhook secret, server facts, the audit log. */
export async function managePage() {
  if (session.current()?.user?.role !== 'admin') {
    return { element: h('div.card', { id: 'forbidden' }, h('h1', 'Manage Stoker'), h('p', 'This page is for admins.')), title: 'Manage Stoker' };
  }
  const flash = h('div', { 'aria-live': 'polite' });
  const safe = p => p.catch(e => problem(e));
  const [agents, secrets, hook, audit, version] = await Promise.all([
    safe(api.agents()), safe(api.secrets()), safe(api.webhookSecret()), safe(api.audit({ limit: 100 })), safe(api.version())]);
  const hookBox = h('div');
  const paintHook = s => fill(hookBox, s instanceof Node ? s : [
    h('p', 'Default webhook secret: ', h('input.mono', { readonly: true, value: s.secret ?? s.value ?? '', size: 40, 'aria-label': 'webhook secret', onfocus: e => e.target.select() })),
    button('Rotate', async () => { try { paintHook(await api.rotateWebhookSecret()); } catch (e) { fill(flash, problem(e)); } }, 'small')]);
  paintHook(hook);
  const entries = audit instanceof Node ? audit : (Array.isArray(audit) ? audit : audit.entries ?? []);
  return { title: 'Manage Stoker', element: h('div', h('h1', 'Manage Stoker'), flash,
    section('Agents', agents instanceof Node ? agents : agents.length ? h('div.table-wrap', h('table',
      h('thead', h('tr', ['Agent', 'Status', 'Mode', 'Host', 'Executors', 'Labels'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', agents.map(a => h('tr', { 'data-agent': a.name }, h('td', a.name), h('td', status(a.status), a.statusReason ? h('small.muted', ' ' + a.statusReason) : null),
        h('td', { title: a.modeReason ?? '' }, a.mode ?? '—', a.modeReason ? h('small.muted', ' ' + a.modeReason) : null),
        h('td', h('code', `${a.user}@${a.host}:${a.port}`)), h('td', `${a.busy}/${a.executors} busy`), h('td', a.labels.join(', ')))))))
      : h('p.muted', 'No agents. Register one with ', h('code', 'stoker agent add'), ' or POST /api/v1/agents.')),
    section('Secrets', secrets instanceof Node ? secrets : (secrets.secrets ?? secrets).length
      ? h('ul', (secrets.secrets ?? secrets).map(s => h('li', h('code', s.name), h('span.muted', ` ${s.scope ?? ''} ${s.source ?? ''}`))))
      : h('p.muted', 'No secrets. Values are never shown here.')),
    section('Webhooks', hookBox),
    section('Server', version instanceof Node ? version : h('p', `Stoker ${version.version}, API ${version.api}`)),
    section('Audit log', entries instanceof Node ? entries : h('div.table-wrap', h('table.audit',
      h('thead', h('tr', ['When', 'Who', 'What', 'Target'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', entries.map(e => h('tr', h('td', ago(e.at)), h('td', e.actor), h('td', h('code', e.action)), h('td', e.target ?? '')))))))) };
}
