import { segments, plain } from './ansi.js';
import { test, equal } from './test-kit.js';

test('plain text is one unstyled segment', () => {
  equal(segments('hello'), [{ text: 'hello', style: {} }]);
});

test('a red word then a reset', () => {
  const s = segments('\x1b[31merror\x1b[0m: boom');
  equal(s.length, 2);
  equal(s[0], { text: 'error', style: { fg: 'var(--ansi-red)' } });
  equal(s[1], { text: ': boom', style: {} });
});

test('bold and bright colours combine; 39 drops the colour only', () => {
  const s = segments('\x1b[1;92mok\x1b[39m still bold');
  equal(s[0].style, { bold: true, fg: 'var(--ansi-bright-green)' });
  equal(s[1].style, { bold: true });
});

test('256 and true colours', () => {
  equal(segments('\x1b[38;5;196mx')[0].style.fg, 'rgb(255,0,0)');
  equal(segments('\x1b[48;2;1;2;3mx')[0].style.bg, 'rgb(1,2,3)');
});

test('cursor movement and title escapes are dropped', () => {
  equal(plain('\x1b[2K\x1b]0;title\x07done\x1b[1A'), 'done');
});

test('markup in a log stays text', () => {
  equal(segments('<b>not bold</b>')[0].text, '<b>not bold</b>');
});

test('a part of a line keeps the colours set before it, counted in the text without escapes', () => {
  const line = 'ok \x1b[31merror\x1b[0m: boom';
  equal(segments(line, 5, 10), [{ text: 'ror', style: { fg: 'var(--ansi-red)' } }, { text: ': ', style: {} }]);
  equal(segments(line, 8), [{ text: ': boom', style: {} }], 'to the end');
  equal(segments(line, 0, 3), [{ text: 'ok ', style: {} }], 'before the colour');
  equal(segments(line, 0, 3).map(s => s.text).join('') + segments(line, 3).map(s => s.text).join(''), plain(line));
});
