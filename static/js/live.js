/* noviwerk live: the one loop that keeps the wall, the beamer and the regie up to date.

   The page's poller ([data-live-poll], an htmx element with hx-trigger="nw-poll") fetches
   what changed after the page's cursor (the inputs its hx-include names) and the page's own
   script (wall.js, regie.js) puts it in place. This script decides when it fetches:

   - push: a held GET to data-live with the same cursor, answered by the server as soon as
     the werkplaats moved (services/live.py, at most ~25 s later); then the poller fetches,
     and the next wait starts from the new cursor, no sooner than the answer's "gap" (ms)
     after that fetch: longer while the server has people waiting (web/wall.py). Nothing
     travels in the wake-up itself, so a missed one costs time, never a card. A wait that
     ends without a change fetches too.
   - poll: every data-poll-ms, as before push, whenever a wait fails, the server is busy
     (all its waits taken) or the page has no data-live; push is tried again after RETRY_MS.

   While the wall is paused (#wall-pause) nothing is fetched; the cursor catches up after.
   A fetch answered 404 or 410 is not swapped in; on a page whose poller has a
   data-gone-message (a tafel screen, whose link can be replaced) it ends the loop and shows
   that message instead of going quiet. */
(function () {
  "use strict";

  var RETRY_MS = 30000;  // polling this long after push failed or was refused
  var GAP_MS = 100;      // at least this long from a fetch to the next wait; the wake-up
                         // may say longer ("gap"): the server has people waiting
  var FETCH_MS = 3000;   // a fetch whose end we did not see: go on regardless
  var ABORT_MS = 60000;  // a wait the server never answers (the hold is ~25 s)
  var pushOffUntil = 0;
  var lastFetch = 0;
  var gone = false;

  function poller() { return document.querySelector("[data-live-poll]"); }
  function pollMs(p) { return parseInt(p.getAttribute("data-poll-ms"), 10) || 500; }
  function paused() {
    var btn = document.getElementById("wall-pause");
    return !!btn && btn.getAttribute("aria-pressed") === "true";
  }
  function later(fn, ms) { window.setTimeout(fn, Math.max(0, ms)); }

  // The cursor and version the page shows: the same values the poller sends.
  function cursorQuery(p) {
    var params = new URLSearchParams();
    (p.getAttribute("hx-include") || "").split(",").forEach(function (selector) {
      var el = selector.trim() ? document.querySelector(selector.trim()) : null;
      if (el && el.name) params.set(el.name, el.value);
    });
    return params.toString();
  }

  // Fire the poller; resolves once its answer is in place (or after a while regardless: a
  // fetch dropped because one is still out resolves with that one).
  function fetchChanges() {
    return new Promise(function (resolve) {
      var p = poller();
      if (!p || paused()) { resolve(); return; }
      var id = p.id;
      var timer = window.setTimeout(done, FETCH_MS);
      // A redraw replaces the poller itself (the beamer's #beamer): its events may then
      // come from elsewhere, so any of these, from the request of an element with its id.
      var events = ["htmx:afterRequest", "htmx:afterSettle"];
      function after(e) {
        var d = e.detail || {};
        var elt = d.requestConfig && d.requestConfig.elt ? d.requestConfig.elt : d.elt;
        if (elt && elt.id === id) done();
      }
      function done() {
        window.clearTimeout(timer);
        events.forEach(function (name) { document.removeEventListener(name, after); });
        resolve();
      }
      events.forEach(function (name) { document.addEventListener(name, after); });
      lastFetch = Date.now();
      window.htmx.trigger(p, "nw-poll");
    });
  }

  function poll(p) {
    fetchChanges().then(function () { later(loop, lastFetch + pollMs(p) - Date.now()); });
  }

  function push(p, url) {
    var gap = GAP_MS;
    var abort = window.AbortController ? new window.AbortController() : null;
    var timer = abort ? window.setTimeout(function () { abort.abort(); }, ABORT_MS) : null;
    window.fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + cursorQuery(p), {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
      signal: abort ? abort.signal : undefined
    }).then(function (r) {
      if (!r.ok) throw new Error("wait answered " + r.status);
      return r.json();  // a login page instead (session expired) throws: the poll handles it
    }).then(function (state) {
      window.clearTimeout(timer);
      if (state.busy) pushOffUntil = Date.now() + RETRY_MS;
      gap = Math.max(GAP_MS, parseInt(state.gap, 10) || 0);
      return fetchChanges();
    }).then(function () {
      later(loop, lastFetch + gap - Date.now());
    }, function () {
      window.clearTimeout(timer);
      pushOffUntil = Date.now() + RETRY_MS;
      poll(p);
    });
  }

  // The page's address no longer answers: say so once, where screen readers hear it.
  function showGone(p) {
    gone = true;
    var text = p.getAttribute("data-gone-message");
    if (document.getElementById("live-gone")) return;
    var note = document.createElement("p");
    note.id = "live-gone";
    note.className = "flash flash-error";
    note.setAttribute("role", "alert");
    note.textContent = text;
    var main = document.getElementById("main") || document.body;
    main.insertBefore(note, main.firstChild);
  }

  // htmx swaps a 4xx answer (base.html's responseHandling, for forms): not this one.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var p = poller(), d = e.detail || {};
    var elt = d.requestConfig && d.requestConfig.elt ? d.requestConfig.elt : d.elt;  // d.elt: the target
    if (!p || elt !== p || !d.xhr || (d.xhr.status !== 404 && d.xhr.status !== 410)) return;
    e.detail.shouldSwap = false;  // an error page is no list of changes
    if (p.getAttribute("data-gone-message")) showGone(p);  // else: ask again, as before
  });

  function loop() {
    if (gone) return;
    var p = poller();
    if (!p) { later(loop, 1000); return; }  // redrawn (beamer) or not on this page yet
    var url = p.getAttribute("data-live");
    if (paused()) { later(loop, pollMs(p)); return; }
    if (!url || !window.fetch || Date.now() < pushOffUntil) { poll(p); return; }
    push(p, url);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (poller()) loop();
  });
})();
