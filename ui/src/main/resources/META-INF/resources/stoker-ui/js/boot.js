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
  // relative to this script's own address (js/), whatever page loaded it
  import(new URL('main.js', document.currentScript.src).href).catch(failed);
})();
