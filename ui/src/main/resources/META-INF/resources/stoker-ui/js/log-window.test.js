import { visible, scrollTopFor, BlockCache, parseLine, MAX_SCROLL_PX, matchRanges, matchesIn, stepMatch, drawnPart } from './log-window.js';
import { test, equal, ok } from './test-kit.js';

test('at the top the window starts at line 0 and covers the viewport plus overscan', () => {
  const w = visible({ scrollTop: 0, viewport: 360, rowHeight: 18, total: 500_000, overscan: 10 });
  equal(w.first, 0);
  equal(w.count, 21 + 20);
  equal(w.height, 9_000_000);
});

test('half way down a 500,000-line log draws about 60 rows, not the log', () => {
  const w = visible({ scrollTop: 4_500_000, viewport: 600, rowHeight: 18, total: 500_000, overscan: 10 });
  equal(w.first, 250_000 - 10);
  ok(w.count < 80, 'few rows: ' + w.count);
  ok(Math.abs(w.top - (250_000 - 10) * 18) < 0.01, "rows start where line 249,990 belongs: " + w.top);
});

test('a log taller than the browser allows scrolls in scaled units and still reaches its last line', () => {
  const total = 5_000_000, rowHeight = 18;
  const bottom = MAX_SCROLL_PX - 600;
  const w = visible({ scrollTop: bottom, viewport: 600, rowHeight, total, overscan: 0 });
  equal(w.height, MAX_SCROLL_PX);
  ok(w.first + w.count >= total - 40, 'near the end: ' + (w.first + w.count));
  const mid = visible({ scrollTop: scrollTopFor(total / 2, { viewport: 600, rowHeight, total }), viewport: 600,
    rowHeight, total, overscan: 0 });
  ok(Math.abs(mid.first - total / 2) <= 1, 'line ' + mid.first);
});

test('a short log draws every line', () => {
  const w = visible({ scrollTop: 0, viewport: 600, rowHeight: 18, total: 3 });
  equal([w.first, w.count], [0, 3]);
});

test('the cache asks for absent and incomplete blocks only and forgets the oldest', () => {
  const c = new BlockCache(100, 2);
  equal(c.missing(50, 100, 1000), [0, 1]);
  c.put(0, new Array(100).fill('x'));
  c.put(1, new Array(40).fill('y')); // the live end of a growing log
  equal(c.missing(50, 100, 1000), [1]);
  equal(c.line(99), 'x');
  c.put(2, []);
  equal(c.line(0), undefined);
});

test('log lines split into time, stream and text', () => {
  equal(parseLine('2026-11-23T03:00:00.000Z err boom here'),
    { time: '2026-11-23T03:00:00.000Z', stream: 'err', text: 'boom here' });
  equal(parseLine('plain').stream, 'system');
});

test('scrolled past the lines\' range (rows made taller by wrapped lines), the rows stay where the end put them', () => {
  const at = scrollTop => visible({ scrollTop, viewport: 600, rowHeight: 18, total: 1000, overscan: 10 });
  const end = at(18_000 - 600);
  const beyond = at(18_000 - 600 + 500);
  equal(beyond.first, end.first);
  equal(beyond.top, end.top);
  equal(end.anchor, Math.floor(1000 - 600 / 18));
});

test('a search term is found in a line whatever its case, each occurrence once, and its signs taken as written', () => {
  equal(matchRanges('Error: an error, ERROR', 'error'), [[0, 5], [10, 15], [17, 22]]);
  equal(matchRanges('a.b axb (c)', 'a.b'), [[0, 3]]);
  equal(matchRanges('f(x) (c)', '(c)'), [[5, 8]]);
  equal(matchRanges('aaaa', 'aa'), [[0, 2], [2, 4]]);
  equal(matchRanges('anything', ''), []);
});

test('stepping through matches goes forward and back and wraps round at either end', () => {
  equal(stepMatch(-1, 3, true), 0, 'the first Next');
  equal(stepMatch(-1, 3, false), 2, 'the first Previous');
  equal(stepMatch(2, 3, true), 0);
  equal(stepMatch(0, 3, false), 2);
  equal(stepMatch(1, 3, true), 2);
  equal(stepMatch(0, 0, true), -1, 'no matches');
});

test('a line holding the term three times is three matches, stepped through one by one before the next line', () => {
  const found = matchesIn([{ line: 4, text: 'one error' }, { line: 9, text: 'error, Error and ERROR' }, { line: 12, text: 'error' }], 'error');
  equal(found.length, 5, 'matches, not lines');
  equal(found, [{ line: 4, nth: 0 }, { line: 9, nth: 0 }, { line: 9, nth: 1 }, { line: 9, nth: 2 }, { line: 12, nth: 0 }]);
  const steps = [];
  for (let at = -1, i = 0; i < 6; i++) steps.push(found[at = stepMatch(at, found.length, true)]);
  equal(steps.map(m => `${m.line}:${m.nth}`), ['4:0', '9:0', '9:1', '9:2', '12:0', '4:0'], 'Next');
  equal(found[stepMatch(1, found.length, false)], { line: 4, nth: 0 }, 'Previous from the line\'s first match');
});

test('a line the server found but whose drawn text does not hold the term whole is still one match', () => {
  equal(matchesIn([{ line: 2, text: 'err' }], 'error'), [{ line: 2, nth: 0 }]);
  equal(matchesIn([], 'error'), []);
});

test('a long line is drawn from its start, unless the match a search is at lies past what that draws', () => {
  equal(drawnPart(300, [290, 295], 4000), { from: 0, to: 300 }, 'a short line whole');
  equal(drawnPart(20_000, null, 4000), { from: 0, to: 4000 }, 'no match in it');
  equal(drawnPart(20_000, [3990, 4000], 4000), { from: 0, to: 4000 }, 'a match within the start');
  equal(drawnPart(20_000, [10_000, 10_006], 4000), { from: 8003, to: 12_003 }, 'the part around a match in the middle');
  equal(drawnPart(20_000, [19_990, 19_996], 4000), { from: 16_000, to: 20_000 }, 'the end, for a match near it');
  equal(drawnPart(20_000, [3998, 4004], 4000), { from: 2001, to: 6001 }, 'a match across the start\'s edge');
  equal(drawnPart(20_000, [5000, 10_000], 4000), { from: 5000, to: 9000 }, 'a match longer than is drawn: its start');
});
