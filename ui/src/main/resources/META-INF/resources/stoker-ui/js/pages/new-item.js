import * as api from '../api.js';
import * as session from '../session.js';
import { h, fill, field, projectHref, oneAtATime, notes } from '../atoms.js';

const SAMPLE = `job('build') {
  parameters {
    string 'greeting', defaultValue: 'hello'
  }
  task('compile') {
    sh 'echo "$greeting from Stoker"'
  }
  task('test') {
    needs 'compile'
    sh 'echo tests pass'
  }
}
`;

/** New item: a project from a git URL, or a freestyle project from a pasted Jobfile checked as you type. */
export function newItemPage() {
  if (session.current()?.user?.role === 'viewer') {
    return { element: h('div.card', { id: 'forbidden' }, h('h1', 'New item'),
      h('p', 'Creating projects is for developers and admins; ask an admin to change your role on the People page.')),
    title: 'New item' };
  }
  // each form's refusals show beside it, at the field they name: the forms stand side by side, under the fold on a
  // narrow screen, and one box at the top of the page is out of view of the field to mend
  const say = notes();
  const gitNote = say.box('git-note');
  const freeNote = say.box('free-note');
  // each form sends its project once, however often Create is pressed while the first is on its way
  const gitOnce = oneAtATime();
  const freeOnce = oneAtATime();
  // the new project's page, with its jobs, as Jenkins opens a job it has just made
  const done = p => { location.hash = projectHref(p.name); };

  // git
  // written for the browser's 'v' flag, where a '-' in a class must be escaped
  // each input's name is the API's field it fills: a refusal that names the field shows beside it
  const gName = h('input', { id: 'git-name', name: 'name', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._\\-]{0,99}',
    title: 'letters, digits, ".", "_" or "-", starting with a letter or digit' });
  const gUrl = h('input', { id: 'git-url', name: 'gitUrl', required: true, placeholder: 'https://host/org/repo.git or /path/to/repo' });
  const gBranch = h('input', { id: 'git-branch', name: 'branch', placeholder: 'main' });
  const gCreds = h('input', { id: 'git-credentials', name: 'credentials', autocomplete: 'off' });
  const gitSubmit = h('button.btn.primary', { type: 'submit', id: 'create-git' }, 'Create project');
  const gitForm = h('form.card', { id: 'git-form', onsubmit: gitOnce(async () => {
    try {
      done(await api.createProject({ name: gName.value, gitUrl: gUrl.value, branch: gBranch.value || undefined,
        credentials: gCreds.value.trim() || undefined }));
    }
    catch (e) { say.refusedIn(gitForm, gitNote, e); }
  }) }, h('h2', 'Project from a git repository'), h('p.muted', 'Stoker reads the Jobfile at the branch\'s newest commit: the first of Jobfile, Jobfile.yaml, Jobfile.yml and Jobfile.json at the repository\'s root.'),
  field('Name', gName), field('Git URL', gUrl), field('Branch', gBranch, 'default: main'),
  field('Git credentials', gCreds, 'optional, for a private repository: the name of a secret holding username:token '
    + '(stoker secret set NAME; a global one, since the first fetch comes before the project is made)'),
  gitSubmit, gitNote);

  // freestyle
  const fName = h('input', { id: 'free-name', name: 'name', required: true, pattern: gName.pattern, title: gName.title });
  const gutter = h('pre.gutter', { 'aria-hidden': 'true' });
  const text = h('textarea.code', { id: 'jobfile', name: 'jobfile', spellcheck: 'false', rows: 18, 'aria-describedby': 'diagnostics' });
  text.value = SAMPLE;
  const diags = h('ul.diagnostics', { id: 'diagnostics', 'aria-live': 'polite' });
  const submit = h('button.btn.primary', { type: 'submit', id: 'create-free' }, 'Create project');
  let timer = null;
  let seq = 0;
  let bad = new Set();
  const paintGutter = () => {
    const n = text.value.split('\n').length;
    gutter.replaceChildren(...Array.from({ length: n }, (_, i) => h('span', { class: bad.has(i + 1) ? 'bad' : null }, `${i + 1}\n`)));
    gutter.scrollTop = text.scrollTop;
  };
  const check = async () => {
    const mine = ++seq;
    try {
      const r = await api.validate(text.value, 'Jobfile');
      if (mine !== seq) return; // an older answer arrived late
      bad = new Set(r.diagnostics.filter(d => d.severity === 'error').map(d => d.line));
      fill(diags, r.diagnostics.length ? r.diagnostics.map(d => h(`li.${d.severity}`,
        h('a', { href: '#', 'data-line': d.line, onclick: ev => { ev.preventDefault(); goTo(d.line, d.col); } }, `${d.line}:${d.col}`),
        ` ${d.severity}: ${d.message}`)) : h('li.ok', '✓ The Jobfile is valid.'));
      submit.disabled = !r.valid;
      paintGutter();
    } catch (e) { if (mine === seq) fill(diags, h('li.error', e.message)); }
  };
  const goTo = (line, col) => {
    const lines = text.value.split('\n');
    let pos = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    pos += Math.max(0, col - 1);
    text.focus();
    text.setSelectionRange(pos, pos);
  };
  text.addEventListener('input', () => {
    paintGutter();
    // "valid" said of the text before this change would stand until the check answers (a second or two)
    if (diags.querySelector('li.ok')) fill(diags, h('li.muted.checking', 'Checking…'));
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  text.addEventListener('scroll', () => { gutter.scrollTop = text.scrollTop; });
  text.addEventListener('keydown', ev => {
    // Tab indents inside the editor; Escape then Tab leaves it (keyboard users are not trapped)
    if (ev.key === 'Tab' && !ev.shiftKey && !text.dataset.escaped) {
      ev.preventDefault();
      text.setRangeText('  ', text.selectionStart, text.selectionEnd, 'end');
      text.dispatchEvent(new Event('input'));
    } else if (ev.key === 'Escape') text.dataset.escaped = '1';
    else delete text.dataset.escaped;
  });
  const freeForm = h('form.card', { id: 'free-form', onsubmit: freeOnce(async () => {
    try { done(await api.createProject({ name: fName.value, jobfile: text.value })); }
    catch (e) { say.refusedIn(freeForm, freeNote, e); }
  }) }, h('h2', 'Freestyle project from a Jobfile'),
  h('p.muted', 'Paste or write a Jobfile; it is checked as you type. Tab indents; Escape then Tab leaves the editor.'),
  field('Name', fName), h('label', { for: 'jobfile' }, 'Jobfile'), h('div.editor', gutter, text), diags, submit, freeNote);
  paintGutter();
  check();
  return { element: h('div', h('h1', 'New item'), h('div.two', gitForm, freeForm)), title: 'New item',
    dispose: () => clearTimeout(timer) };
}
