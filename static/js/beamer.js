/* noviwerk beamer: the whole room on one screen, readable from the back.

   The cards ([data-fit="cards"]) get the largest text size at which they all fit the
   screen, never below MIN (28 px); if they do not fit even then, they are split into pages
   that take turns every data-page-seconds, while starred cards stay on every page. Vote
   bars ([data-fit="bars"]) shrink likewise and then take two or three columns: every bar
   is shown. The pause (key P, or the focusable button) stops the turning too (WCAG 2.2.2).
   Without this script the page simply scrolls. */
(function () {
  "use strict";

  var MIN = 28, MAX = 64, BAR_MIN = 24, BAR_LAST = 14, BAR_MAX = 44;
  var pages = [], pageIndex = 0, turner = null, scheduled = false;

  function beamer() { return document.getElementById("beamer"); }
  // Sizes live on <html>: htmx redraws #beamer and would carry a style attribute over,
  // which the CSP (style-src 'self') refuses.
  var sizes = document.documentElement;
  function paused() {
    var btn = document.getElementById("wall-pause");
    return btn && btn.getAttribute("aria-pressed") === "true";
  }
  function overflows(box) { return box.scrollHeight > box.clientHeight + 1; }

  // The largest size in [lo, hi] at which ``box`` does not overflow (lo if none does).
  function largest(box, lo, hi) {
    while (lo < hi) {
      var mid = Math.ceil((lo + hi) / 2);
      sizes.style.setProperty("--fit", mid + "px");
      if (overflows(box)) hi = mid - 1; else lo = mid;
    }
    sizes.style.setProperty("--fit", lo + "px");
    return lo;
  }

  // One column of bars while they fit at BAR_MIN, then two or three with each text above
  // its bar; if even that overflows, the columns that allow the largest text below
  // BAR_MIN (every bar is shown).
  function fitBars(bars) {
    var box = bars.closest(".beamer-votes") || bars;
    function tryCols(cols, floor) {
      sizes.style.setProperty("--cols", cols);
      bars.classList.toggle("is-stacked", cols > 1);
      var size = largest(box, floor, BAR_MAX);
      return overflows(box) ? 0 : size;
    }
    var best = 1, bestSize = 0;
    for (var cols = 1; cols <= 3; cols++) {
      if (tryCols(cols, BAR_MIN)) return;
    }
    for (cols = 1; cols <= 3; cols++) {
      var size = tryCols(cols, BAR_LAST);
      if (size > bestSize) { best = cols; bestSize = size; }
    }
    tryCols(best, BAR_LAST);
  }

  function showPage(i) {
    pages.forEach(function (page, n) {
      page.forEach(function (card) { card.classList.toggle("is-off-page", n !== i); });
    });
    var label = document.getElementById("beamer-pages");
    if (label) {
      label.hidden = pages.length < 2;
      label.textContent = (document.documentElement.lang === "en" ? "Page " : "Pagina ") +
        (i + 1) + (document.documentElement.lang === "en" ? " of " : " van ") + pages.length;
    }
  }

  function paginate(list) {
    var cards = Array.prototype.slice.call(list.children);
    var pinned = cards.filter(function (c) { return c.classList.contains("is-starred"); });
    cards.forEach(function (c) { c.classList.add("is-off-page"); });
    pinned.forEach(function (c) { c.classList.remove("is-off-page"); });
    if (overflows(list)) {  // too many stars to keep on every page: page through them too
      pinned.forEach(function (c) { c.classList.add("is-off-page"); });
      pinned = [];
    }
    var rest = cards.filter(function (c) { return pinned.indexOf(c) < 0; });
    pages = [];
    var current = [];
    rest.forEach(function (card) {
      card.classList.remove("is-off-page");
      if (current.length && overflows(list)) {
        card.classList.add("is-off-page");
        current.forEach(function (c) { c.classList.add("is-off-page"); });
        pages.push(current);
        current = [];
        card.classList.remove("is-off-page");
      }
      current.push(card);
    });
    if (current.length) pages.push(current);
  }

  function fit() {
    scheduled = false;
    var root = beamer();
    if (!root) return;
    root.classList.add("is-fitted");
    var bars = root.querySelector('[data-fit="bars"]');
    if (bars) fitBars(bars);
    var list = root.querySelector('[data-fit="cards"]');
    pages = [];
    if (list) {
      Array.prototype.forEach.call(list.children, function (c) { c.classList.remove("is-off-page"); });
      if (largest(list, MIN, MAX) === MIN && overflows(list)) paginate(list);
    }
    if (pageIndex >= pages.length) pageIndex = 0;
    if (pages.length) showPage(pageIndex); else showPage(0);
  }

  function refit() {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(fit);
  }

  function turn() {
    if (pages.length < 2 || paused()) return;
    pageIndex = (pageIndex + 1) % pages.length;
    showPage(pageIndex);
  }

  function start() {
    var root = beamer();
    var seconds = root ? parseInt(root.getAttribute("data-page-seconds"), 10) || 12 : 12;
    if (turner) window.clearInterval(turner);
    turner = window.setInterval(turn, seconds * 1000);
    refit();
  }

  document.addEventListener("DOMContentLoaded", start);
  window.addEventListener("resize", refit);
  // New cards (wall.js places them after the swap) and redraws of the whole beamer.
  document.addEventListener("htmx:afterSettle", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "beamer") start(); else refit();
  });
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(refit);

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || (e.key !== "p" && e.key !== "P")) return;
    var btn = document.getElementById("wall-pause");
    if (btn) { e.preventDefault(); btn.click(); }
  });
})();
