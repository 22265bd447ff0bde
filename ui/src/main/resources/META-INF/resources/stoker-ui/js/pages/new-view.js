import * as api from '../api.js';
import { h, field, oneAtATime, refuseIn } from '../atoms.js';

/** New View: a named filter of jobs, shown as a tab on the dashboard. */
export function newViewPage() {
  const name = h('input', { id: 'view-name', name: 'name', required: true, maxlength: 64 });
  const filter = h('input', { id: 'view-filter', name: 'filter', required: true, placeholder: 'e.g. backend/ or deploy' });
  const msg = h('div');
  const form = h('form.card', { onsubmit: oneAtATime()(async () => {
    try { await api.saveView(name.value, filter.value); location.hash = '#/views/' + encodeURIComponent(name.value); }
    catch (e) { refuseIn(form, msg, e); }
  }) }, h('h1', 'New View'), h('p.muted', 'A tab on the dashboard with the jobs whose "project/job" contains the filter text.'),
  field('Name', name), field('Filter', filter), msg, h('button.btn.primary', { type: 'submit' }, 'Save view'));
  return { element: form, title: 'New View' };
}
