/* noviwerk outbox: nothing a participant typed is lost on a bad connection.

   Every post is written to localStorage (with its client key) before it leaves the phone.
   The server's 200 ("Ontvangen", sent only after commit) or a 4xx answer (shown in the form,
   the text kept) removes it. When no answer comes (offline, timeout, 5xx) the text stays in
   the outbox, is listed as "nog niet verzonden", and is re-sent with the same key when the
   connection returns, also after a reload. The server stores one contribution per key, so a
   re-send of a post that did arrive cannot double it. A 429 (a phone sending faster than a
   person types) is no refusal either: the text waits in the outbox for the Retry-After the
   server named, and the phone says "even wachten".

   The outbox is kept per werkplaats (the form's data-outbox-key, "w-<id>"), not per join
   code: after "Nieuwe code maken" the phone opens the new code and finds its unsent texts. */
(function () {
  "use strict";

  var RETRY_MS = [2000, 4000, 8000, 15000, 30000];
  var en = document.documentElement.lang === "en";
  var T = en ? {
    pendingTitle: "Not sent yet",
    pending: "not sent yet — will be retried",
    sending: "sending…",
    received: "Received. Thank you!",
    failed: "Could not be stored: ",
    restore: "Put back in the text box",
    slowDown: function (s) { return "Please wait: you are sending a lot in a row. Your text is kept and will be sent by itself in " + s + " seconds."; },
  } : {
    pendingTitle: "Nog niet verzonden",
    pending: "nog niet verzonden — wordt opnieuw geprobeerd",
    sending: "bezig met verzenden…",
    received: "Ontvangen. Dank je wel!",
    failed: "Kon niet worden opgeslagen: ",
    restore: "Terugzetten in het tekstvak",
    slowDown: function (s) { return "Even wachten: je stuurt veel achter elkaar. Je tekst is bewaard en wordt over " + s + " seconden vanzelf verstuurd."; },
  };

  function form() { return document.getElementById("post-form"); }
  function storeKey() {
    var f = form();
    if (!f) return null;
    return "noviwerk-outbox:" + (f.getAttribute("data-outbox-key") || f.getAttribute("action"));
  }
  // Items stored by an older page under the form's action (the join code's URL): move them.
  function adoptLegacy() {
    var f = form();
    if (!f || !f.getAttribute("data-outbox-key")) return;
    var old = "noviwerk-outbox:" + f.getAttribute("action");
    var legacy;
    try { legacy = JSON.parse(window.localStorage.getItem(old) || "[]"); } catch (e) { legacy = []; }
    if (!legacy.length) return;
    var items = load();
    legacy.forEach(function (item) {
      if (!items.some(function (i) { return i.client_key === item.client_key; })) items.push(item);
    });
    save(items);
    try { window.localStorage.removeItem(old); } catch (e) { /* blocked: harmless */ }
  }
  function load() {
    var key = storeKey();
    if (!key) return [];
    try { return JSON.parse(window.localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(items) {
    var key = storeKey();
    if (!key) return;
    try {
      if (items.length) window.localStorage.setItem(key, JSON.stringify(items));
      else window.localStorage.removeItem(key);
    } catch (e) { /* storage full or blocked: the form still keeps the text */ }
  }
  function put(item) {
    var items = load().filter(function (i) { return i.client_key !== item.client_key; });
    items.push(item);
    save(items);
  }
  function drop(clientKey) {
    save(load().filter(function (i) { return i.client_key !== clientKey; }));
  }
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  // Set the text box as typing would, so the character counter (noviwerk.js) follows.
  function setText(area, text) {
    area.value = text;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID().replace(/-/g, "");
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  function render() {
    var f = form();
    if (!f) return;
    var box = document.getElementById("outbox");
    var items = load();
    if (!items.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("section");
      box.id = "outbox";
      box.className = "outbox";
      box.setAttribute("aria-labelledby", "outbox-title");
      var h = document.createElement("h2");
      h.id = "outbox-title";
      h.textContent = T.pendingTitle;
      box.appendChild(h);
      box.appendChild(document.createElement("ul"));
      f.parentNode.insertBefore(box, f.nextSibling);
    }
    var ul = box.querySelector("ul");
    ul.innerHTML = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "outbox-item" + (item.error ? " is-failed" : "");
      li.setAttribute("data-client-key", item.client_key);
      var p = document.createElement("p");
      p.className = "outbox-text";
      p.textContent = item.text;
      var s = document.createElement("p");
      s.className = "outbox-state";
      s.textContent = item.error ? T.failed + item.error : (item.sending ? T.sending : T.pending);
      li.appendChild(p);
      li.appendChild(s);
      if (item.error) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "button small";
        b.textContent = T.restore;
        b.addEventListener("click", function () {
          var f2 = form();
          var area = f2 && f2.querySelector("textarea");
          if (f2) f2.hidden = false;
          if (area) { setText(area, item.text); area.focus(); }
          var pick = f2 && f2.querySelector('select[name="label"]');
          if (pick && item.label) pick.value = item.label;
          drop(item.client_key);
          render();
        });
        li.appendChild(b);
      }
      ul.appendChild(li);
    });
  }

  function announce(message, isError) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    flash.innerHTML = "";
    var p = document.createElement("p");
    p.className = "flash " + (isError ? "flash-error" : "flash-success");
    p.textContent = message;
    flash.appendChild(p);
  }

  // The answer to a post carries either the whole own list (a re-send) or just the new
  // item, marked to go first in the list (see _posted.html). The form is left alone: the
  // participant may be typing the next thought.
  function updateOwnList(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("own-list");
    var current = document.getElementById("own-list");
    if (fresh && current) {
      fresh.removeAttribute("hx-swap-oob");
      current.replaceWith(fresh);
      if (window.htmx) window.htmx.process(fresh);
      return;
    }
    var list = document.getElementById("own-items");
    var added = doc.querySelector('[hx-swap-oob="afterbegin:#own-items"]');
    if (!list || !added) return;
    Array.prototype.slice.call(added.children).reverse().forEach(function (item) {
      var old = item.id && document.getElementById(item.id);
      if (old) old.replaceWith(item); else list.insertBefore(item, list.firstChild);
      if (window.htmx) window.htmx.process(item);
    });
  }

  function requestTimeout() {
    var t = window.htmx && window.htmx.config && window.htmx.config.timeout;
    return t > 0 ? t : 15000;
  }

  var timer = null;
  var attempt = 0;
  var inFlight = false;
  var notBefore = 0;  // the server asked to wait until then (429 with Retry-After)
  function schedule() {
    if (timer) window.clearTimeout(timer);
    if (!load().some(function (i) { return !i.error; })) return;
    var wait = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
    timer = window.setTimeout(flush, Math.max(wait, notBefore - Date.now()));
  }
  // A 429: wait as long as the server asks (a second at least, two minutes at most) and say so.
  function slowDown(retryAfter) {
    var s = Math.min(Math.max(parseInt(retryAfter, 10) || 10, 1), 120);
    notBefore = Date.now() + s * 1000;
    announce(T.slowDown(s), true);
  }

  function flush() {
    timer = null;
    if (inFlight) return;
    if (Date.now() < notBefore) { schedule(); return; }
    var item = load().filter(function (i) { return !i.error; })[0];
    var f = form();
    if (!item || !f) { render(); return; }  // another tab may have sent it meanwhile
    inFlight = true;
    item.sending = true; put(item); render();
    var body = new FormData();
    body.append("csrf_token", csrfToken());
    body.append("round_id", item.round_id);
    body.append("text", item.text);
    body.append("client_key", item.client_key);
    if (item.label) body.append("label", item.label);
    // A connection that hangs (no answer, no error) must not hold the outbox forever: give
    // the try up after htmx's own request timeout and re-send later with the same key.
    var abort = window.AbortController ? new window.AbortController() : null;
    var giveUp = window.setTimeout(function () { if (abort) abort.abort(); }, requestTimeout());
    window.fetch(f.getAttribute("action"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": csrfToken() },
      signal: abort ? abort.signal : undefined,
    }).then(function (resp) {
      return resp.text().then(function (text) {
        return { status: resp.status, text: text, retryAfter: resp.headers.get("Retry-After") };
      });
    }).then(function (r) {
      window.clearTimeout(giveUp);
      inFlight = false;
      if (r.status >= 200 && r.status < 300 && !isOurAnswer(r.text)) r.status = 0;  // not ours
      if (r.status === 200) {
        drop(item.client_key);
        attempt = 0;
        updateOwnList(r.text);
        announce(T.received, false);
        render();
        flush();
      } else if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
        // The server answered and refused (closed round, invalid text): keep it visible.
        var doc = new DOMParser().parseFromString(r.text, "text/html");
        var err = doc.querySelector(".error, .flash-error");
        item.sending = false;
        item.error = err ? err.textContent.trim() : String(r.status);
        put(item); render();
        // Say it where "wordt opnieuw geprobeerd" was said: this text is no longer retried.
        announce(T.failed + item.error, true);
        flush();
      } else {
        item.sending = false; put(item); render();
        if (r.status === 429) slowDown(r.retryAfter);
        attempt += 1; schedule();
      }
    }).catch(function () {
      window.clearTimeout(giveUp);
      inFlight = false;
      item.sending = false; put(item); render();
      attempt += 1; schedule();
    });
  }

  // Every 2xx answer of the post endpoint ("Ontvangen") carries the fresh form. A 2xx page
  // without it (a venue wifi's login page) is no answer: keep the text and retry.
  function isOurAnswer(text) { return /id="post-form"/.test(text || ""); }

  document.addEventListener("htmx:beforeSwap", function (e) {
    var cfg = e.detail.requestConfig;
    if (!cfg || !cfg.elt || cfg.elt.id !== "post-form") return;
    var xhr = e.detail.xhr;
    if (xhr && xhr.status >= 200 && xhr.status < 300 && !isOurAnswer(xhr.responseText)) {
      e.detail.shouldSwap = false;
      xhr.noviwerkForeign = true;
    }
    // "Wait" (ours or a proxy's) and "timeout" are no answer to show: the form stays as it
    // is, and the outbox keeps the text and says so (htmx:afterRequest below).
    if (xhr && (xhr.status === 429 || xhr.status === 408)) e.detail.shouldSwap = false;
  });

  // --- htmx posts of the phone form ------------------------------------------------------
  document.addEventListener("htmx:configRequest", function (e) {
    if (!e.detail.elt || e.detail.elt.id !== "post-form") return;
    var p = e.detail.parameters;
    var text = (p.get ? p.get("text") : p.text) || "";
    var key = (p.get ? p.get("client_key") : p.client_key) || "";
    var rid = (p.get ? p.get("round_id") : p.round_id) || "";
    var label = (p.get ? p.get("label") : p.label) || "";
    if (text.trim() && key) {
      put({ client_key: key, round_id: rid, label: label, text: text, at: Date.now() });
    }
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    // Not e.detail.elt: the answer has already replaced the form, so htmx re-fires this
    // event on an ancestor with detail.elt set to that ancestor. The request's own element
    // stays in requestConfig.
    var cfg = e.detail.requestConfig;
    if (!cfg || !cfg.elt || cfg.elt.id !== "post-form") return;
    var xhr = e.detail.xhr;
    var key = e.detail.requestConfig && e.detail.requestConfig.parameters;
    key = key && (key.get ? key.get("client_key") : key.client_key);
    var status = xhr && !xhr.noviwerkForeign ? xhr.status : 0;
    if (status >= 200 && status < 500 && status !== 408 && status !== 429) {
      if (key) drop(key);   // answered: stored ("Ontvangen") or refused with the text kept
      render();
      return;
    }
    // No answer: the text is safe in the outbox; free the form for the next thought.
    var f = form();
    var area = f && f.querySelector("textarea");
    if (area) { setText(area, ""); area.focus(); }
    var keyInput = f && f.querySelector('input[name="client_key"]');
    if (keyInput) keyInput.value = newKey();
    render();
    if (status === 429) slowDown(xhr.getResponseHeader("Retry-After"));
    else announce(T.pendingTitle + ": " + T.pending, true);
    attempt = 0;
    schedule();
  });

  window.addEventListener("online", function () { attempt = 0; flush(); });

  // Another tab of this phone shares the outbox: when it sent (or refused) a text this tab
  // still lists, stop saying "wordt opnieuw geprobeerd" here and show the text as one's own.
  window.addEventListener("storage", function (e) {
    var key = storeKey();
    if (!key || e.key !== key) return;
    var before = listed();
    render();
    var now = load().map(function (i) { return i.client_key; });
    if (before.some(function (k) { return now.indexOf(k) < 0; })) refreshOwnList();
  });
  function listed() {
    var keys = [];
    var box = document.getElementById("outbox");
    if (!box) return keys;
    Array.prototype.forEach.call(box.querySelectorAll("[data-client-key]"), function (li) {
      keys.push(li.getAttribute("data-client-key"));
    });
    return keys;
  }
  // The phone page itself carries the own list (#own-list); take it from there.
  function refreshOwnList() {
    window.fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (resp) { return resp.ok ? resp.text() : ""; })
      .then(function (html) { if (html) updateOwnList(html); })
      .catch(function () { /* the poll brings it later */ });
  }
  document.addEventListener("DOMContentLoaded", function () {
    adoptLegacy();
    // Items left "sending" by a reload were never confirmed: send them again.
    var items = load().map(function (i) { i.sending = false; return i; });
    save(items);
    render();
    if (items.length) flush();
  });
})();
