// The virtual log: only the rows on screen are in the DOM (about 60 of them), lines come in blocks of 500 from
// GET …/log/lines, repaints are batched with requestAnimationFrame. Following polls the end of the log, so a task
// printing 100,000 lines a second costs the tab one small request and one repaint per tick.
import * as api from './api.js';
import { visible, scrollTopFor, BlockCache, parseLine, matchRanges, matchesIn, stepMatch, drawnPart } from './log-window.js';
import { render as ansi, plain } from './ansi.js';
import { h, fill, button, problem } from './atoms.js';

const ROW = 18;
const BLOCK = 500;
const FOLLOW_MS = 250;
/**
 * A line is drawn up to this many characters (a minified script's line of 200 KB would be laid out again at every
 * repaint, four times a second while following): its start, or the part around the match a search is at; the rest
 * is said in a note, and Download has it all.
 */
const DRAWN_CHARS = 4000;

/**
 * Wraps each occurrence of a search's term in a drawn line in a mark, by splitting the line's text nodes: the log's
 * text stays text, never markup. {@code ranges} are the occurrences in the line's whole text, of which the element
 * holds the part from {@code from} on; one across two colours, or across the edge of what is drawn, is marked in
 * what is drawn of it. The occurrence {@code current} (counting from 0; -1: none in this line) is the one Next and
 * Previous are at.
 */
function mark(el, ranges, current, from) {
  const nodes = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) nodes.push(walker.currentNode);
  let offset = from;
  for (const node of ranges.length ? nodes : []) {
    const [start, end] = [offset, offset + node.data.length];
    offset = end;
    const pieces = ranges.map(([a, b], nth) => [a, b, nth]).filter(([a, b]) => a < end && b > start)
      .map(([a, b, nth]) => [Math.max(a, start) - start, Math.min(b, end) - start, nth]);
    if (!pieces.length) continue;
    const parts = [];
    let last = 0;
    for (const [a, b, nth] of pieces) {
      if (a > last) parts.push(node.data.slice(last, a));
      parts.push(h(nth === current ? 'mark.log-match.current' : 'mark.log-match', node.data.slice(a, b)));
      last = b;
    }
    if (last < node.data.length) parts.push(node.data.slice(last));
    node.replaceWith(...parts);
  }
}

/** A log viewer for one task; returns {element, dispose, refresh()}. `live` says the task may still write. */
export function logView(runKey, task, { live = false, startLine = null } = {}) {
  const cache = new BlockCache(BLOCK, 40);
  let total = 0;
  let following = live && startLine === null;
  let alive = live;
  let frame = 0;
  let disposed = false;
  let highlight = startLine;
  // the last search: its text is marked in the rows drawn, and Next and Previous step through its matches ({line,
  // nth}: a line holding the text twice is two steps), at the one numbered `at`
  let term = '';
  let found = [];
  let at = -1;
  // the line of the match a step went to, until a paint has it on screen (null: none to bring there); `tries`
  // counts the scrolls made for it, as wrapped lines above it can push it below the screen
  let reveal = null;
  const inflight = new Set();

  const spacer = h('div.log-spacer');
  const rows = h('div.log-rows');
  const scroller = h('div.log-scroller', { tabindex: 0, role: 'log', 'aria-label': `log of ${task}` }, spacer, rows);
  const countEl = h('span.muted', '0 lines');
  const followBtn = button('', () => setFollow(!following), 'small');
  const searchInput = h('input', { type: 'search', placeholder: 'Search the log (server-side)', 'aria-label': 'search the log' });
  const results = h('div.log-results', { 'aria-live': 'polite' });
  const errorBox = h('div');
  const position = h('span.match-at.muted', { 'aria-live': 'polite' });
  const previous = button('↑ Previous', () => step(false), 'small match-previous');
  const next = button('↓ Next', () => step(true), 'small match-next');
  // Enter again on the same text steps to the next match (Shift+Enter back), as a browser's find does
  searchInput.addEventListener('keydown', ev => {
    if (ev.key !== 'Enter' || searchInput.value !== term || !found.length) return;
    ev.preventDefault();
    step(!ev.shiftKey);
  });
  const form = h('form.log-search', { onsubmit: ev => { ev.preventDefault(); search(searchInput.value); } },
    searchInput, h('button.btn.small', { type: 'submit' }, 'Search'));
  const toolbar = h('div.log-toolbar', countEl, followBtn, form,
    button('Download', () => api.download(api.logPath(runKey, task), showError).catch(showError), 'small'));
  const element = h('div.log', { 'data-task': task }, toolbar, results, errorBox, scroller);

  const showError = e => fill(errorBox, problem(e));
  // a read that failed (the server restarting) is said until a read succeeds, not for as long as the page is open
  const readFailed = e => { showError(e); errorBox.dataset.read = 'failed'; };
  const readWorked = () => { if (errorBox.dataset.read) { delete errorBox.dataset.read; errorBox.replaceChildren(); } };
  const setFollow = on => {
    following = on;
    followBtn.textContent = following ? 'Unfollow' : 'Follow';
    followBtn.setAttribute('aria-pressed', String(following));
    if (following) { scrollToEnd(); poll(); }
  };

  // the spacer must be as tall as the log before scrollTop is set, or the browser clamps it to what is drawn
  const grow = () => {
    spacer.style.height = visible({ scrollTop: 0, viewport: scroller.clientHeight, rowHeight: ROW, total }).height + 'px';
  };

  // where following and a jump to a line last put the view: a scroll away from there is the person's own, by
  // wheel, touch, keys or the scrollbar alike
  let followedTo = 0;
  let jumpedTo = -Infinity;
  const scrollToEnd = () => {
    grow();
    // the very end of what is drawn: wrapped lines at the end make it lower than the lines' range says
    scroller.scrollTop = scroller.scrollHeight;
    followedTo = scroller.scrollTop;
  };

  const schedule = () => { if (!frame && !disposed) frame = requestAnimationFrame(paint); };

  function paint() {
    frame = 0;
    const w = visible({ scrollTop: scroller.scrollTop, viewport: scroller.clientHeight || 400, rowHeight: ROW, total });
    spacer.style.height = w.height + 'px';
    rows.style.transform = `translateY(${w.top}px)`;
    const out = [];
    const scrolledInside = keptInsideScroll();
    for (let i = w.first; i < w.first + w.count; i++) {
      const raw = cache.line(i);
      const n = i + 1;
      const num = h('a.ln', { href: `#/runs/${encodeURIComponent(runKey)}/${encodeURIComponent(task)}/L${n}`,
        'aria-label': `line ${n}` }, String(n));
      const text = h('span.lt');
      let cls = 'row';
      if (raw === undefined) text.textContent = '…';
      else {
        const line = parseLine(raw);
        if (line.stream !== 'out') cls += ' ' + line.stream;
        const shown = plain(line.text);
        const ranges = matchRanges(shown, term);
        const current = found[at]?.line === n ? found[at].nth : -1;
        const { from, to } = drawnPart(shown.length, ranges[current], DRAWN_CHARS);
        ansi(text, line.text, from, to);
        if (ranges.length) mark(text, ranges, current, from);
        if (from > 0) text.prepend(h('span.log-cut', `${from.toLocaleString('en')} characters before … `));
        if (to < shown.length) {
          const more = shown.length - to;
          text.append(h('span.log-cut', ` … ${more.toLocaleString('en')} more characters (Download has the whole line)`));
        }
        text.dataset.at = `${n}@${from}`;
      }
      if (n === highlight) cls += ' hl';
      out.push(h('div', { class: cls, 'data-line': n }, num, text));
    }
    rows.replaceChildren(...out);
    // long lines wrap, so a row may be taller than ROW: the line the scroll position names goes at the top of the
    // screen whatever the rows above it (drawn for a quick scroll up) take, or a jump to L123 would miss it
    const anchor = rows.children[w.anchor - w.first];
    const shift = anchor ? anchor.offsetTop - (w.anchor - w.first) * ROW : 0;
    if (shift > 0) rows.style.transform = `translateY(${w.top - shift}px)`;
    for (const lt of rows.querySelectorAll('.lt[data-at]')) {
      const kept = scrolledInside.get(lt.dataset.at);
      if (kept) { lt.scrollTop = kept.top; lt.scrollLeft = kept.left; }
    }
    if (reveal) bringToMatch();
    countEl.textContent = `${total.toLocaleString('en')} ${total === 1 ? 'line' : 'lines'}`;
    fetchMissing(w.first, w.count);
  }

  /** The long lines drawn that were scrolled inside themselves, by the person or to a match, to scroll them so again. */
  function keptInsideScroll() {
    const kept = new Map();
    for (const lt of rows.querySelectorAll('.lt[data-at]')) {
      if (lt.scrollTop || lt.scrollLeft) kept.set(lt.dataset.at, { top: lt.scrollTop, left: lt.scrollLeft });
    }
    return kept;
  }

  /**
   * Scrolls the match a step went to into view, once its line is drawn: inside its line when the line is taller than
   * it may be drawn, then the log, sideways at once and up or down by putting the line at the top of the screen, or
   * (past the lines' range, where the log scrolls as plain content) by the pixels it is off.
   */
  function bringToMatch() {
    const row = rows.querySelector(`.row[data-line="${reveal.line}"]`);
    if (!row || cache.line(reveal.line - 1) === undefined) return; // not read yet: a paint once its block is in
    // a line the server found the term in, but not as drawn (across a colour's escape): its start, where its number is
    const target = row.querySelector('mark.log-match.current') ?? row.querySelector('.ln');
    const lt = row.querySelector('.lt');
    if (lt.contains(target)) {
      const [t, box] = [target.getBoundingClientRect(), lt.getBoundingClientRect()];
      lt.scrollTop += t.top - box.top - (lt.clientHeight - t.height) / 2;
      lt.scrollLeft += t.left - box.left - (lt.clientWidth - t.width) / 2;
    }
    const t = target.getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    const off = (lo, hi, from, size) => lo < from ? lo - from : hi > from + size ? hi - from - size : 0;
    scroller.scrollLeft += off(t.left, t.right, view.left + scroller.clientLeft, scroller.clientWidth);
    const dy = off(t.top, t.bottom, view.top + scroller.clientTop, scroller.clientHeight);
    if (dy === 0 || reveal.tries >= 3) { reveal = null; return; }
    reveal.tries++;
    scroller.scrollTop = reveal.tries === 1
      ? scrollTopFor(reveal.line - 1, { viewport: scroller.clientHeight, rowHeight: ROW, total }) : scroller.scrollTop + dy;
    jumpedTo = scroller.scrollTop;
    schedule();
  }

  // A block of lines, read in as many answers as it takes: the server stops an answer at 4 MiB of text (500 long
  // lines are more), and a block cached short would be asked for again at every repaint.
  async function block(from) {
    const r = await api.logLines(runKey, task, from, BLOCK);
    const lines = r.lines.slice();
    while (lines.length < BLOCK && from + lines.length < r.total && !disposed) {
      const more = await api.logLines(runKey, task, from + lines.length, BLOCK - lines.length);
      if (more.lines.length === 0) break;
      lines.push(...more.lines);
    }
    return { ...r, lines };
  }

  async function fetchMissing(first, count) {
    for (const b of cache.missing(first, count, total)) {
      if (inflight.has(b)) continue;
      inflight.add(b);
      block(b * BLOCK).then(r => {
        cache.put(b, r.lines);
        if (r.total > total) total = r.total;
        readWorked();
        schedule();
      }).catch(readFailed).finally(() => inflight.delete(b));
    }
  }

  let pollTimer = null;
  async function poll() {
    clearTimeout(pollTimer);
    if (disposed) return;
    try {
      // the last block only: how long the log is now, and its newest lines
      const from = Math.max(0, Math.floor(Math.max(0, total - 1) / BLOCK) * BLOCK);
      const r = await block(from);
      readWorked();
      total = Math.max(total, r.total);
      if (r.from === from) cache.put(from / BLOCK, r.lines);
      if (following) {
        const end = Math.max(0, total - BLOCK);
        const lastBlock = Math.floor(end / BLOCK) * BLOCK;
        if (lastBlock !== from) {
          const tail = await block(lastBlock);
          cache.put(lastBlock / BLOCK, tail.lines);
          total = Math.max(total, tail.total);
        }
        schedule();
        requestAnimationFrame(() => { if (following) scrollToEnd(); });
      } else schedule();
    } catch (e) { readFailed(e); }
    if (alive && !disposed) pollTimer = setTimeout(poll, FOLLOW_MS);
  }

  async function search(text) {
    term = text;
    found = [];
    at = -1;
    schedule();
    if (!text) { results.replaceChildren(); return; }
    try {
      const r = await api.logSearch(runKey, task, text, 200);
      if (text !== term) return; // a newer search was sent meanwhile
      // counted in the whole text of each line, as a long line is drawn around the match that is current
      const lines = r.matches.map(m => ({ line: m.line, text: plain(parseLine(m.text).text) }));
      found = matchesIn(lines, text);
      const more = r.truncated ? '+' : '';
      fill(results,
        h('p.match-nav', `${found.length}${more} ${found.length === 1 ? 'match' : 'matches'} in ${lines.length}${more} `
          + `line${lines.length === 1 ? '' : 's'} for “${text}”`, found.length ? [' ', previous, next, ' ', position] : null),
        h('ol.matches', lines.map(({ line, text: shown }) => h('li', h('a', { href: '#', 'data-line': line,
          onclick: ev => { ev.preventDefault(); showMatch(found.findIndex(f => f.line === line)); } }, `L${line}`), ' ',
          shown.slice(0, DRAWN_CHARS)))));
      // at the first match at once, as a browser's find goes to the first
      if (found.length) showMatch(0);
    } catch (e) { showError(e); }
  }

  function step(forward) {
    if (found.length) showMatch(stepMatch(at, found.length, forward));
  }

  function showMatch(i) {
    at = i;
    const { line } = found[i];
    position.textContent = `${i + 1} of ${found.length}`;
    results.querySelectorAll('.matches a').forEach(a => {
      if (Number(a.dataset.line) === line) a.setAttribute('aria-current', 'true'); else a.removeAttribute('aria-current');
    });
    results.querySelector('.matches a[aria-current]')?.scrollIntoView({ block: 'nearest' });
    goTo(line);
    reveal = { line, tries: 0 };
  }

  function goTo(n) {
    highlight = n;
    setFollow(false);
    grow();
    scroller.scrollTop = scrollTopFor(Math.max(0, n - 5), { viewport: scroller.clientHeight, rowHeight: ROW, total });
    jumpedTo = scroller.scrollTop;
    schedule();
  }

  scroller.addEventListener('scroll', () => {
    // scrolling up stops following, however it is done; scrolling back to the end resumes it
    // and a scroll of the person's own leaves the view where they put it, not at the match a step went to
    const jumped = Math.abs(scroller.scrollTop - jumpedTo) <= 1;
    if (!jumped) { jumpedTo = -Infinity; reveal = null; }
    if (alive) {
      const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - ROW * 2;
      if (following && !atEnd && scroller.scrollTop < followedTo - 1) setFollow(false);
      else if (!following && atEnd && !jumped) setFollow(true);
    }
    schedule();
  }, { passive: true });
  // a wheel turned up is the person's own at once: read from where the view lands, it could be lost to a follow
  // tick that put the view back at the end in the same frame
  scroller.addEventListener('wheel', ev => { if (alive && following && ev.deltaY < 0) setFollow(false); }, { passive: true });
  const resize = new ResizeObserver(schedule);
  resize.observe(scroller);

  setFollow(following);
  block(0).then(r => {
    cache.put(0, r.lines);
    total = r.total;
    readWorked();
    if (startLine) goTo(startLine);
    else if (following) requestAnimationFrame(scrollToEnd);
    schedule();
    if (alive) poll();
  }).catch(e => { readFailed(e); if (alive) poll(); });

  return {
    element,
    /** The task ended: read the end once more and stop polling. */
    ended() { alive = false; following = false; followBtn.textContent = 'Follow'; followBtn.setAttribute('aria-pressed', 'false'); poll(); },
    goTo,
    dispose() { disposed = true; clearTimeout(pollTimer); cancelAnimationFrame(frame); resize.disconnect(); },
  };
}
