import { graphView } from './graph-view.js';
import { test, ok } from './test-kit.js';

test('a matrix frame around cells in the top row is drawn whole, its name not cut off by the picture\'s edge', () => {
  const view = graphView({ tasks: [{ name: 'test[jdk=17]', matrixOf: 'test' }, { name: 'test[jdk=21]', matrixOf: 'test' }],
    edges: [] }, null);
  document.body.append(view.element);
  // as app.css sizes it (this page loads no style sheet)
  view.element.querySelector('text.group-label').style.fontSize = '11px';
  try {
    const top = view.element.viewBox.baseVal.y;
    const frame = view.element.querySelector('rect.matrix').getBBox();
    const name = view.element.querySelector('text.group-label').getBBox();
    ok(frame.y >= top, `the frame's top ${frame.y} is in the picture, which starts at ${top}`);
    ok(name.y >= top, `the name's top ${name.y} is in the picture, which starts at ${top}`);
  } finally { view.element.remove(); }
});
