/* noviwerk phone: keep a keyboard or screen-reader user's place across htmx swaps.

   htmx puts focus back on the element with the same id after a swap, but not when that
   element came back disabled: spending the last dot disables every "+", taking back the
   last dot of an option disables its "−". Focus would then fall to the page's start;
   it goes to the other button of the same option instead, which is always enabled. */
(function () {
  "use strict";

  var lastId = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var el = document.activeElement;
    lastId = el && el.id && /^stem-(plus|min)-\d+$/.test(el.id) ? el.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!lastId) return;
    var id = lastId;
    lastId = null;
    var active = document.activeElement;
    if (active && active !== document.body && active.id === id) return;
    var same = document.getElementById(id);
    if (!same || !same.disabled) return;
    var other = document.getElementById(
      id.indexOf("stem-plus-") === 0 ? id.replace("stem-plus-", "stem-min-") : id.replace("stem-min-", "stem-plus-")
    );
    if (other && !other.disabled) other.focus();
  });
})();
