import { oneAtATime, h, field, refuseIn, inFormWords, busyRefusal, sectionReader, ago, until, when, size, refreshAgo, runLink, pageTitle, runTitle, jobTitle, agentMode } from './atoms.js';
import { Unreachable } from './api.js';
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

/** An agent form as Manage Stoker has it: each input named as the API's field, under its own label. */
function agentForm() {
  const box = h('div');
  const form = h('form', field('Name', h('input', { id: 't-name', name: 'name' })),
    field('Private key', h('textarea', { id: 't-key', name: 'privateKey' })), box);
  document.body.append(form);
  return { form, box };
}

test('a refusal is said in the form\'s labels, not the API\'s field names', () => {
  const { form } = agentForm();
  try {
    const said = inFormWords(form, { message: "'privateKey' is required; privateKey: PEM or OpenSSH text",
      details: ['field: name', 'give a privateKey'] });
    equal(said.message, "Private key is required; privateKey: PEM or OpenSSH text", 'quoted names, and one that starts it');
    equal(said.details, ['give a privateKey'], 'the field it names is where it shows, not a line of its own');
    equal(said.input?.id, 't-name');
    equal(inFormWords(form, { message: 'privateKey: not a key', details: [] }).message, 'Private key: not a key');
    equal(inFormWords(form, { message: 'x', details: ['field: vault'] }).details, ['field: vault'], 'a field the form lacks stays named');
  } finally { form.remove(); }
});

test('a refusal naming a field shows beside it, marks it invalid, and the next refusal moves it', () => {
  const { form, box } = agentForm();
  try {
    refuseIn(form, box, { message: 'privateKey: not a key', details: ['field: privateKey'] });
    const key = form.querySelector('#t-key');
    const beside = key.closest('.field').querySelector('.field-refusal');
    equal(beside?.textContent, 'Private key: not a key');
    equal(key.getAttribute('aria-invalid'), 'true');
    ok(key.getAttribute('aria-describedby').split(' ').includes(beside.id), 'read out with the input');
    ok(document.activeElement === key, 'focused, to be mended');
    equal(box.textContent, '', 'not in the form\'s box as well');

    refuseIn(form, box, { message: 'the server is busy', details: [] });
    equal(form.querySelectorAll('.field-refusal').length, 0, 'the last refusal goes');
    equal(key.getAttribute('aria-invalid'), null);
    equal(key.getAttribute('aria-describedby'), null);
    ok(box.textContent.includes('the server is busy'), 'one naming no field is in the box');
  } finally { form.remove(); }
});

test('busyRefusal says a job at its concurrency in words, and offers Queue it; another refusal stays as said', () => {
  const busy = { status: 409, error: 'busy', message: "… add ?queue=true …", details: ['concurrency: 2', 'active: 2'] };
  const [said, queue] = busyRefusal('shop / deploy', busy, () => {});
  equal(said.message, 'shop / deploy allows 2 runs at a time, and 2 runs are queued or going.');
  equal(queue.querySelector('button.queue-run').textContent, 'Queue it');
  const other = { status: 409, error: 'running', message: 'still running' };
  equal(busyRefusal('shop / deploy', other, () => {}), [other]);
});

test('sectionReader keeps the section as last read while the server is out of reach, and paints it once it answers', async () => {
  const box = h('div', h('table'));
  let answers = 0;
  const reader = sectionReader(box, async () => { if (answers++ === 0) throw new Unreachable(); return 'fresh'; },
    text => h('p.fresh', text));
  await reader.load();
  ok(box.querySelector('table'), 'the table stays');
  ok(box.querySelector('.section-stale').textContent.includes('Shown as last read'), 'and says it is as last read');
  await reader.load();
  equal(box.textContent, 'fresh');
  reader.dispose();
});

const secondsFromNow = s => new Date(Date.now() + s * 1000).toISOString();
const zoneOf = iso => new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(new Date(iso))
  .find(p => p.type === 'timeZoneName').value;

test('ago says a time a little ahead of the browser\'s clock (a server clock running fast) as just now, never "-3s ago"', () => {
  equal(ago(secondsFromNow(-90)).textContent, '1m ago');
  equal(ago(secondsFromNow(3)).textContent, '0s ago');
});

test('a time\'s tooltip names its time zone, and when() says the moment with it', () => {
  const iso = '2026-11-30T14:38:16Z';
  ok(ago(iso).title.endsWith(zoneOf(iso)), `"${ago(iso).title}" names the zone ${zoneOf(iso)}`);
  ok(when(iso).includes(zoneOf(iso)), `"${when(iso)}" names the zone`);
});

test('until says how far off a time to come is, and refreshAgo keeps it up to date', () => {
  const soon = until(secondsFromNow(3 * 3600 + 30));
  equal(soon.textContent, 'in 3h');
  const past = until(secondsFromNow(-5));
  equal(past.textContent, 'due now');
  const box = h('div', soon);
  soon.textContent = 'stale';
  refreshAgo(box);
  equal(soon.textContent, 'in 3h');
});

test('size says a file\'s size as people read it', () => {
  equal(size(0), '0 bytes');
  equal(size(1), '1 byte');
  equal(size(1023), '1023 bytes');
  equal(size(1536), '1.5 KiB');
  equal(size(12 * 1024 * 1024), '12.0 MiB');
  equal(size(undefined), '–');
});

test('runLink names a run by its number, its key as the title, and by its key once it has no number', () => {
  const numbered = runLink('01JDEPLOYRUNKEY0000000000A', 3, 'a.deployment-run');
  equal(numbered.textContent, '#3');
  equal(numbered.getAttribute('title'), '01JDEPLOYRUNKEY0000000000A');
  equal(numbered.getAttribute('href'), '#/runs/01JDEPLOYRUNKEY0000000000A');
  ok(numbered.classList.contains('deployment-run'));
  equal(runLink('01JDEPLOYRUNKEY0000000000A', null).textContent, '01JDEPLOYRUNKEY0000000000A');
});

test('a page\'s tab title names the page first, and Stoker alone without a name', () => {
  equal(pageTitle('shop'), 'shop – Stoker');
  equal(pageTitle(undefined), 'Stoker');
});

test('a run\'s tab title marks how it ended, well or badly, and nothing while it goes or when cancelled', () => {
  const r = status => ({ project: 'shop', job: 'build', number: 12, status });
  equal(runTitle(r('succeeded')), '✓ shop/build #12');
  equal(runTitle(r('failed')), '✗ shop/build #12');
  equal(runTitle(r('timedout')), '✗ shop/build #12');
  equal(runTitle(r('running')), 'shop/build #12');
  equal(runTitle(r('cancelled')), 'shop/build #12');
});

test('a job\'s tab title marks how its last run ended, and nothing when it never ran', () => {
  equal(jobTitle('shop', 'build', 'failed'), '✗ shop/build');
  equal(jobTitle('shop', 'build', 'succeeded'), '✓ shop/build');
  equal(jobTitle('shop', 'build', 'running'), 'shop/build');
  equal(jobTitle('shop', 'build', null), 'shop/build');
});

test('an agent\'s mode is said in words, the API\'s word kept in what it means', () => {
  equal(agentMode('persistent').words, 'persistent agent (Java)');
  equal(agentMode('shell').words, 'shell only');
  equal(agentMode('pull').words, 'pull agent');
  equal(agentMode(null).words, 'not connected yet');
  equal(agentMode('shell').meaning.startsWith('shell: '), true);
  equal(agentMode('new-mode').words, 'new-mode');
});
