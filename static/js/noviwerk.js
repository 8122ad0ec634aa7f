/* noviwerk: small behaviours on top of htmx. Everything here is an enhancement: every form
   also works without JavaScript. No eval, no inline handlers (the CSP forbids both). */
(function () {
  "use strict";

  function updateCounter() {
    var area = document.querySelector("#post-form textarea");
    var counter = document.getElementById("text-counter");
    if (!area || !counter) return;
    var limit = parseInt(counter.getAttribute("data-limit"), 10) || 500;
    var left = limit - area.value.length;
    var n = Math.abs(left), en = document.documentElement.lang === "en";
    var unit = en ? (n === 1 ? " character" : " characters") : (n === 1 ? " teken" : " tekens");
    counter.textContent = left >= 0
      ? (en ? n + unit + " left" : "nog " + n + unit)
      : (en ? n + unit + " too many" : n + unit + " te veel");
    counter.classList.toggle("is-over", left < 0);
  }

  document.addEventListener("input", function (e) {
    if (e.target && e.target.matches && e.target.matches("#post-form textarea")) updateCounter();
  });
  document.addEventListener("DOMContentLoaded", updateCounter);

  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.target && e.target.id === "post-form") {
      updateCounter();
      var area = e.target.querySelector("textarea");
      if (area) area.focus();
    }
  });

  // A form that asks first ("Verwijderen", "Weglaten", a new tafel link): data-confirm holds
  // the question. (htmx's hx-confirm asks only before a request htmx sends itself, and these
  // are plain forms.) Without JavaScript the form is sent without the question.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) e.preventDefault();
  });

  // A poll that gets no answer (offline, server restarting): say so once, calmly, and clear
  // the message when the next one succeeds. Posts have their own outbox (outbox.js).
  var CONNECTION_LOST = document.documentElement.lang === "en"
    ? "No connection to the server. We keep trying; nothing is lost."
    : "Geen verbinding met de server. We blijven het proberen; er gaat niets verloren.";
  function onFailure(e) {
    var elt = e.detail && e.detail.elt;
    if (!elt || (elt.closest && elt.closest("#post-form"))) return;
    var flash = document.getElementById("flash");
    if (!flash || flash.querySelector(".flash-connection")) return;
    flash.innerHTML = "";
    var p = document.createElement("p");
    p.className = "flash flash-error flash-connection";
    p.textContent = CONNECTION_LOST;
    flash.appendChild(p);
  }
  document.addEventListener("htmx:sendError", onFailure);
  document.addEventListener("htmx:responseError", onFailure);
  document.addEventListener("htmx:timeout", onFailure);
  document.addEventListener("htmx:afterRequest", function (e) {
    if (!e.detail.successful) return;
    var lost = document.querySelector("#flash .flash-connection");
    if (lost) lost.remove();
  });

  // Round timers count down to the server's end time; the page's own clock may be off, so
  // the offset to the server's "now" (rendered with the page) is corrected for.
  function tick() {
    var nodes = document.querySelectorAll(".countdown[data-ends-at]");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      if (!el._offset) {
        var serverNow = Date.parse(el.getAttribute("data-now"));
        el._offset = isNaN(serverNow) ? 1 : (serverNow - Date.now()) || 1;
      }
      var left = Math.round((Date.parse(el.getAttribute("data-ends-at")) - (Date.now() + el._offset)) / 1000);
      if (isNaN(left)) continue;
      if (left <= 0) {
        el.textContent = document.documentElement.lang === "en" ? "time is up" : "tijd is om";
        el.classList.add("is-over");
      } else {
        var m = Math.floor(left / 60), sec = left % 60;
        el.textContent = m + ":" + (sec < 10 ? "0" : "") + sec;
        el.classList.remove("is-over");
      }
    }
  }
  window.setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);

  // Pause the wall (WCAG 2.2.2): polls are skipped while paused; the cursor catches up after.
  var paused = false;
  document.addEventListener("click", function (e) {
    var btn = e.target && e.target.closest && e.target.closest("#wall-pause");
    if (!btn) return;
    paused = !paused;
    btn.setAttribute("aria-pressed", paused ? "true" : "false");
    btn.textContent = btn.getAttribute(paused ? "data-label-paused" : "data-label-running");
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (paused && e.detail && e.detail.elt && e.detail.elt.id === "wall-poller") e.preventDefault();
  });

  // "Link kopiëren": copies the read-only field it names. Hidden until this script runs, so
  // that without JavaScript no button does nothing (the field can still be selected).
  function showCopyButtons() {
    var buttons = document.querySelectorAll("button[data-copy]");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }
  document.addEventListener("DOMContentLoaded", showCopyButtons);
  document.addEventListener("click", function (e) {
    var btn = e.target && e.target.closest && e.target.closest("button[data-copy]");
    if (!btn) return;
    var field = document.getElementById(btn.getAttribute("data-copy"));
    if (!field) return;
    var status = btn.parentNode.querySelector(".copy-status");
    function done() { if (status) status.textContent = btn.getAttribute("data-copied"); }
    field.select();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        if (document.execCommand("copy")) done();
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  });
})();
