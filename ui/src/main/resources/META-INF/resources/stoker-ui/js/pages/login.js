import * as api from '../api.js';
import * as session from '../session.js';
import { h, fill, field, oneAtATime, refuseIn } from '../atoms.js';

/** Log in; then go where the person was heading. */
export function loginPage(next) {
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  // a session the server ended (expired, logged out elsewhere, a new password) is said, not just a login form again
  const ended = session.endedReason();
  const msg = h('div', ended ? h('div.notice', { role: 'status', id: 'session-ended' }, ended) : null);
  const submit = h('button.btn.primary', { type: 'submit', id: 'login' }, 'Log in');
  const form = h('form.login-card', {
    // a login takes its second (the password's hash is slow on purpose): the last refusal goes at once, or it would
    // read as this attempt's answer
    onsubmit: oneAtATime()(async () => {
      fill(msg);
      try {
        await api.login(user.value, pass.value);
        // a link opened logged out already has its page in the hash: setting it again fires no hashchange
        const target = '#' + (next || '/');
        if (location.hash === target) dispatchEvent(new HashChangeEvent('hashchange'));
        else location.hash = target;
      } catch (e) {
        refuseIn(form, msg, e.status === 401 ? { message: 'Wrong user name or password.' } : e);
        pass.select();
      }
    }),
  },
  h('h1', h('img', { src: 'favicon.svg', alt: '', width: 28, height: 28 }), ' Stoker'),
  h('p.muted', 'Sign in to continue'),
  field('User name', user), field('Password', pass), msg, submit);
  return h('main.login', { id: 'main' }, form);
}
