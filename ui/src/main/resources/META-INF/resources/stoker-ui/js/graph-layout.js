// A layered layout of a task graph (Sugiyama-style, small): layers by longest path from the sources, order inside a
// layer by the mean position of the parents (a few sweeps), matrix cells of one task kept next to each other.

/**
 * @param tasks [{name, matrixOf?}]
 * @param edges [{from, to, kind}]
 * @returns {nodes: {name: {layer, index, x, y}}, layers: [[name]], width, height}
 */
export function layout(tasks, edges, { nodeWidth = 160, nodeHeight = 40, gapX = 60, gapY = 16 } = {}) {
  const names = tasks.map(t => t.name);
  const parents = new Map(names.map(n => [n, []]));
  for (const e of edges) if (parents.has(e.to) && parents.has(e.from)) parents.get(e.to).push(e.from);
  const layer = new Map();
  const visiting = new Set();
  const depth = n => {
    if (layer.has(n)) return layer.get(n);
    if (visiting.has(n)) return 0; // a cycle cannot compile; stay finite anyway
    visiting.add(n);
    const d = parents.get(n).reduce((m, p) => Math.max(m, depth(p) + 1), 0);
    layer.set(n, d);
    return d;
  };
  names.forEach(depth);
  const layers = [];
  for (const n of names) (layers[layer.get(n)] ??= []).push(n);
  const group = new Map(tasks.map(t => [t.name, t.matrixOf ?? t.name]));
  const pos = new Map();
  const place = () => layers.forEach(l => l.forEach((n, i) => pos.set(n, i)));
  place();
  for (let sweep = 0; sweep < 4; sweep++) {
    for (let i = 1; i < layers.length; i++) {
      const score = n => {
        const ps = parents.get(n);
        return ps.length ? ps.reduce((s, p) => s + pos.get(p), 0) / ps.length : pos.get(n);
      };
      // matrix cells move as one block: sort by the block's score, then by name inside it
      const blockScore = new Map();
      for (const n of layers[i]) {
        const g = group.get(n);
        const b = blockScore.get(g) ?? { sum: 0, count: 0 };
        b.sum += score(n); b.count++;
        blockScore.set(g, b);
      }
      const key = n => { const b = blockScore.get(group.get(n)); return b.sum / b.count; };
      layers[i].sort((a, b) => key(a) - key(b) || (group.get(a) < group.get(b) ? -1 : group.get(a) > group.get(b) ? 1 : 0)
        || names.indexOf(a) - names.indexOf(b));
      place();
    }
  }
  const nodes = {};
  layers.forEach((l, li) => l.forEach((n, i) => {
    nodes[n] = { layer: li, index: i, x: li * (nodeWidth + gapX), y: i * (nodeHeight + gapY), group: group.get(n) };
  }));
  const tallest = Math.max(0, ...layers.map(l => l.length));
  return { nodes, layers, nodeWidth, nodeHeight,
    width: Math.max(0, layers.length * (nodeWidth + gapX) - gapX),
    height: Math.max(0, tallest * (nodeHeight + gapY) - gapY) };
}
