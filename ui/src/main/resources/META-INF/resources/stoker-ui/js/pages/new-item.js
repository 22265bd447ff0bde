import * as api from '../api.js';
import * as session from '../session.js';
import { h, field, projectHref, oneAtATime, notes } from '../atoms.js';
import { jobfileEditor } from '../jobfile-editor.js';

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
  const submit = h('button.btn.primary', { type: 'submit', id: 'create-free' }, 'Create project');
  const jobfile = jobfileEditor({ id: 'jobfile', diagnosticsId: 'diagnostics', value: SAMPLE,
    onChecked: valid => { submit.disabled = !valid; } });
  const freeForm = h('form.card', { id: 'free-form', onsubmit: freeOnce(async () => {
    try { done(await api.createProject({ name: fName.value, jobfile: jobfile.text.value })); }
    catch (e) { say.refusedIn(freeForm, freeNote, e); }
  }) }, h('h2', 'Freestyle project from a Jobfile'),
  h('p.muted', 'Paste or write a Jobfile; it is checked as you type. Tab indents; Escape then Tab leaves the editor.'),
  field('Name', fName), h('label', { for: 'jobfile' }, 'Jobfile'), jobfile.editor, jobfile.diagnostics, submit, freeNote);
  return { element: h('div', h('h1', 'New item'), h('div.two', gitForm, freeForm)), title: 'New item',
    dispose: jobfile.dispose };
}
