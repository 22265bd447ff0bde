// The task graph as SVG: nodes from graph-layout.js, `needs` as solid arrows, pipes as dashed ones, matrix cells
// framed together. Node states update in place (setState) so live runs do not redraw the picture.
import { layout } from './graph-layout.js';
import { duration } from './atoms.js';

const NS = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}, ...children) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  children.forEach(c => el.append(c));
  return el;
};

/**
 * @param graph {tasks, edges} from GET /projects/{p}/jobs/{j}
 * @param onSelect called with a task name when a node is clicked or chosen with Enter; null: a job's plan, no states
 * @returns {element, setState(task, {status, startedAt, finishedAt, allowedFailure, reason}), select(task)}
 */
export function graphView(graph, onSelect) {
  const plan = t => [t.approval ? 'approval gate' : `${t.steps ?? 0} step${t.steps === 1 ? '' : 's'}`,
    t.when ? 'when' : null, t.artifacts?.length ? 'artifacts' : null].filter(Boolean).join(' · ');
  const W = 168, H = 44, PAD = 12;
  const l = layout(graph.tasks, graph.edges, { nodeWidth: W, nodeHeight: H });
  // matrix groups: a frame around the cells of one task, its name over them inside the frame
  const groups = {};
  for (const t of graph.tasks) if (t.matrixOf) (groups[t.matrixOf] ??= []).push(l.nodes[t.name]);
  const frames = Object.entries(groups).map(([name, cells]) => {
    const x = Math.min(...cells.map(c => c.x)) - 6, y = Math.min(...cells.map(c => c.y)) - 18;
    const x2 = Math.max(...cells.map(c => c.x)) + W + 6, y2 = Math.max(...cells.map(c => c.y)) + H + 6;
    const title = svg('text', { x: x + 6, y: y + 12, class: 'group-label' });
    title.textContent = name + ' (matrix)';
    return { y, elements: [svg('rect', { x, y, width: x2 - x, height: y2 - y, rx: 8, class: 'matrix' }), title] };
  });
  // a frame around cells in the top row reaches above it: the picture starts above the frame, or cuts its name off
  const top = Math.min(-PAD, ...frames.map(f => f.y - 2));
  const root = svg('svg', { class: 'graph', role: 'group', 'aria-label': 'task graph',
    viewBox: `${-PAD} ${top} ${l.width + 2 * PAD} ${l.height + PAD - top}`,
    width: l.width + 2 * PAD, height: l.height + PAD - top });
  root.append(svg('defs', {},
    svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))));
  for (const f of frames) root.append(...f.elements);
  for (const e of graph.edges) {
    const a = l.nodes[e.from], b = l.nodes[e.to];
    if (!a || !b) continue;
    const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
    const path = svg('path', { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
      class: 'edge edge-' + (e.kind ?? 'needs'), 'marker-end': 'url(#arrow)' });
    path.append(svg('title', {}, document.createTextNode(`${e.from} → ${e.to} (${e.kind ?? 'needs'})`)));
    root.append(path);
  }
  const nodes = {};
  for (const t of graph.tasks) {
    const n = l.nodes[t.name];
    const label = svg('text', { x: 12, y: 18, class: 'node-name' });
    label.textContent = t.name.length > 22 ? t.name.slice(0, 21) + '…' : t.name;
    const info = svg('text', { x: 12, y: 34, class: 'node-info' });
    // a job's graph (no run) says what each task is; a run's graph shows states once setState is called
    info.textContent = onSelect ? 'pending' : plan(t);
    const g = svg('g', { class: 'node s-pending', transform: `translate(${n.x},${n.y})`,
      ...(onSelect ? { tabindex: 0, role: 'button' } : {}),
      'data-task': t.name, 'aria-label': `task ${t.name}` + (onSelect ? '' : `: ${plan(t)}`) },
      svg('title', {}, document.createTextNode(t.name)),
      svg('rect', { width: W, height: H, rx: 6 }), svg('rect', { width: 5, height: H, rx: 2, class: 'bar' }), label, info,
      // the keyboard's focus ring, drawn around the node: the node chosen (selected) is drawn otherwise, so a person
      // moving with Tab tells where they are from what they opened
      svg('rect', { x: -5, y: -5, width: W + 10, height: H + 10, rx: 9, class: 'focus-ring' }));
    if (onSelect) {
      const choose = () => onSelect(t.name);
      g.addEventListener('click', choose);
      g.addEventListener('keydown', ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); choose(); } });
    }
    nodes[t.name] = { g, info };
    root.append(g);
  }
  return {
    element: root,
    setState(task, { status, startedAt, finishedAt, allowedFailure, reason }) {
      const n = nodes[task];
      if (!n) return;
      // a failure the Jobfile allows is a warning, not a red failure: the run went on as after a success
      n.g.setAttribute('class', `node s-${status}` + (allowedFailure ? ' allowed-failure' : '')
        + (n.g.classList.contains('selected') ? ' selected' : ''));
      n.g.dataset.status = status;
      // a task starting waits for a place to run (an agent): what for is said, not only shown in its log
      const waits = status === 'starting' && reason ? ` (${reason})` : '';
      n.g.setAttribute('aria-label', `task ${task}: ${status}` + (allowedFailure ? ' (allowed to fail)' : '') + waits);
      const ms = startedAt ? (finishedAt ? Date.parse(finishedAt) : Date.now()) - Date.parse(startedAt) : null;
      n.info.textContent = (allowedFailure ? `⚠ ${status}, allowed` : status) + (ms !== null ? ' · ' + duration(ms) : '');
    },
    select(task) {
      for (const [name, n] of Object.entries(nodes)) {
        n.g.classList.toggle('selected', name === task);
        // said, not only drawn: a screen reader hears which task's log is open
        if (name === task && onSelect) n.g.setAttribute('aria-current', 'true'); else n.g.removeAttribute('aria-current');
      }
    },
  };
}
