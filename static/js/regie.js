/* noviwerk regie: the facilitator's lists follow the room, and work by keyboard.

   The poller swaps what changed into a hidden #regie-incoming. A row of the round
   (id m-ID) that is already listed is patched in place: its text, facts and buttons, but
   not an open "Meer" panel, and focus stays where it was. A new one goes into #mod-list,
   newest first; a waiting one (i-ID) into the inbox, oldest first. <li data-remove="ID">
   takes a row away (focus moves to its neighbour). Nothing else on the page is redrawn, so
   a note being typed or a select being chosen is never disturbed.

   Keys, only while focus is in a row (WCAG 2.1.4): j/k or arrows move between rows; a
   button with data-key="s" (etc.) in the row is pressed by that key. */
(function () {
  "use strict";

  function rowOf(el) {
    return el && el.closest ? el.closest("#mod-list > li, #inbox-list > li") : null;
  }

  function neighbour(row) {
    return row.nextElementSibling || row.previousElementSibling;
  }

  function removeRow(row) {
    var hadFocus = row.contains(document.activeElement);
    var next = hadFocus ? neighbour(row) : null;
    row.remove();
    if (hadFocus) {
      if (next) next.focus();
      else {
        var section = document.getElementById("bijdragen") || document.getElementById("main");
        if (section) section.focus();
      }
    }
  }

  function insertSorted(list, row) {
    var asc = list.getAttribute("data-sort") === "asc";
    var order = parseInt(row.getAttribute("data-order"), 10);
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      var other = parseInt(items[i].getAttribute("data-order"), 10);
      if (asc ? other > order : other < order) {
        list.insertBefore(row, items[i]);
        return;
      }
    }
    list.appendChild(row);
  }

  function patch(old, row) {
    var active = document.activeElement;
    var focusId = old.contains(active) && active !== old ? active.id : null;
    old.className = row.className;
    ["mod-line", "mod-buttons"].forEach(function (cls) {
      var a = old.querySelector(":scope > ." + cls);
      var b = row.querySelector(":scope > ." + cls);
      if (a && b) a.replaceWith(b);
    });
    var more = old.querySelector(":scope > .mod-more");
    if (more && !more.firstElementChild) {
      var fresh = row.querySelector(":scope > .mod-more");
      if (fresh) more.replaceWith(fresh);
    }
    if (focusId && !old.contains(document.activeElement)) {
      var again = document.getElementById(focusId);
      (again && old.contains(again) ? again : old).focus();
    }
  }

  function place(row) {
    var gone = row.getAttribute("data-remove");
    if (gone) {
      var target = document.getElementById(gone);
      if (target) removeRow(target);
      return;
    }
    var existing = document.getElementById(row.id);
    var inbox = row.id.indexOf("i-") === 0;
    if (existing) {
      if (!inbox) patch(existing, row);
      return;
    }
    var list = document.getElementById(inbox ? "inbox-list" : "mod-list");
    if (list && (inbox || row.hasAttribute("data-new"))) insertSorted(list, row);
  }

  // After settling, not swapping: htmx sets up the rows' buttons and links (hx-get, the
  // submitter of #mod-form) while they are still in the document, in #regie-incoming.
  document.addEventListener("htmx:afterSettle", function (e) {
    var target = e.detail && e.detail.target;
    if (!target || target.id !== "regie-incoming") return;
    Array.prototype.slice.call(target.children).forEach(function (el) {
      el.remove();
      el.classList.remove("htmx-added");
      if (el.id || el.hasAttribute("data-remove")) place(el);
    });
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail && e.detail.target;
    if (!target) return;
    if (target.classList.contains("mod-more")) {
      var link = document.querySelector('[aria-controls="' + target.id + '"]');
      if (link) link.setAttribute("aria-expanded", "true");
    }
  });

  // "Meer" opens its panel in the row (htmx) and a second press closes it again.
  function closeMore(slot) {
    slot.innerHTML = "";
    var link = document.querySelector('[aria-controls="' + slot.id + '"]');
    if (link) link.setAttribute("aria-expanded", "false");
    return link;
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[aria-controls^='meer-slot-']");
    if (!link) return;
    var slot = document.getElementById(link.getAttribute("aria-controls"));
    if (slot && slot.firstElementChild) {
      e.preventDefault();
      e.stopImmediatePropagation();
      closeMore(slot);
    }
  }, true);
  // An action taken in the panel closed it: the row shows the outcome (by the poll).
  document.addEventListener("htmx:afterRequest", function (e) {
    var elt = e.detail && e.detail.elt;
    if (!elt || !e.detail.successful || !elt.closest) return;
    var slot = elt.closest(".mod-more");
    if (slot && elt.tagName === "FORM") {
      var link = closeMore(slot);
      if (link) link.focus();
    }
    if (elt.id === "inbox-form") {
      var all = document.getElementById("inbox-all");
      if (all) all.checked = false;
    }
  });

  // The inbox's "Alles kiezen" needs script; without it each box is ticked by hand.
  document.addEventListener("DOMContentLoaded", function () {
    var choice = document.getElementById("inbox-all-choice");
    if (choice) choice.hidden = false;
  });
  document.addEventListener("change", function (e) {
    if (e.target.id !== "inbox-all") return;
    var boxes = document.querySelectorAll("#inbox-list input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = e.target.checked;
  });
  // Typing a number to merge with chooses "een andere, met nummer".
  document.addEventListener("input", function (e) {
    if (!e.target.classList || !e.target.classList.contains("merge-target")) return;
    var radio = e.target.closest(".choice").querySelector("input[type=radio]");
    if (radio) radio.checked = true;
  });

  var MOVE = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 };
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t.matches && t.matches("textarea, select, input:not([type=checkbox])")) return;
    var row = rowOf(t);
    if (!row || (row !== t && t.closest(".mod-more"))) return;
    if (MOVE[e.key]) {
      var next = MOVE[e.key] > 0 ? row.nextElementSibling : row.previousElementSibling;
      if (next) next.focus();
      e.preventDefault();
      return;
    }
    var key = e.key.length === 1 ? e.key.toLowerCase() : "";
    var control = key ? row.querySelector('[data-key="' + key + '"]') : null;
    if (control) {
      e.preventDefault();
      control.click();
    }
  });
})();
