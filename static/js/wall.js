/* noviwerk wall and beamer: place the cards that arrive by cursor.

   The poller swaps changed cards into a hidden inbox (#wall-inbox). Each card carries its
   round (data-round) and creation order (data-order); a card already on the wall is
   replaced in place, a new or restored one goes into its round's list (or the one list the
   inbox names in data-list: a tafel's screen) at the right spot
   (newest first), and <li data-remove="c-ID"> takes a hidden, withdrawn or merged card away.
   Cards for a round this page does not show (the beamer shows one) are ignored. */
(function () {
  "use strict";

  function place(card, listId) {
    var existing = document.getElementById(card.id);
    if (existing) { existing.replaceWith(card); return; }
    var list = document.getElementById(listId || "round-" + card.getAttribute("data-round") + "-items");
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

  // Announce arrivals politely and rarely: a count every 15 s at most, never each card.
  var unannounced = 0;
  var announcer = null;
  function countNew() {
    var marker = document.getElementById("wall-new");
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
    countNew();
    var inbox = e.detail && e.detail.target;
    if (!inbox || inbox.id !== "wall-inbox") return;
    Array.prototype.slice.call(inbox.children).forEach(function (el) {
      el.remove();  // out of the inbox first, so the lookup below finds the card on the wall
      var gone = el.getAttribute("data-remove");
      if (gone) {
        var old = document.getElementById(gone);
        if (old) old.remove();
      } else if (el.id) {
        place(el, inbox.getAttribute("data-list"));
      }
    });
  });
})();
