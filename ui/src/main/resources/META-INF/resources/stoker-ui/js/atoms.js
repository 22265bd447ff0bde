// The shared pieces every page builds with: an element builder, status marks, buttons, times, messages.
import { Unreachable } from './api.js';

/** h('a.link', {href}, 'text', child…): an element with classes, attributes (on* are listeners) and children. */
export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const LABELS = { succeeded: 'Succeeded', failed: 'Failed', running: 'Running', queued: 'Queued',
  pending: 'Pending', cancelled: 'Cancelled', skipped: 'Skipped', timedout: 'Timed out', waiting: 'Waiting', starting: 'Starting',
  online: 'Online', offline: 'Offline', blocked: 'Blocked',
  // a version's and a deployment's
  new: 'New', good: 'Good', bad: 'Bad', interrupted: 'Interrupted',
  // a deploy target's
  'never-deployed': 'Never deployed' };

/** A status in words, as its pill says it ("Timed out", not "timedout"). */
export const statusLabel = s => LABELS[s] ?? s;

/** A status pill: colour plus text, never colour alone. */
export function status(s) {
  return h(`span.status.s-${s ?? 'none'}`, { title: s ?? 'no runs' }, statusLabel(s) ?? 'No runs');
}

/** The tab's title: the page's own name first, so tabs, history and bookmarks tell pages apart. */
export const pageTitle = name => (name ? name + ' – ' : '') + 'Stoker';

// a tab in the background says how its run ended at a glance, as Jenkins' and GitLab's favicons do
const RUN_MARKS = { succeeded: '✓', failed: '✗', timedout: '✗' };

/** A run's name for its tab, "✗ shop/build #12", the mark only once it ended well or badly. */
export function runTitle(r) {
  const name = r.number ? `${r.project}/${r.job} #${r.number}` : `${r.project}/${r.job}`;
  return RUN_MARKS[r.status] ? `${RUN_MARKS[r.status]} ${name}` : name;
}

/** A job's name for its tab, "✓ shop/build", marked as its last run ended (as that run's tab is). */
export const jobTitle = (project, job, lastStatus) => runTitle({ project, job, status: lastStatus });

// what the API's agent modes mean to the person who set the agent up; the raw mode stays in the title
const AGENT_MODES = {
  persistent: ['persistent agent (Java)', 'the Stoker agent program runs on the host; tasks go over one SSH connection'],
  shell: ['shell only', 'no Java 21 or newer on the host: each task is an SSH command'],
  pull: ['pull agent', 'the agent dials the server (stoker agent run)'],
};

/** An agent's mode in words with what it means: {words, meaning}; null (an SSH agent not yet reached) says so. */
export function agentMode(mode) {
  if (mode === null || mode === undefined) return { words: 'not connected yet', meaning: 'the mode is known once the server reaches the agent' };
  const [words, meaning] = AGENT_MODES[mode] ?? [mode, ''];
  return { words, meaning: meaning ? `${mode}: ${meaning}` : mode };
}

/** A weather-like health mark from a percentage. */
export function health(pct) {
  if (pct === null || pct === undefined) return h('span.health.muted', { title: 'no finished runs (cancelled runs left out)' }, '–');
  const [icon, word] = pct >= 80 ? ['☀', 'healthy'] : pct >= 40 ? ['☁', 'unstable'] : ['☂', 'failing'];
  return h('span.health', { title: `${pct}% of the last runs succeeded (cancelled runs left out)`, 'aria-label': `health ${pct}% (${word})` },
    icon, ' ', `${pct}%`);
}

/**
 * One request at a time: guard(send) is a click or submit listener that sends unless a send of the same guard is on
 * its way. Pressed again meanwhile (a double click, Enter twice) while a git clone or a rerun takes its seconds, the
 * second press would start a second run, or be refused as "exists already" and hide that the first one made it.
 * The button pressed (for a form, its submit button) is disabled and aria-busy while the send is on its way.
 */
export function oneAtATime() {
  let busy = false;
  return send => async ev => {
    ev?.preventDefault();
    if (busy) return;
    busy = true;
    const pressed = pressedButton(ev);
    const was = pressed?.disabled;
    pressed?.setAttribute('aria-busy', 'true');
    if (pressed) pressed.disabled = true;
    try { await send(ev); } finally {
      busy = false;
      if (pressed) pressed.disabled = was;
      pressed?.removeAttribute('aria-busy');
    }
  };
}

/** The button an event came from: a click's button, or the button that submitted a form (Enter too). */
function pressedButton(ev) {
  const at = ev?.currentTarget;
  if (at instanceof HTMLButtonElement) return at;
  return ev?.submitter ?? (at instanceof HTMLFormElement ? at.querySelector('button[type=submit]') : null);
}

export function button(label, onclick, cls = '') {
  return h(`button.btn${cls ? '.' + cls : ''}`, { type: 'button', onclick }, label);
}

/** "1m 02s" from milliseconds. */
export function duration(ms) {
  if (ms === null || ms === undefined || ms < 0) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** "512 bytes", "1.5 KiB", "12.0 MiB": a file's size as a person reads it, not a count of bytes to spell out. */
export function size(bytes) {
  if (bytes === null || bytes === undefined || bytes < 0) return '–';
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let n = bytes / 1024;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(1)} ${units[i]}`;
}

export function since(startedAt, finishedAt) {
  if (!startedAt) return null;
  return (finishedAt ? Date.parse(finishedAt) : Date.now()) - Date.parse(startedAt);
}

const span = s => s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : s < 86400 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 86400)}d`;

// a time a little ahead of the browser's clock (the server's runs fast) has happened all the same: "0s ago", not "-3s ago"
const agoText = iso => `${span(Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000)))} ago`;
const untilText = iso => {
  const s = Math.round((Date.parse(iso) - Date.now()) / 1000);
  return s > 0 ? `in ${span(s)}` : 'due now';
};

/** A moment in the browser's time zone, the zone named: "11/30/2026, 2:38:16 PM UTC". */
export const when = iso => new Date(iso).toLocaleString(undefined, { timeZoneName: 'short' });

/** "5m ago", kept up to date, with the moment itself as its tooltip. */
export function ago(iso) {
  if (!iso) return '–';
  return h('time.ago', { datetime: iso, title: when(iso) }, agoText(iso));
}

/** "in 3h" for a time to come (a schedule's next firing), kept up to date as {@link ago} is. */
export function until(iso) {
  return h('time.until', { datetime: iso, title: when(iso) }, untilText(iso));
}

/** Brings every "… ago" and "in …" under root up to now (a page left open must not say "0s ago" for an hour). */
export function refreshAgo(root) {
  for (const t of root.querySelectorAll('time.ago, time.until')) {
    const text = (t.classList.contains('ago') ? agoText : untilText)(t.getAttribute('datetime'));
    if (t.textContent !== text) t.textContent = text;
  }
}

/** An error box that names the API's details. */
export function problem(e) {
  return h('div.alert', { role: 'alert' }, e.message ?? String(e),
    e.details?.length ? h('ul', e.details.map(d => h('li', d))) : null);
}

/**
 * What a section a page reads apart from the rest (People's users, Manage's agents) shows when its read failed: the
 * refusal, in its place. A server out of reach fails the whole page instead, which then says so and loads again by
 * itself once the server answers (or at Try now), as every page does: a section's "Cannot reach" would stay until a
 * reload.
 */
export function sectionFailed(e) {
  if (e instanceof Unreachable) throw e;
  return problem(e);
}

/** How long a page or a section the server did not answer waits before it reads again: a restart is over in seconds. */
export const UNREACHED_RETRY_MS = 3000;

/**
 * Reads a section of a loaded page again (Manage's agents after an action or an event) and paints it into
 * {@code box}. A server out of reach keeps what the section shows, saying under it that it is as last read, and reads
 * again every few seconds until the server answers or {@code dispose} is called: "Cannot reach" in place of the table
 * would stay until the event stream reconnected, and one failed request while the stream stays up would leave it
 * there for good. Returns {load, dispose}.
 */
export function sectionReader(box, read, paint) {
  let timer = null;
  let gone = false;
  // reads overlap (two events close together): only the latest one sent paints, a slow earlier answer is stale
  let latest = 0;
  const load = async () => {
    clearTimeout(timer);
    timer = null;
    const mine = ++latest;
    let data;
    try { data = await read(); } catch (e) {
      if (gone || mine !== latest) return;
      if (!(e instanceof Unreachable)) { fill(box, problem(e)); return; }
      if (!box.querySelector('.section-stale')) {
        box.append(h('p.muted.small.section-stale', { role: 'status' }, e.message, ' Shown as last read; read again once it answers.'));
      }
      timer = setTimeout(load, UNREACHED_RETRY_MS);
      return;
    }
    if (!gone && mine === latest) fill(box, paint(data));
  };
  return { load, dispose: () => { gone = true; clearTimeout(timer); } };
}

/**
 * What a refused Build or Rerun says: a job whose concurrency is used up (409 busy) in the page's words, with
 * **Queue it** (the API's ?queue=true) to start the run once one ends, as Jenkins queues a build of a busy job; any
 * other refusal as the server said it. Returns the refusal and what goes beside it.
 */
export function busyRefusal(job, e, queueIt) {
  if (e.status !== 409 || e.error !== 'busy') return [e];
  const count = name => Number((e.details ?? []).map(d => new RegExp(`^${name}: (\\d+)$`).exec(d)?.[1]).find(Boolean));
  const [limit, active] = [count('concurrency'), count('active')];
  const runs = n => n === 1 ? 'one run' : `${n} runs`;
  const message = limit && active
    ? `${job} allows ${runs(limit)} at a time, and ${runs(active)} ${active === 1 ? 'is' : 'are'} queued or going.` : e.message;
  return [{ message }, h('p', button('Queue it', queueIt, 'small queue-run'), h('span.muted', ' to start it once one ends'))];
}

/** The API field a refusal names (its detail `field: NAME`), or null. */
const namedField = e => (e.details ?? []).map(d => /^field: (\S+)$/.exec(d)?.[1]).find(Boolean) ?? null;

const escaped = text => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A refusal in the words of the form that sent the request: the API names a field as its body does ('privateKey'),
 * the form under its label ("Private key"). The form's inputs carry the API's field names as their `name`; `input` is
 * the one the refusal names, whose `field: …` detail the placement then says.
 */
export function inFormWords(form, e) {
  const inputs = [...(form?.elements ?? [])].filter(el => el.name && el.labels?.length);
  const named = namedField(e);
  // parameters.version names the form's input 'version'; webhooks.status its input 'webhooks'
  const input = named ? [named, named.split('.').at(-1), named.split('.')[0]]
    .map(n => inputs.find(el => el.name === n)).find(Boolean) ?? null : null;
  const say = text => inputs.reduce((t, el) => t.replace(
    new RegExp(`'${escaped(el.name)}'|^${escaped(el.name)}(?=:)|(?<=^field: )${escaped(el.name)}$`, 'g'),
    el.labels[0].textContent.trim()), String(text));
  const details = (e.details ?? []).filter(d => !(input && d === `field: ${named}`)).map(say);
  return { message: say(e.message ?? String(e)), details, input };
}

/** Takes a form's refusals off its fields (the form is sent again, or something on the page succeeded). */
export function clearRefusals(form) {
  for (const shown of form.querySelectorAll('.field-refusal')) {
    const input = form.querySelector(`[aria-describedby~="${shown.id}"]`);
    if (input) {
      input.removeAttribute('aria-invalid');
      const rest = input.getAttribute('aria-describedby').split(' ').filter(id => id !== shown.id).join(' ');
      if (rest) input.setAttribute('aria-describedby', rest); else input.removeAttribute('aria-describedby');
    }
    shown.remove();
  }
}

/**
 * Shows a form's refusal where it belongs, in the form's words: beside the field it names (marked invalid, described
 * by it and focused, as GitLab's forms do), or in the form's box when it names none of the form's fields.
 */
export function refuseIn(form, box, e, ...more) {
  clearRefusals(form);
  const { message, details, input } = inFormWords(form, e);
  const said = problem({ message, details });
  if (!input) {
    fill(box, said, ...more);
    box.scrollIntoView({ block: 'nearest' });
    return;
  }
  fill(box, ...more);
  const id = `${input.id}-refusal`;
  const shown = h('div.field-refusal', { id }, said);
  // in the field, under its input; an input without one (the Jobfile's editor) has it after what holds it
  const at = input.closest('.field');
  if (at) at.append(shown); else input.parentNode.after(shown);
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
  input.focus({ preventScroll: true });
  shown.scrollIntoView({ block: 'nearest' });
}

/**
 * A page's message boxes, one beside each form or list: a refusal shows in the box of what was refused, in view (not
 * in one box at the top of a long page), and a later success anywhere on the page clears the refusals, which no
 * longer hold.
 */
export function notes() {
  const boxes = new Set();
  const forms = new Set();
  return {
    /** A box for one form's or list's messages. */
    box(id) {
      const b = h('div', { id, 'aria-live': 'polite' });
      boxes.add(b);
      return b;
    },
    /** Shows the refusal (and what else helps, e.g. a button to try otherwise) in the box, scrolled into view. */
    refused(box, e, ...more) {
      fill(box, problem(e), ...more);
      box.scrollIntoView({ block: 'nearest' });
    },
    /** A form's refusal: beside the field it names, in the form's words, else in the form's box ({@link refuseIn}). */
    refusedIn(form, box, e, ...more) {
      forms.add(form);
      refuseIn(form, box, e, ...more);
    },
    /** Something on the page succeeded: every refusal goes, and the box, if given, says what happened. */
    done(box, ...said) {
      for (const b of boxes) if (b.querySelector('.alert')) fill(b);
      for (const f of forms) clearRefusals(f);
      if (box && said.length) fill(box, h('div.notice', { role: 'status' }, ...said));
    },
  };
}

export function link(href, ...children) {
  return h('a', { href }, ...children);
}

export const runHref = key => `#/runs/${encodeURIComponent(key)}`;
/**
 * A link to a run, named as people know runs: '#3', with its key as the title (and as the text once the run was
 * deleted, which leaves it no number); {@code tag} may give it classes ('a.deployment-run').
 */
export const runLink = (key, number, tag = 'a') => h(tag, { href: runHref(key), title: key }, number ? '#' + number : key);
export const projectHref = p => `#/projects/${encodeURIComponent(p)}`;
export const jobHref = (p, j) => `#/jobs/${encodeURIComponent(p)}/${encodeURIComponent(j)}`;
export const versionsHref = p => `#/projects/${encodeURIComponent(p)}/versions`;
export const deploymentsHref = p => `#/projects/${encodeURIComponent(p)}/deployments`;

export function section(title, ...children) {
  return h('section.card', h('h2', title), ...children);
}

export function field(label, input, hint) {
  const id = input.id || (input.id = 'f-' + Math.random().toString(36).slice(2, 8));
  // the hint is the input's description, read out with it, not a line a screen reader meets only by chance
  if (hint) input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id + '-hint'].filter(Boolean).join(' '));
  return h('div.field', h('label', { for: id }, label), input, hint ? h('small.muted', { id: id + '-hint' }, hint) : null);
}
