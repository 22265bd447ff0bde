import * as api from '../api.js';
import { h, fill, button, field, problem, oneAtATime, refuseIn, clearRefusals, runLink } from '../atoms.js';

/** How many of the newest versions the Version field offers; an older one is typed. */
const OFFERED = 50;

/**
 * Deploy and Roll back on a project's page, for whoever may change the project, as `stoker deploy` and `stoker
 * rollback` (and GitLab's environments) do: a form that deploys a version to a target, offering the newest versions
 * published, and a Roll back for a target, which asks first. What the deployment does then shows in the Targets
 * section as it goes. Returns {form, rollback(target)}: the form with the box it speaks in, and a target's button.
 */
export function deployControls(project, targets) {
  const note = h('div', { id: 'deploy-note', 'aria-live': 'polite' });
  const started = (what, d) => fill(note, h('div.notice', { role: 'status' }, what, ', run ', runLink(d.run, d.runNumber)));
  const offered = h('datalist', { id: 'deploy-versions' });
  const version = h('input', { id: 'deploy-version', name: 'version', list: 'deploy-versions', required: true, autocomplete: 'off' });
  const target = h('select', { id: 'deploy-target', name: 'target' }, targets.map(t => h('option', { value: t }, t)));
  // read again as the field is entered: a run may have published one since the page was opened
  const offer = () => api.versions(project, { page: 1, pageSize: OFFERED })
    .then(r => fill(offered, r.versions.map(v => h('option', { value: v.version }, v.status))))
    .catch(() => { /* a version can be typed all the same */ });
  version.addEventListener('focus', offer);
  offer();
  const form = h('form.inline.tall', { id: 'deploy-form', onsubmit: oneAtATime()(async () => {
    try {
      const d = await api.deploy(project, version.value.trim(), target.value);
      clearRefusals(form);
      version.value = '';
      started(`Deploying ${d.version} to ${d.target}`, d);
    } catch (e) { refuseIn(form, note, e); }
  }) }, field('Version', version, 'one the project published'), field('Target', target), offered,
  h('button.btn.primary', { type: 'submit' }, 'Deploy'));
  const rollback = name => {
    const b = button('Roll back', oneAtATime()(async () => {
      if (!confirm(`Roll back ${name}? The version it ran before the one it runs now is deployed there again.`)) return;
      try { started(`Rolling back ${name}`, await api.rollback(project, name)); } catch (e) { fill(note, problem(e)); }
    }), 'small rollback');
    b.setAttribute('aria-label', `roll back ${name}`);
    return b;
  };
  return { form: [form, note], rollback };
}
