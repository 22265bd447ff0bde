// The one event stream: /events read with fetch (EventSource cannot send the bearer token), parsed here and handed
// to every page that subscribes; reconnects with a growing pause.
import * as api from './api.js';

const listeners = new Set();
let controller = null;
let backoff = 500;

/** Calls fn({type, ...data}) for each event; returns the unsubscribe function. */
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
  controller = new AbortController();
  const signal = controller.signal;
  (async () => {
    try {
      const r = await api.raw('/events', { signal, headers: { accept: 'text/event-stream' } });
      backoff = 500;
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer = parse(buffer + value, e => listeners.forEach(fn => fn(e)));
      }
    } catch (e) {
      if (signal.aborted) return;
    }
    if (!signal.aborted) {
      setTimeout(() => { if (!signal.aborted) start(); }, backoff);
      backoff = Math.min(backoff * 2, 10_000);
    }
  })();
}

export function stop() {
  controller?.abort();
  controller = null;
}
