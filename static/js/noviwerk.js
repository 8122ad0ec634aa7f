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
    counter.textContent = left >= 0
      ? (document.documentElement.lang === "en" ? left + " characters left" : "nog " + left + " tekens")
      : (document.documentElement.lang === "en" ? (-left) + " too many" : (-left) + " tekens te veel");
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

  // A request that never got an answer (offline, server down): say so, keep the text.
  function showProblem(message) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    flash.innerHTML = "";
    var p = document.createElement("p");
    p.className = "flash flash-error";
    p.textContent = message;
    flash.appendChild(p);
  }
  function onFailure(e) {
    var elt = e.detail && e.detail.elt;
    if (!elt || !elt.closest || !elt.closest("#post-form")) return;
    showProblem(document.documentElement.lang === "en"
      ? "Not sent yet: no connection to the server. Your text is kept; try again in a moment."
      : "Nog niet verzonden: geen verbinding met de server. Je tekst blijft staan; probeer het zo opnieuw.");
  }
  document.addEventListener("htmx:sendError", onFailure);
  document.addEventListener("htmx:responseError", onFailure);
  document.addEventListener("htmx:timeout", onFailure);

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
})();
