// Hash routes ("#/runs/KEY"): every page is index.html, so reloads and links work without a server fallback.
const routes = [];

/** route('/runs/:key', render): render(params) returns the page's element and an optional dispose. */
export function route(pattern, render) {
  const names = [];
  const re = new RegExp('^' + pattern.replace(/:(\w+)/g, (_, n) => { names.push(n); return '([^/]+)'; }) + '$');
  routes.push({ re, names, render });
}

export function match(path) {
  for (const r of routes) {
    const m = r.re.exec(path);
    if (!m) continue;
    // a link with a broken escape ("%ZZ") names no page: Not found, not a script error that leaves the last page up
    try { return { render: r.render, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) }; }
    catch { return null; }
  }
  return null;
}

export function current() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  return { path, query: new URLSearchParams(query) };
}

export function go(path) { location.hash = '#' + path; }
