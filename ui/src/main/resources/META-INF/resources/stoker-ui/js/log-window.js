// The arithmetic of the virtual log view: which lines are on screen, where their rows go, which blocks of lines
// to fetch, and a bounded cache of fetched blocks. No DOM here (unit-tested in tests.html).

/** Browsers cap an element's height (Chromium near 33 million px); taller logs scroll in scaled units. */
export const MAX_SCROLL_PX = 15_000_000;

/**
 * @returns {first, count, top, height, anchor}: the first line drawn (with overscan), how many rows to draw, the
 * rows' offset inside the scroller, the spacer's height, and the line at the top of the screen
 */
export function visible({ scrollTop, viewport, rowHeight, total, overscan = 20 }) {
  const height = Math.min(total * rowHeight, MAX_SCROLL_PX);
  const exact = lineAt(scrollTop, { viewport, rowHeight, total });
  const anchor = Math.min(Math.floor(exact), Math.max(0, total - 1));
  const first = Math.max(0, anchor - overscan);
  const onScreen = Math.ceil(viewport / rowHeight) + 1;
  const count = Math.max(0, Math.min(total - first, onScreen + 2 * overscan));
  // past the end of the lines' range (a wrapped long line makes the rows taller than the spacer) the rows stay put
  // and the scroller scrolls over them as over any content; moving them with the scroll would keep the end unreachable
  const top = Math.min(scrollTop, Math.max(0, height - viewport)) - (exact - first) * rowHeight;
  return { first, count, top: Math.max(0, top), height, anchor };
}

/**
 * The (fractional) line at the top of the screen: the scroll range [0, height - viewport] maps onto lines
 * [0, total - linesOnScreen], which is plain scrollTop / rowHeight unless the log is scaled.
 */
function lineAt(scrollTop, { viewport, rowHeight, total }) {
  const maxScroll = Math.min(total * rowHeight, MAX_SCROLL_PX) - viewport;
  if (maxScroll <= 0) return 0;
  return Math.min(scrollTop, maxScroll) / maxScroll * (total - viewport / rowHeight);
}

/** The scrollTop that puts line n at the top of the screen. */
export function scrollTopFor(line, { viewport, rowHeight, total }) {
  const maxScroll = Math.min(total * rowHeight, MAX_SCROLL_PX) - viewport;
  if (maxScroll <= 0) return 0;
  return Math.min(maxScroll, line / (total - viewport / rowHeight) * maxScroll);
}

/** Fetched lines in blocks of `size`, at most `max` blocks kept (least recently used go first). */
export class BlockCache {
  constructor(size = 500, max = 40) {
    this.size = size;
    this.max = max;
    this.blocks = new Map();
  }

  line(n) {
    const b = this.blocks.get(Math.floor(n / this.size));
    return b ? b[n % this.size] : undefined;
  }

  /** Block numbers needed for lines [first, first+count) that are absent or incomplete. */
  missing(first, count, total) {
    const out = [];
    if (count <= 0) return out;
    const last = Math.min(first + count, total) - 1;
    for (let b = Math.floor(first / this.size); b <= Math.floor(last / this.size); b++) {
      const block = this.blocks.get(b);
      const want = Math.min(this.size, total - b * this.size);
      if (!block || block.length < want) out.push(b);
    }
    return out;
  }

  put(block, lines) {
    this.blocks.delete(block);
    this.blocks.set(block, lines);
    while (this.blocks.size > this.max) this.blocks.delete(this.blocks.keys().next().value);
  }

  touch(block) {
    const b = this.blocks.get(block);
    if (b) { this.blocks.delete(block); this.blocks.set(block, b); }
  }

  clear() { this.blocks.clear(); }
}

/** A log file line "<time> <stream> <text>" as {time, stream, text}; other text is system output. */
export function parseLine(raw) {
  const a = raw.indexOf(' ');
  const b = a < 0 ? -1 : raw.indexOf(' ', a + 1);
  if (a > 0 && b > a) {
    const stream = raw.slice(a + 1, b);
    if (stream === 'out' || stream === 'err' || stream === 'system') {
      return { time: raw.slice(0, a), stream, text: raw.slice(b + 1) };
    }
  }
  return { time: null, stream: 'system', text: raw };
}

/**
 * Where {@code query} occurs in {@code text}, ignoring case as the server's log search does: [start, end) pairs,
 * left to right, not overlapping. An empty query occurs nowhere.
 */
export function matchRanges(text, query) {
  if (!query) return [];
  const re = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  return [...text.matchAll(re)].map(m => [m.index, m.index + m[0].length]);
}

/**
 * The matches a search steps through, in the log's order: for each matching line ({line, text}, its text as drawn)
 * one {line, nth} per occurrence of {@code query} in it, nth counting from 0 within the line. A line has one at
 * least: the server found the query in it, even where the drawn text does not hold it whole (across a colour's
 * escape sequence, or past the drawn part of a long line).
 */
export function matchesIn(lines, query) {
  return lines.flatMap(({ line, text }) =>
    Array.from({ length: Math.max(1, matchRanges(text, query).length) }, (_, nth) => ({ line, nth })));
}

/** The match to step to from {@code at} (-1: none yet) among {@code count}, one forward or back, wrapping round. */
export function stepMatch(at, count, forward) {
  if (count <= 0) return -1;
  if (at < 0) return forward ? 0 : count - 1;
  return (at + (forward ? 1 : count - 1)) % count;
}

/**
 * The part [from, to) of a line {@code length} characters long that is drawn, at most {@code max} characters: its
 * start, unless the match Next and Previous are at ({@code current}, a [start, end) pair) lies past that, when the
 * part is the one around the match, so that the match is on screen and not in the characters left out.
 */
export function drawnPart(length, current, max) {
  if (length <= max) return { from: 0, to: length };
  if (!current || current[1] <= max) return { from: 0, to: max };
  const [start, end] = current;
  const from = Math.max(0, Math.min(length - max, start - Math.floor((max - (end - start)) / 2), start));
  return { from, to: Math.min(length, from + max) };
}
