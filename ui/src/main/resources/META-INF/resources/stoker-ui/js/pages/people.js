import * as api from '../api.js';
import * as session from '../session.js';
import { h, fill, button, section, field, ago, notes, oneAtATime, sectionFailed } from '../atoms.js';

const ROLES = ['viewer', 'developer', 'admin'];

/** People: users and roles (admins change them), and the caller's own API tokens. */
export async function peoplePage() {
  const me = session.current()?.user;
  const admin = me?.role === 'admin';
  // each section's messages show beside its form: a box at the top of the page is out of view
  const say = notes();
  const usersNote = say.box('users-note');
  const tokenNote = say.box('token-note');
  const passwordNote = say.box('password-note');
  const usersBox = h('div');
  const tokensBox = h('div');
  // fn says what it did itself (say.done), or returns and the refusals on the page go
  const guard = (note, fn) => async (...a) => {
    try { await fn(...a); say.done(); } catch (e) { say.refused(note, e); }
  };
  // a form's: its refusal beside the field it names, in the form's words
  const guarded = (form, note, fn) => async (...a) => {
    try { await fn(...a); say.done(); } catch (e) { say.refusedIn(form, note, e); }
  };

  const loadUsers = async () => {
    // only admins may list users: everyone else sees their own account
    const users = admin ? await api.users() : [{ ...(await api.me()), self: true }];
    fill(usersBox, h('div.table-wrap', h('table',
      h('thead', h('tr', h('th', { scope: 'col' }, 'User'), h('th', { scope: 'col' }, 'Role'), h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col' }, 'Since'), admin ? h('th', { scope: 'col' }, h('span.sr', 'Actions')) : null)),
      h('tbody', users.map(u => h('tr', { 'data-user': u.username },
        h('td', u.username),
        h('td', admin && u.username !== me.username
          ? h('select', { 'aria-label': `role of ${u.username}`, onchange: guard(usersNote, async ev => {
            // a refused change leaves the role as it was: the list must not show one the server did not take
            try { await api.setRole(u.username, ev.target.value); } catch (e) { ev.target.value = u.role; throw e; }
            u.role = ev.target.value;
          }) },
            ROLES.map(r => h('option', { value: r, selected: r === u.role }, r)))
          : u.role),
        h('td', u.enabled === false ? h('strong', 'disabled') : 'enabled'),
        h('td', u.createdAt ? ago(u.createdAt) : '–'),
        admin ? h('td', u.username !== me.username
          ? button(u.enabled ? 'Disable' : 'Enable', guard(usersNote, async () => { await api.setEnabled(u.username, !u.enabled); await loadUsers(); }), 'small')
          : null) : null))))));
  };

  const shown = h('div', { id: 'token-shown', 'aria-live': 'polite' });
  let shownName = null; // the token whose secret is on screen: once revoked, it is dead and goes too
  // a revoked token cannot be had back, and whatever uses it is refused at once: asked first, as Delete and Remove are
  const revoke = name => {
    const done = guard(tokenNote, async () => {
      await api.revokeToken(name);
      if (shownName === name) { fill(shown); shownName = null; }
      await loadTokens();
    });
    return () => confirm(`Revoke the token ${name}? Scripts and tools that use it are refused from now on.`) && done();
  };
  const loadTokens = async () => {
    const tokens = await api.tokens();
    fill(tokensBox, tokens.length ? h('ul.tokens', tokens.map(t => h('li', { 'data-token': t.name }, h('code', t.name), ' ',
      h('span.muted', t.expiresAt ? `expires ${new Date(t.expiresAt).toLocaleDateString()}` : 'never expires'), ' ',
      t.role ? [h('span.muted.token-role', `${t.role} only`), ' '] : null,
      button('Revoke', revoke(t.name), 'small danger revoke-token'))))
      : h('p.muted', 'No API tokens.'));
  };

  // each input's name is the API's field it fills: a refusal naming the field shows beside it, under its label
  const tName = h('input', { id: 'token-name', name: 'name', required: true });
  const tDays = h('input', { id: 'token-days', name: 'expiresInDays', type: 'number', min: 1, max: 3650, placeholder: 'never' });
  // a token may be limited to a role up to the caller's own: a read-only one for a dashboard
  const tRole = h('select', { id: 'token-role', name: 'role' }, h('option', { value: '' }, 'my role'),
    ROLES.slice(0, Math.max(0, ROLES.indexOf(me?.role))).map(r => h('option', { value: r }, `${r} only`)));
  const tokenForm = h('form.inline', { id: 'token-form', onsubmit: oneAtATime()(() => createToken()) },
    field('Name', tName), field('Expires in days', tDays), field('Acts as', tRole),
    h('button.btn', { type: 'submit' }, 'Create token'));
  const createToken = guarded(tokenForm, tokenNote, async () => {
    const name = tName.value;
    const t = await api.createToken(name, tDays.value ? Number(tDays.value) : undefined, tRole.value || undefined);
    shownName = name;
    fill(shown, h('div.notice', 'Copy it now, it is shown once: ', h('input.mono', { readonly: true, value: t.token, size: 50, 'aria-label': `API token ${name}`, onfocus: e => e.target.select() })));
    tName.value = '';
    await loadTokens();
  });

  const uName = h('input', { id: 'new-user', name: 'username', required: true, autocomplete: 'off' });
  const uPass = h('input', { id: 'new-pass', name: 'password', type: 'password', required: true, autocomplete: 'new-password' });
  const uRole = h('select', { id: 'new-role', name: 'role' }, ROLES.map(r => h('option', { value: r }, r)));
  const userForm = admin ? h('form.inline', { id: 'user-form', onsubmit: oneAtATime()(() => addUser()) },
    field('User name', uName), field('Password', uPass), field('Role', uRole), h('button.btn', { type: 'submit' }, 'Add user')) : null;
  const addUser = guarded(userForm, usersNote, async () => {
    await api.createUser(uName.value, uPass.value, uRole.value);
    uName.value = uPass.value = '';
    await loadUsers();
  });

  const oldPass = h('input', { id: 'old-pass', name: 'oldPassword', type: 'password', required: true, autocomplete: 'current-password' });
  const newPass = h('input', { id: 'my-new-pass', name: 'password', type: 'password', required: true, minlength: 12, autocomplete: 'new-password' });
  const passwordForm = h('form.inline', { id: 'password-form', onsubmit: oneAtATime()(async () => {
    try {
      await api.changePassword(me.username, newPass.value, oldPass.value);
    } catch (e) {
      // the API names the field it refuses (its refusals of a malformed field do); the page says it in words
      return say.refusedIn(passwordForm, passwordNote, e.status === 400 && e.message.includes("'oldPassword'")
        ? { message: 'The current password is wrong.', details: ['field: oldPassword'] } : e);
    }
    // the server ends every session of the user, this one too
    session.clear('Your password was changed: log in with the new one.');
  }) },
  // whose password this is, for the browser's password manager (which otherwise cannot tell which login to update)
  h('input', { type: 'text', name: 'username', autocomplete: 'username', value: me?.username ?? '', readonly: true, hidden: true,
    'aria-label': 'user name' }),
  field('Current password', oldPass), field('New password', newPass, 'at least 12 characters; you log in again after'),
  h('button.btn', { type: 'submit' }, 'Change password'));

  await Promise.all([loadUsers().catch(e => fill(usersBox, sectionFailed(e))), loadTokens().catch(e => fill(tokensBox, sectionFailed(e)))]);
  return { element: h('div', h('h1', 'People'),
    section('Users', usersBox, admin ? userForm : h('p.muted', 'Only admins see everyone and change roles.'), usersNote),
    section('My API tokens', tokensBox, tokenForm, tokenNote, shown), section('My password', passwordForm, passwordNote)), title: 'People' };
}
