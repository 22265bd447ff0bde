// The Jobfile editor New item and a freestyle project's Edit share: a text area with line numbers, checked by the
// server's compiler as one types (POST /validate), its errors and warnings listed as line:col links into the text.
import * as api from './api.js';
import { h, fill } from './atoms.js';

/**
 * An editor holding {@code value}, its text area and diagnostics list under the ids given. {@code onChecked(valid)}
 * hears each answer of the check; Save or Create is then for the caller to allow. Returns {editor, text,
 * diagnostics, dispose}: the editor (gutter and text area) and the list are placed by the caller.
 */
export function jobfileEditor({ id, diagnosticsId, value, file = 'Jobfile', onChecked = () => {} }) {
  const gutter = h('pre.gutter', { 'aria-hidden': 'true' });
  const text = h('textarea.code', { id, name: 'jobfile', spellcheck: 'false', rows: 18, 'aria-describedby': diagnosticsId });
  text.value = value;
  const diagnostics = h('ul.diagnostics', { id: diagnosticsId, 'aria-live': 'polite' });
  let timer = null;
  let seq = 0;
  let bad = new Set();
  const paintGutter = () => {
    const n = text.value.split('\n').length;
    gutter.replaceChildren(...Array.from({ length: n }, (_, i) => h('span', { class: bad.has(i + 1) ? 'bad' : null }, `${i + 1}\n`)));
    gutter.scrollTop = text.scrollTop;
  };
  const goTo = (line, col) => {
    const lines = text.value.split('\n');
    let pos = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    pos += Math.max(0, col - 1);
    text.focus();
    text.setSelectionRange(pos, pos);
  };
  const check = async () => {
    const mine = ++seq;
    try {
      const r = await api.validate(text.value, file);
      if (mine !== seq) return; // an older answer arrived late
      bad = new Set(r.diagnostics.filter(d => d.severity === 'error').map(d => d.line));
      fill(diagnostics, r.diagnostics.length ? r.diagnostics.map(d => h(`li.${d.severity}`,
        h('a', { href: '#', 'data-line': d.line, onclick: ev => { ev.preventDefault(); goTo(d.line, d.col); } }, `${d.line}:${d.col}`),
        ` ${d.severity}: ${d.message}`)) : h('li.ok', '✓ The Jobfile is valid.'));
      onChecked(r.valid);
      paintGutter();
    } catch (e) { if (mine === seq) fill(diagnostics, h('li.error', e.message)); }
  };
  text.addEventListener('input', () => {
    paintGutter();
    // "valid" said of the text before this change would stand until the check answers (a second or two)
    if (diagnostics.querySelector('li.ok')) fill(diagnostics, h('li.muted.checking', 'Checking…'));
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  text.addEventListener('scroll', () => { gutter.scrollTop = text.scrollTop; });
  text.addEventListener('keydown', ev => {
    // Tab indents inside the editor; Escape then Tab leaves it (keyboard users are not trapped)
    if (ev.key === 'Tab' && !ev.shiftKey && !text.dataset.escaped) {
      ev.preventDefault();
      text.setRangeText('  ', text.selectionStart, text.selectionEnd, 'end');
      text.dispatchEvent(new Event('input'));
    } else if (ev.key === 'Escape') text.dataset.escaped = '1';
    else delete text.dataset.escaped;
  });
  paintGutter();
  check();
  return { editor: h('div.editor', gutter, text), text, diagnostics, dispose: () => clearTimeout(timer) };
}
