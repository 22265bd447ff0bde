import { actionWords, detailWords, valueWords } from './audit-words.js';
import { test, equal } from './test-kit.js';

test('an audit action is said in words, and one the page does not know yet as the server named it', () => {
  equal(actionWords('user.role'), 'changed a user\'s role');
  equal(actionWords('member.added'), 'added a project member');
  equal(actionWords('thing.new'), 'thing.new');
});

test('an audit detail reads as label: value pairs in the server\'s order, each keeping the API\'s key', () => {
  equal(detailWords({ from: 'developer', to: 'admin' }),
    [{ key: 'from', label: 'from', text: 'developer' }, { key: 'to', label: 'to', text: 'admin' }]);
  equal(detailWords({ address: '127.0.0.1', runningTasks: 2 }).map(p => `${p.label}: ${p.text}`),
    ['from address: 127.0.0.1', 'tasks it ran: 2']);
  equal(detailWords({}), []);
  equal(detailWords(null), []);
});

test('an audit detail\'s values are words: yes/no, lists joined, enum-like words said plainly, no JSON', () => {
  equal(valueWords('allowed', true), 'yes');
  equal(valueWords('labels', ['linux', 'lab']), 'linux, lab');
  equal(valueWords('labels', []), 'none');
  equal(valueWords('projects', []), 'every project');
  equal(valueWords('changed', ['gitUrl', 'allowForkBuilds']), 'git URL, builds for forks');
  equal(valueWords('hostKey', 'trust-on-first-use'), 'trusted on first use');
  equal(valueWords('source', 'value'), 'a value kept by Stoker');
  equal(valueWords('from', '-'), 'none');
  equal(valueWords('vault', { path: 'kv/ci', key: 'token' }), 'path kv/ci, key token');
  equal(detailWords({ unknownThing: 'x' })[0].label, 'unknown thing');
});
