import { oneAtATime, h } from './atoms.js';
import { test, equal, ok } from './test-kit.js';

/** A send that waits until the test lets it end. */
function held() {
  let release;
  const sent = [];
  return { sent, release: () => release(), send: what => () => new Promise(r => { sent.push(what); release = r; }) };
}

test('oneAtATime sends a second press only once the first has ended', async () => {
  const once = oneAtATime();
  const s = held();
  const press = once(s.send('first'));
  const first = press();
  await press();
  equal(s.sent, ['first'], 'while the first is on its way');
  s.release();
  await first;
  const again = press();
  equal(s.sent, ['first', 'first'], 'after it ended');
  s.release();
  await again;
});

test('oneAtATime holds every action of the same guard, not only the one pressed', async () => {
  const once = oneAtATime();
  const s = held();
  const cancel = once(s.send('cancel'));
  const rerun = once(s.send('rerun'));
  const first = cancel();
  await rerun();
  equal(s.sent, ['cancel']);
  s.release();
  await first;
});

test('oneAtATime disables the pressed button and marks it busy until the send ends, then as it was', async () => {
  const once = oneAtATime();
  const s = held();
  const b = h('button', { type: 'button' }, 'Rerun');
  b.addEventListener('click', once(s.send('rerun')));
  b.click();
  ok(b.disabled, 'disabled while sent');
  equal(b.getAttribute('aria-busy'), 'true');
  s.release();
  await new Promise(r => setTimeout(r));
  ok(!b.disabled, 'enabled again');
  equal(b.getAttribute('aria-busy'), null);
});

test("oneAtATime on a form disables its submit button, and a failed send frees the guard", async () => {
  const once = oneAtATime();
  const submit = h('button', { type: 'submit' }, 'Create');
  const form = h('form', submit);
  let tries = 0;
  const failing = once(async () => { tries++; throw new Error('refused'); });
  form.addEventListener('submit', ev => { failing(ev).catch(() => {}); });
  document.body.append(form);
  try {
    form.requestSubmit();
    ok(submit.disabled, 'submit disabled while sent');
    await new Promise(r => setTimeout(r));
    ok(!submit.disabled, 'enabled after the refusal');
    form.requestSubmit();
    await new Promise(r => setTimeout(r));
    equal(tries, 2, 'sent again after the refusal');
  } finally { form.remove(); }
});
