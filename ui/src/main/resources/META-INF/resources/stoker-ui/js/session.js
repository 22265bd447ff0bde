// The login: tokens in sessionStorage (gone with the tab), the access token refreshed a minute before it expires.
const KEY = 'stoker.session';
const listeners = new Set();
let timer = null;
// why the last session ended other than by a Log out the server heard: the login page says it until the next login
let endedBecause = null;

/** What the login page says when the server refused a session the tab still had. */
export const ENDED = 'Your session has ended (it expired, or was ended elsewhere): log in again to go on.';

/** What the login page says after a Log out the server did not hear. */
export const LOGGED_OUT_UNREACHED = 'You are logged out in this tab, but the Stoker server could not be reached to end '
  + 'the session there: it stays valid on the server until it expires.';

/** What the login page says after a Log out the server refused. */
export const LOGGED_OUT_UNENDED = 'You are logged out in this tab, but the server could not end the session there';

/** The current session {token, refreshToken, expiresAt, user} or null. */
export function current() {
  try { return JSON.parse(sessionStorage.getItem(KEY)); } catch { return null; }
}

export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

/** Stores tokens from POST /login or /token/refresh and plans the next refresh. */
export function store(tokens, user, refresh) {
  endedBecause = null;
  const s = { token: tokens.token, refreshToken: tokens.refreshToken,
    expiresAt: Date.now() + (tokens.expiresIn ?? 900) * 1000, user: user ?? current()?.user ?? null };
  sessionStorage.setItem(KEY, JSON.stringify(s));
  schedule(refresh);
  listeners.forEach(fn => fn(s));
  return s;
}

/** Ends the session in this tab; `reason` is what the login page then says (none after Log out). */
export function clear(reason = null) {
  endedBecause = reason;
  sessionStorage.removeItem(KEY);
  clearTimeout(timer);
  listeners.forEach(fn => fn(null));
}

/** Plans refresh(refreshToken) 60 s before expiry (at once when that moment has passed). */
export function schedule(refresh) {
  clearTimeout(timer);
  const s = current();
  if (!s || !refresh) return;
  timer = setTimeout(() => refresh(s.refreshToken).catch(e => {
    // refused (the login ended): log out; not reached (a restart, a network change): try again in 10 s
    if (typeof e?.status === 'number') clear(ENDED);
    else timer = setTimeout(() => schedule(refresh), 10_000);
  }), Math.max(0, s.expiresAt - Date.now() - 60_000));
}

/** Why the last session ended, when not by a Log out the server heard (the login page says it); null otherwise. */
export function endedReason() { return endedBecause; }
