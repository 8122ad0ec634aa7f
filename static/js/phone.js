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

/* The form stays in view while it holds text, also when no round takes input any more
   (CSS hides an empty one then, "has-input"): what was typed is sent in the next round. */
(function () {
  "use strict";

  document.addEventListener("input", function (e) {
    var area = e.target;
    var form = area && area.form;
    if (!form || form.id !== "post-form" || area.name !== "text") return;
    form.classList.toggle("has-input", area.value.trim() !== "");
  });
})();

/* The phone's lists follow the room: the poll (phone_lists.py) swaps what changed after its
   cursor into a hidden inbox (#phone-inbox). Each item names its list (data-into); one the
   page shows already is replaced in place, a new one goes on top, and <li data-remove="ID">
   takes one away. Focus inside a replaced item stays on the same control. */
(function () {
  "use strict";

  function place(item) {
    var old = document.getElementById(item.id);
    if (old) {
      var active = document.activeElement;
      var focusId = active && old.contains(active) ? active.id : null;
      old.replaceWith(item);
      var again = focusId && document.getElementById(focusId);
      if (again) again.focus();
      return;
    }
    var list = document.getElementById(item.getAttribute("data-into"));
    if (list) list.insertBefore(item, list.firstChild);
  }

  document.addEventListener("htmx:afterSettle", function () {
    var inbox = document.getElementById("phone-inbox");
    if (!inbox || !inbox.children.length) return;
    Array.prototype.slice.call(inbox.children).forEach(function (el) {
      el.remove();  // out of the inbox first, so the lookup finds the one on the page
      var gone = el.getAttribute("data-remove");
      if (gone) {
        var old = document.getElementById(gone);
        if (!old) return;
        var hadFocus = old.contains(document.activeElement);
        var section = old.closest("section");
        old.remove();
        if (hadFocus) focusHeading(section);
      } else if (el.id) {
        place(el);
      }
    });
  });

  // Focus that was on an item taken away goes to its list's heading, not to the page's start.
  function focusHeading(section) {
    var heading = section && section.querySelector("h2");
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
  window.noviwerkFocusHeading = focusHeading;
})();

/* "Ingetrokken · Ongedaan maken": a withdrawal waits a few seconds on the phone before it is
   sent, so it can be undone without the server ever forgetting the text. Leaving the page
   sends what waits at once. Without JavaScript the form withdraws at once, as a plain POST.
   The texts and the wait come from the list (#own-list, _own.html). */
(function () {
  "use strict";

  var waiting = {};  // item id → {form, timer}

  function ownList() { return document.getElementById("own-list"); }
  function text(name) { var l = ownList(); return (l && l.getAttribute("data-" + name)) || ""; }
  function announce(message, isError) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    flash.innerHTML = "";
    var p = document.createElement("p");
    p.className = "flash " + (isError ? "flash-error" : "flash-info");
    p.textContent = message;
    flash.appendChild(p);
  }

  // Show the item as withdrawn, with its undo button (again, after a poll replaced it).
  function mark(item, focus) {
    item.classList.add("is-withdrawing");
    var bar = item.querySelector(".withdraw-undo");
    if (!bar) {
      bar = document.createElement("p");
      bar.className = "withdraw-undo";
      var said = document.createElement("span");
      said.textContent = text("withdrawn");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button small";
      button.id = "undo-" + item.id;
      button.textContent = text("undo");
      button.addEventListener("click", function () { undo(item.id); });
      bar.appendChild(said);
      bar.appendChild(button);
      item.appendChild(bar);
    }
    if (focus) bar.querySelector("button").focus();
  }

  function unmark(item) {
    if (!item) return;
    item.classList.remove("is-withdrawing");
    var bar = item.querySelector(".withdraw-undo");
    if (bar) bar.remove();
  }

  function undo(id) {
    var w = waiting[id];
    if (!w) return;
    window.clearTimeout(w.timer);
    delete waiting[id];
    var item = document.getElementById(id);
    unmark(item);
    var button = item && item.querySelector(".withdraw-form button");
    if (button) button.focus();
    announce(text("kept"), false);
  }

  function send(id, leaving) {
    var w = waiting[id];
    if (!w) return;
    window.clearTimeout(w.timer);
    delete waiting[id];
    var body = new FormData(w.form);
    var request = window.fetch(w.form.getAttribute("action"), {
      method: "POST", body: body, credentials: "same-origin", keepalive: !!leaving,
      headers: { "HX-Request": "true" },
    });
    if (leaving) return;
    request.then(function (resp) {
      if (!resp.ok) throw new Error(String(resp.status));
      var item = document.getElementById(id);
      var hadFocus = item && item.contains(document.activeElement);
      if (item) item.remove();
      if (hadFocus && window.noviwerkFocusHeading) window.noviwerkFocusHeading(ownList());
      announce(text("done"), false);
    }).catch(function () {
      unmark(document.getElementById(id));
      announce(text("failed"), true);
    });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("withdraw-form") || !window.fetch) return;
    var item = form.closest("li");
    if (!item || !item.id) return;
    e.preventDefault();
    if (waiting[item.id]) return;
    var seconds = parseInt(text("undo-seconds"), 10) || 6;
    waiting[item.id] = {
      form: form,
      timer: window.setTimeout(function () { send(item.id, false); }, seconds * 1000),
    };
    mark(item, true);
  });

  // A poll or a post's answer may bring the list or the item anew: mark it again.
  function remark() {
    Object.keys(waiting).forEach(function (id) {
      var item = document.getElementById(id);
      if (!item) return;
      var form = item.querySelector(".withdraw-form");
      if (form) waiting[id].form = form;
      if (!item.classList.contains("is-withdrawing")) mark(item, false);
    });
  }
  document.addEventListener("htmx:afterSettle", remark);  // after the inbox is placed (above)

  window.addEventListener("pagehide", function () {
    Object.keys(waiting).forEach(function (id) { send(id, true); });
  });
})();
