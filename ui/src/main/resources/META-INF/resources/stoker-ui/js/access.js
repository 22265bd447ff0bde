import * as api from './api.js';

/**
 * Which projects the person may change (build, rerun, cancel, reload a Jobfile), asked afresh by each page that
 * offers such buttons: membership changes while a session lasts. Admins may change every project, developers the
 * projects they are members of, viewers none; the server decides all the same, this only spares buttons that
 * could only be refused.
 */
export async function changeable() {
  const me = await api.me();
  if (me.role === 'admin') return () => true;
  if (me.role !== 'developer') return () => false;
  const mine = new Set(me.memberOf ?? []);
  return project => mine.has(project);
}
