import { parse } from './events.js';
import { test, equal } from './test-kit.js';

test('events split on blank lines; comments and partial events wait', () => {
  const got = [];
  const rest = parse(': hi\n\nevent: run\ndata: {"run":"a-1","status":"running"}\n\nevent: task\ndata: {"ta', e => got.push(e));
  equal(got, [{ type: 'run', run: 'a-1', status: 'running' }]);
  equal(rest, 'event: task\ndata: {"ta');
});
