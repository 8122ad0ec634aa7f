/* noviwerk tafel screen: place the cards that arrive by cursor (as wall.js does for the
   wall): the poll swaps changed cards into #tafel-inbox; a card on the screen is replaced in
   place, a new one goes into #tafel-items by data-order (newest first), and
   <li data-remove="c-ID"> takes a hidden, withdrawn or merged card away. Arrivals are
   announced as a count, at most every 15 s. */
(function () {
  "use strict";

  function place(card) {
    var existing = document.getElementById(card.id);
    if (existing) { existing.replaceWith(card); return; }
    var list = document.getElementById("tafel-items");
    if (!list) return;
    var order = parseInt(card.getAttribute("data-order"), 10);
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      if (parseInt(items[i].getAttribute("data-order"), 10) < order) {
        list.insertBefore(card, items[i]);
        return;
      }
    }
    list.appendChild(card);
  }

  var unannounced = 0;
  var announcer = null;
  function countNew() {
    var marker = document.getElementById("tafel-new");
    var n = marker ? parseInt(marker.getAttribute("data-n"), 10) || 0 : 0;
    if (!n) return;
    marker.setAttribute("data-n", "0");
    unannounced += n;
    if (announcer) return;
    announcer = window.setTimeout(function () {
      var region = document.getElementById("wall-announce");
      if (region && unannounced) {
        var word = unannounced === 1 ? marker.getAttribute("data-one") : marker.getAttribute("data-many");
        region.textContent = unannounced + " " + (word || "");
      }
      unannounced = 0;
      announcer = null;
    }, 15000);
  }

  document.addEventListener("htmx:afterSwap", function (e) {
    var inbox = e.detail && e.detail.target;
    if (!inbox || inbox.id !== "tafel-inbox") return;
    countNew();
    Array.prototype.slice.call(inbox.children).forEach(function (el) {
      el.remove();
      var gone = el.getAttribute("data-remove");
      if (gone) {
        var old = document.getElementById(gone);
        if (old) old.remove();
      } else if (el.id) {
        place(el);
      }
    });
  });
})();
