// A tiny test runner for the browser (tests.html): no Node at build time, the browser spec runs the page.
export const results = [];
/** The tests still on their way: an async test's result is in only once it settled. */
export const running = [];
export function test(name, fn) {
  running.push((async () => {
    try { await fn(); results.push({ name, ok: true }); } catch (e) { results.push({ name, ok: false, error: e.message }); }
  })());
}
export function equal(actual, expected, what = '') {
  const a = JSON.stringify(actual), b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what} expected ${b}, got ${a}`);
}
export function ok(cond, what) { if (!cond) throw new Error('not true: ' + what); }
