// Loads the pages' modules and says so when they cannot be loaded. A classic script, not a module: a module whose
// own file (or any file it imports) fails to load — a proxy's error page, a server restarted with a newer build whose
// files no longer fit the ones this tab holds — is never run, and the page would stay at "Loading…" for good.
(function () {
  'use strict';
  function failed(cause) {
    var app = document.getElementById('app');
    if (!app) return;
    var card = document.createElement('div');
    card.className = 'card pad';
    card.id = 'load-failed';
    card.setAttribute('role', 'alert');
    var heading = document.createElement('h1');
    heading.textContent = 'Stoker’s pages could not be loaded';
    var why = document.createElement('p');
    why.textContent = 'A script of the page did not load: the server may have restarted with a newer version, or the '
      + 'network or a proxy between you and it failed.';
    var again = document.createElement('p');
    var link = document.createElement('a');
    link.id = 'reload';
    link.href = location.href;
    link.textContent = 'Reload the page';
    link.addEventListener('click', function (ev) { ev.preventDefault(); location.reload(); });
    again.append(link);
    var detail = document.createElement('p');
    detail.className = 'muted';
    detail.textContent = String(cause && cause.message || cause || '');
    card.append(heading, why, again, detail);
    app.replaceChildren(card);
    document.title = 'Not loaded – Stoker';
  }
  // A load that failed on the way (a connection dropped under load) is tried again once, by a reload: the browser
  // keeps a module that failed to fetch as failed for the document's life, so only a new document fetches it
  // again. The time of that try is kept for the tab; a second failure within a minute shows the card.
  var RETRIED = 'stoker.bootRetried';
  function retryOnce(cause) {
    try {
      var last = Number(sessionStorage.getItem(RETRIED) || 0);
      if (Date.now() - last > 60000) {
        console.warn('Stoker: a script of the page did not load (' + (cause && cause.message || cause) + '); reloading once');
        sessionStorage.setItem(RETRIED, String(Date.now()));
        location.reload();
        return;
      }
    } catch (e) {
      // no session storage (a browser that refuses it): no retry, the card says what happened
    }
    failed(cause);
  }
  function loaded() {
    try { sessionStorage.removeItem(RETRIED); } catch (e) { /* nothing was kept */ }
  }
  // relative to this script's own address (js/), whatever page loaded it
  import(new URL('main.js', document.currentScript.src).href).then(loaded, retryOnce);
})();
