import { layout } from './graph-layout.js';
import { test, equal, ok } from './test-kit.js';

test('sources sit in layer 0 and a task one layer right of its deepest need', () => {
  const l = layout([{ name: 'build' }, { name: 'lint' }, { name: 'test' }, { name: 'ship' }],
    [{ from: 'build', to: 'test', kind: 'needs' }, { from: 'test', to: 'ship', kind: 'needs' },
     { from: 'lint', to: 'ship', kind: 'needs' }]);
  equal(l.nodes.build.layer, 0);
  equal(l.nodes.lint.layer, 0);
  equal(l.nodes.test.layer, 1);
  equal(l.nodes.ship.layer, 2);
});

test('a pipe edge layers like a need', () => {
  const l = layout([{ name: 'gen' }, { name: 'use' }], [{ from: 'gen', to: 'use', kind: 'pipe' }]);
  equal(l.nodes.use.layer, 1);
});

test('matrix cells of one task stay next to each other', () => {
  const tasks = [{ name: 'a' }, { name: 'b' },
    { name: 't[os=linux]', matrixOf: 't' }, { name: 'x' }, { name: 't[os=mac]', matrixOf: 't' }];
  const edges = [{ from: 'b', to: 't[os=linux]' }, { from: 'a', to: 'x' }, { from: 'b', to: 't[os=mac]' }];
  const l = layout(tasks, edges);
  const i1 = l.nodes['t[os=linux]'].index, i2 = l.nodes['t[os=mac]'].index;
  equal(Math.abs(i1 - i2), 1);
});

test('nodes do not overlap and the size covers them', () => {
  const l = layout([{ name: 'a' }, { name: 'b' }, { name: 'c' }], []);
  const ys = Object.values(l.nodes).map(n => n.y).sort((a, b) => a - b);
  ok(ys[1] - ys[0] >= l.nodeHeight && ys[2] - ys[1] >= l.nodeHeight, 'stacked without overlap');
  ok(l.height >= ys[2] + l.nodeHeight, 'height covers the last node');
});

test('a cycle (never compiled, but) does not hang', () => {
  const l = layout([{ name: 'a' }, { name: 'b' }], [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }]);
  ok(l.nodes.a && l.nodes.b, 'both placed');
});
