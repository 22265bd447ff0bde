import * as api from '../api.js';
import * as session from '../session.js';
import { changeable } from '../access.js';
import { jobfileEditor } from '../jobfile-editor.js';
import { h, fill, button, problem, section, field, ago, jobHref, runHref, versionsHref, deploymentsHref, oneAtATime, refuseIn, clearRefusals } from '../atoms.js';
import { targetsSection } from './project-targets.js';

/**
 * A project: where its jobs come from, its jobs, what its deploy targets run (live, as deployments go), and its own
 * secrets (names only).
 */
export async function projectPage({ project }) {
  const [p, mayChange] = await Promise.all([api.project(project), changeable()]);
  const jobsBox = h('div', { id: 'project-jobs' }, jobList(project, p.jobs));
  const source = p.kind === 'git'
    ? [h('p', 'From ', h('code', p.gitUrl), ', branch ', h('code', p.branch ?? 'default'),
      p.commit ? [' at ', h('code', p.commit.slice(0, 10))] : null, ', file ', h('code', p.file ?? 'Jobfile')),
    h('p.muted.small', { id: 'project-jobfile-git' }, 'Its Jobfile is edited in the repository: a push to the branch reads it '
      + 'again (with a webhook), as does ', h('code', `stoker project refresh ${project}`), '.')]
    : freestyleSource(project, p, mayChange(project), jobs => fill(jobsBox, jobList(project, jobs)));
  const secrets = await secretsBox(project);
  // last of the reads: it listens to the event stream, which a page that failed to load would never let go of
  const targets = await targetsSection(project, mayChange(project));
  return { title: project, element: h('div',
    h('div.page-head', h('h1', h('span.muted', 'Project '), project)),
    (p.jobfileProblems ?? []).map(jobfileProblem),
    section('Source', source),
    section('Jobs', jobsBox),
    section('Targets', targets.element),
    section('Releases', h('p.releases', h('a', { href: versionsHref(project), id: 'project-versions' }, 'Versions'),
      ' (what its runs published) · ', h('a', { href: deploymentsHref(project), id: 'project-deployments' }, 'Deployments'),
      ' (where they run, and how it went)')),
    section('Secrets', secrets),
    mayChange(project) ? section('Delete project', deleteBox(project)) : null), dispose: targets.dispose };
}

const jobList = (project, jobs) => jobs.length
  ? h('ul.project-jobs', jobs.map(j => h('li', h('a', { href: jobHref(project, j) }, j))))
  : h('p.muted', 'No jobs.');

/**
 * A freestyle project's Jobfile, kept only by the server: shown, and for whoever may change the project an Edit that
 * opens it in the editor New item has, checked by the server's compiler as one types; Save sends it as the project's
 * update (PUT /projects/{project}), which compiles it again and stores the jobs, told to {@code jobsChanged}.
 */
function freestyleSource(project, p, mayChange, jobsChanged) {
  let jobfile = p.jobfile ?? '';
  const shown = h('pre.jobfile-text', jobfile);
  const view = h('details', { id: 'project-jobfile' }, h('summary', 'Its Jobfile'), shown);
  const note = h('div', { id: 'project-jobfile-note', 'aria-live': 'polite' });
  const place = h('div', view);
  const edit = () => {
    const save = h('button.btn.primary', { type: 'submit', id: 'project-jobfile-save', disabled: true }, 'Save');
    const editor = jobfileEditor({ id: 'project-jobfile-text', diagnosticsId: 'project-jobfile-diagnostics',
      value: jobfile, file: p.file ?? 'Jobfile', onChecked: valid => { save.disabled = !valid; } });
    const close = () => { editor.dispose(); fill(place, view); editButton.hidden = false; };
    const form = h('form.jobfile-edit', { id: 'project-jobfile-form', onsubmit: oneAtATime()(async () => {
      try {
        const after = await api.updateProject(project, { jobfile: editor.text.value });
        jobfile = after.jobfile ?? editor.text.value;
        shown.textContent = jobfile;
        jobsChanged(after.jobs);
        close();
        fill(note, h('div.notice', { role: 'status' }, 'Jobfile saved; its jobs are as it says.'));
      } catch (e) { refuseIn(form, note, e); }
    }) }, h('label', { for: 'project-jobfile-text' }, 'Jobfile'),
    h('p.muted.small', 'Checked as you type. Tab indents; Escape then Tab leaves the editor.'),
    editor.editor, editor.diagnostics,
    h('div.actions', save, button('Cancel', () => { clearRefusals(form); fill(note); close(); }, 'project-jobfile-cancel')));
    editButton.hidden = true;
    fill(note);
    fill(place, form);
    editor.text.focus();
  };
  const editButton = mayChange ? button('Edit Jobfile', edit, 'small edit-jobfile') : null;
  const how = mayChange ? 'Edit Jobfile changes it here; ' : '';
  return [h('p', 'Freestyle: its Jobfile is kept by the server. ', how, h('code', `stoker project update ${project} --jobfile FILE`),
    ' replaces it.'), editButton, place, note];
}

/**
 * Delete project, after a question (as Jenkins' Delete Project asks): the project goes with its finished runs, their
 * logs and artifacts, its versions and deployment history. One with runs going is refused: the refusal shows under
 * the button, each run a link, to be cancelled first.
 */
function deleteBox(project) {
  const note = h('div', { id: 'project-delete-note', 'aria-live': 'polite' });
  const press = oneAtATime()(async () => {
    if (!confirm(`Delete the project ${project}? Its finished runs with their logs and artifacts, its versions and its `
      + 'deployment history go with it, and cannot be had back.')) return;
    try {
      await api.deleteProject(project);
      location.hash = '#/';
    } catch (e) {
      // runs going: the details are their keys
      fill(note, e.status === 409 && e.error === 'runs-going'
        ? h('div.alert', { role: 'alert' }, `${project} has runs that have not ended; cancel them first: `,
          e.details.map((key, i) => [i ? ', ' : '', h('a', { href: runHref(key) }, key)]))
        : problem(e));
    }
  });
  return [h('p.muted', 'Its finished runs with their logs and artifacts, its versions and deployment history go with it.'),
    button('Delete project', press, 'danger delete-project'), note];
}

/** How many of a Jobfile problem's diagnostics its banner lists; the API has them all. */
const SHOWN_DIAGNOSTICS = 3;

/**
 * A banner for a ref whose latest pushed Jobfile does not compile (no run started for it): which branch, tag or pull
 * request, the commit, when, and its first errors where the compile put them.
 */
function jobfileProblem(problem) {
  const errors = problem.diagnostics.filter(d => d.severity === 'error');
  const listed = errors.length ? errors : problem.diagnostics;
  const more = listed.length - SHOWN_DIAGNOSTICS;
  return h('div.alert.jobfile-problem', { role: 'alert', 'data-ref': problem.ref },
    h('strong', `The Jobfile of ${refName(problem.ref)} does not compile`), ' at ', h('code', problem.commit.slice(0, 10)),
    ' (found ', ago(problem.at), '): no run started for it.',
    h('ul', listed.slice(0, SHOWN_DIAGNOSTICS).map(d => h('li',
      h('code', d.line > 0 ? `${problem.file}:${d.line}:${d.col}` : problem.file), ' ', d.message))),
    more > 0 ? h('p.small', `and ${more} more; `, h('code', 'stoker validate'), ' lists them all.') : null);
}

/** A ref as people name it: branch main, tag v1, pull request #4. */
function refName(ref) {
  const pr = /^refs\/(?:pull|merge-requests)\/(\d+)\/head$/.exec(ref);
  if (pr) return `pull request #${pr[1]}`;
  if (ref.startsWith('refs/heads/')) return `branch ${ref.slice('refs/heads/'.length)}`;
  if (ref.startsWith('refs/tags/')) return `tag ${ref.slice('refs/tags/'.length)}`;
  return ref;
}

/**
 * The project's own secrets, for its members and admins only (as the server answers them): their names (a value
 * never leaves the server), a form that adds one or gives one a new value, and a Delete that asks first. Others are
 * told whose they are.
 */
async function secretsBox(project) {
  const me = session.current()?.user;
  const forbidden = () => h('p.muted', { id: 'project-secrets-forbidden' },
    `The secrets of ${project} are for its members and admins.`);
  if (me?.role === 'viewer') return forbidden();
  const members = await api.members(project).then(m => m.members).catch(() => []);
  const mayChange = me?.role === 'admin' || members.includes(me?.username);
  if (!mayChange) return forbidden();
  const first = await api.secrets({ project }).catch(e => e);
  const list = h('div', { id: 'project-secrets' });
  const error = h('div', { id: 'project-secret-error', 'aria-live': 'polite' });
  let names = [];
  const paint = secrets => {
    if (secrets instanceof Error) return fill(list, problem(secrets));
    names = secrets.map(s => s.name);
    fill(list, secrets.length ? h('ul.secrets', secrets.map(s => h('li', { 'data-secret': s.name }, h('code', s.name),
      h('span.muted', ` set ${s.updatedBy ? 'by ' + s.updatedBy + ' ' : ''}`), ago(s.updatedAt), ' ',
      button('Delete', remove(s.name), 'small delete-secret'))))
      : h('p.muted', 'No secrets of its own.'));
  };
  const reload = async () => paint(await api.secrets({ project }).catch(e => e));
  const remove = name => async () => {
    if (!confirm(`Delete the secret ${name} of ${project}? Its jobs that declare it no longer get it.`)) return;
    try { await api.deleteSecret(name, project); fill(error); await reload(); } catch (e) { fill(error, problem(e)); }
  };
  paint(first);
  const hint = h('p.muted.small', 'Jobs of this project read one by declaring it: ', h('code', "secrets 'NAME'"),
    '. Values are never shown again, not even here.');
  // no pattern on the name: the server's refusal says what a name may hold, the browser's would not
  const name = h('input', { id: 'project-secret-name', name: 'name', required: true, autocomplete: 'off', maxlength: 100 });
  const value = h('input', { id: 'project-secret-value', name: 'value', type: 'password', required: true, autocomplete: 'new-password' });
  const form = h('form.inline', { id: 'project-secret-form', onsubmit: oneAtATime()(async () => {
    const n = name.value.trim();
    const replacing = names.includes(n);
    try {
      // a name it has already gets a new value; who may read it is the project's alone either way
      if (replacing) await api.replaceSecret(n, value.value, project);
      else await api.createSecret({ name: n, value: value.value, project });
      name.value = value.value = '';
      clearRefusals(form);
      fill(error, h('div.notice', { role: 'status' }, `Secret ${n} ${replacing ? 'replaced' : 'added'}.`));
      await reload();
    } catch (e) { refuseIn(form, error, e); }
  }) }, field('Name', name, 'a variable name: letters, digits and _; a name it has gets the new value'),
  field('Value', value), h('button.btn', { type: 'submit' }, 'Save secret'));
  return [list, hint, form, error];
}
