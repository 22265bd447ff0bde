// The one event stream: /events read with fetch (EventSource cannot send the bearer token), parsed here and handed
// to every page that subscribes; reconnects with a growing pause, and then sends {type: 'reconnected'} so pages
// read again what they show.
import * as api from './api.js';

const listeners = new Set();
let controller = null;
let backoff = 500;
// set when a stream ended other than by stop(): the next one to open tells the subscribers "reconnected"
let dropped = false;
// the server writes a heartbeat comment every 15 s: three missed and the connection counts as dead
const SILENT_MS = 45_000;
const SILENT = 'no heartbeat';

/**
 * Calls fn({type, ...data}) for each event, and fn({type: 'reconnected'}) when the stream is back after a drop
 * (events may have been missed); returns the unsubscribe function.
 */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** How many subscribers there are: a page that is gone must have let go of its own (the browser spec counts them). */
export function subscribers() {
  return listeners.size;
}

/** Splits a chunk of text/event-stream into events; returns the unparsed rest. */
export function parse(buffer, emit) {
  let end;
  while ((end = buffer.indexOf('\n\n')) >= 0) {
    const block = buffer.slice(0, end);
    buffer = buffer.slice(end + 2);
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length) {
      try { emit({ type, ...JSON.parse(data.join('\n')) }); } catch { /* not JSON: ignored */ }
    }
  }
  return buffer;
}

export function start() {
  stop();
  connect();
}

function connect() {
  const own = new AbortController();
  controller = own;
  const signal = own.signal;
  // one page's failing handler must neither starve the others nor count as a dropped stream
  const emit = e => listeners.forEach(fn => { try { fn(e); } catch (err) { console.error(err); } });
  (async () => {
    // a connection a proxy or a sleeping laptop left half-open shows nothing; the server's heartbeat says it lives
    let quiet = null;
    const watch = () => { clearTimeout(quiet); quiet = setTimeout(() => own.abort(SILENT), SILENT_MS); };
    try {
      watch();
      const r = await api.raw('/events', { signal, headers: { accept: 'text/event-stream' } });
      backoff = 500;
      // events sent while the stream was down are lost: the pages read their data again once
      if (dropped) { dropped = false; emit({ type: 'reconnected' }); }
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        watch();
        buffer = parse(buffer + value, emit);
      }
    } catch { /* dropped, refused or silent: tried again below unless stopped */ }
    clearTimeout(quiet);
    if (controller !== own || (signal.aborted && signal.reason !== SILENT)) return;
    dropped = true;
    setTimeout(() => { if (controller === own) connect(); }, backoff);
    backoff = Math.min(backoff * 2, 10_000);
  })();
}

export function stop() {
  controller?.abort();
  controller = null;
  dropped = false;
}
