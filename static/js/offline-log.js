// Quick logs made offline: kept in IndexedDB, sent once with an idempotency key when back online.
//
// The quick-log forms (the dashboard's one-click buttons, the person page's "Log an interaction")
// carry data-offline-log="<contact id>". When the browser is offline, or the request cannot reach
// the server (htmx:sendError), the log is kept on this device with a fresh Idempotency-Key and
// sent later through POST /api/v1/interactions/ (session + CSRF): the API answers a repeat of a key
// with the first result, so a log sent twice (a lost response, two tabs) lands once.
// See docs/architecture.md, "Logging offline". The service worker never touches POSTs.
(function () {
  "use strict";

  var DB_NAME = "network-crm-offline";
  var STORE = "logs";
  var META = "meta";
  var LOCK = "network-crm-offline-log";
  var LEASE_MS = 30000;
  var RETRY_MS = 30000;
  var QUEUED_TEXT = "Saved on this device; it will be sent when you're back online.";

  var panel = document.getElementById("offline-queue");
  if (!panel || !window.indexedDB) return;  // signed out, or no IndexedDB: the forms post as ever
  var owner = panel.dataset.user;
  var retryTimer = null;

  // --- IndexedDB, promised ---------------------------------------------------------------
  var dbPromise = null;
  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "key" });
          request.result.createObjectStore(META);
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function run(stores, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(stores, mode);
        var result;
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
        work(tx, function (value) { result = value; });
      });
    });
  }

  // Other tabs redraw their panel when this one keeps, sends or dismisses a log.
  var channel = window.BroadcastChannel ? new BroadcastChannel(LOCK) : null;
  function changed() { if (channel) channel.postMessage("changed"); }
  function put(entry) {
    return run([STORE], "readwrite", function (tx) { tx.objectStore(STORE).put(entry); }).then(changed);
  }
  function remove(key) {
    return run([STORE], "readwrite", function (tx) { tx.objectStore(STORE).delete(key); }).then(changed);
  }
  function mine() {
    return run([STORE], "readonly", function (tx, done) {
      var request = tx.objectStore(STORE).getAll();
      request.onsuccess = function () {
        // Only this account's logs: another person signed in on this device never sees them.
        done(request.result.filter(function (entry) { return entry.user === owner; })
          .sort(function (a, b) { return a.createdAt < b.createdAt ? -1 : 1; }));
      };
    });
  }

  // --- One sender at a time across tabs ----------------------------------------------------
  // Web Locks where the browser has them (secure contexts); else a short lease in IndexedDB,
  // taken in one readwrite transaction (IndexedDB runs those one after another). A tab that
  // closes or navigates mid-send leaves its lease behind: it runs out after LEASE_MS, is renewed
  // before each send while the holder lives, and a tab refused it tries again when it runs out
  // (docs/architecture.md, "Logging offline and sharing"). The Idempotency-Key, not the lease,
  // is what keeps a log from landing twice.
  var leaseToken = null;

  // A lease counts while it hasn't run out, and no longer than LEASE_MS ahead: a clock set back
  // would otherwise leave every tab waiting for it, reloads included.
  function held(lease) {
    var now = Date.now();
    return lease.until > now && lease.until <= now + LEASE_MS;
  }

  function takeLease(token) {
    return run([META], "readwrite", function (tx, done) {
      var store = tx.objectStore(META);
      var request = store.get("lease");
      request.onsuccess = function () {
        var lease = request.result;
        if (lease && lease.token !== token && held(lease)) { done(lease.until); return; }
        store.put({ token: token, until: Date.now() + LEASE_MS }, "lease");
        done(0);
      };
    });
  }

  function dropLease(token) {
    return run([META], "readwrite", function (tx) {
      var store = tx.objectStore(META);
      var request = store.get("lease");
      request.onsuccess = function () {
        // Only our own: a lease that ran out may have been taken by another tab since.
        if (request.result && request.result.token === token) store.delete("lease");
      };
    });
  }

  // Before each send, in one transaction: the lease kept for another LEASE_MS (token null under
  // Web Locks: the lock is held) and the entry read again, since another tab may have sent,
  // refused or dismissed it after this tab's list was read (a send that hung past the lease).
  // Resolves {stop: true} when another tab holds the lease now, else {entry} (null: skip it).
  function claim(token, key) {
    return run([META, STORE], "readwrite", function (tx, done) {
      var meta = tx.objectStore(META);
      var request = meta.get("lease");
      request.onsuccess = function () {
        var lease = request.result;
        if (token && lease && lease.token !== token && held(lease)) { done({ stop: true }); return; }
        if (token) meta.put({ token: token, until: Date.now() + LEASE_MS }, "lease");
        var read = tx.objectStore(STORE).get(key);
        read.onsuccess = function () {
          var entry = read.result;
          done({ entry: entry && entry.state === "waiting" ? entry : null });
        };
      };
    });
  }

  // Runs work(claimOne) alone and resolves true, or resolves to the time the other tab's lease
  // runs out. claimOne(key) is claim() with this run's lease.
  function exclusively(work) {
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request(LOCK, function () {
        return work(function (key) { return claim(null, key); });
      }).then(function () { return true; });
    }
    var token = String(Math.random()) + String(Date.now());
    return takeLease(token).then(function (busyUntil) {
      if (busyUntil) return busyUntil;
      leaseToken = token;
      return Promise.resolve().then(function () {
        return work(function (key) { return claim(token, key); });
      }).finally(function () {
        leaseToken = null;
        return dropLease(token);
      }).then(function () { return true; });
    });
  }

  // Leaving mid-send: give the lease back so another tab needn't wait for it to run out.
  window.addEventListener("pagehide", function () { if (leaseToken) dropLease(leaseToken); });

  // --- What the user sees ----------------------------------------------------------------
  function region() { return document.getElementById("announce"); }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function describe(entry) { return entry.kindLabel + " with " + entry.contactName; }
  function lower(entry) { return entry.kindLabel.toLowerCase() + " with " + entry.contactName; }

  function say(rows) {
    var target = region();
    if (!target) return;
    target.replaceChildren.apply(target, rows);
    if (window.htmx) window.htmx.process(target);
  }

  function queuedRow() { return element("p", "message message-info", QUEUED_TEXT); }

  // "Coffee with Ana logged", with the same Undo as the page's own answer (interactions:delete).
  function landedRow(entry, id) {
    var row = element("div", "message message-success announce-row");
    row.appendChild(element("p", "", describe(entry) + " logged."));
    if (id) {
      var pattern = panel.dataset.undo;
      var at = pattern.lastIndexOf("/0/");
      var url = pattern.slice(0, at) + "/" + encodeURIComponent(id) + "/" + pattern.slice(at + 3);
      var form = element("form");
      form.method = "post";
      form.action = url;
      form.setAttribute("hx-post", url);
      form.setAttribute("hx-target", "#announce");
      form.setAttribute("hx-swap", "innerHTML");
      var token = element("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrfToken();
      form.appendChild(token);
      var button = element("button", "button small secondary", "Undo");
      button.type = "submit";
      var hidden = element("span", "visually-hidden", " " + lower(entry));
      button.appendChild(hidden);
      form.appendChild(button);
      row.appendChild(form);
    }
    return row;
  }

  function refusedRow(entry) {
    return element("p", "message message-error",
      "Couldn't log " + lower(entry) + ": " + entry.error +
      " It stays below with your note, so nothing is lost.");
  }

  function render() {
    return mine().then(function (entries) {
      var waiting = waitingOnes(entries);
      var refused = entries.filter(function (entry) { return entry.state === "refused"; });
      var list = panel.querySelector(".offline-queue-items");
      var title = panel.querySelector(".offline-queue-title");
      var parts = [];
      if (waiting.length) parts.push(waiting.length + " waiting to be sent");
      if (refused.length) parts.push(refused.length + " not sent");
      title.textContent = parts.join(" · ");
      panel.querySelector("[data-offline-send]").hidden = !waiting.length || !navigator.onLine;
      list.replaceChildren.apply(list, entries.map(itemFor));
      panel.hidden = !entries.length;
      scheduleRetry(waiting.length > 0);
    });
  }

  function whenText(entry) {
    if (entry.occurredOn) {
      var parts = entry.occurredOn.split("-").map(Number);
      return new Date(parts[0], parts[1] - 1, parts[2])
        .toLocaleDateString([], { weekday: "short", day: "numeric", month: "short" });
    }
    return new Date(entry.createdAt).toLocaleString([], { weekday: "short", hour: "2-digit", minute: "2-digit" });
  }

  function itemFor(entry) {
    var item = element("li", "offline-queue-item" + (entry.state === "refused" ? " refused" : ""));
    var head = element("p", "offline-queue-what");
    head.appendChild(element("strong", "", describe(entry)));
    head.appendChild(document.createTextNode(" · " + whenText(entry)));
    item.appendChild(head);
    if (entry.notes) item.appendChild(element("p", "offline-queue-note", entry.notes));
    if (entry.state === "refused") {
      item.appendChild(element("p", "offline-queue-error", "Not sent: " + entry.error));
      var dismiss = element("button", "button small secondary", "Dismiss");
      dismiss.type = "button";
      dismiss.appendChild(element("span", "visually-hidden", " " + lower(entry)));
      dismiss.addEventListener("click", function () { remove(entry.key).then(render); });
      item.appendChild(dismiss);
    }
    return item;
  }

  function scheduleRetry(needed) {
    // Online but the server unreachable (htmx:sendError): try again now and then.
    if (needed && !retryTimer) retryTimer = window.setInterval(flush, RETRY_MS);
    if (!needed && retryTimer) { window.clearInterval(retryTimer); retryTimer = null; }
  }

  // --- Keeping a log ----------------------------------------------------------------------
  // crypto.randomUUID needs a secure context; a home server on plain http over the LAN is not one.
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function entryFrom(form) {
    var data = new FormData(form);
    var kindField = form.elements.namedItem("kind");
    var kindLabel = form.dataset.offlineKind ||
      (kindField && kindField.selectedOptions && kindField.selectedOptions[0] ?
        kindField.selectedOptions[0].textContent : "") || String(data.get("kind") || "Interaction");
    var entry = {
      key: newKey(),
      user: owner,
      contact: Number(form.dataset.offlineLog),
      contactName: form.dataset.offlineName || "",
      kind: String(data.get("kind") || "coffee"),
      kindLabel: kindLabel.trim(),
      notes: String(data.get("notes") || ""),
      createdAt: new Date().toISOString(),
      state: "waiting",
      error: "",
    };
    // A day other than the one the page proposed (today, in the user's zone) is sent as that
    // day; otherwise the moment of the click, not the moment it reaches the server.
    var day = form.elements.namedItem("occurred_on");
    if (day && day.value && day.value !== day.defaultValue) entry.occurredOn = day.value;
    else entry.occurredAt = entry.createdAt;
    return entry;
  }

  function keep(form) {
    var entry = entryFrom(form);
    return put(entry).then(function () {
      say([queuedRow()]);
      if (form.elements.namedItem("notes")) form.reset();
      var menu = form.closest("details.menu");
      if (menu) menu.open = false;
      return render();
    });
  }

  function quickLogForm(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.closest ? elt.closest("form[data-offline-log]") : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = quickLogForm(event);
    if (!form || navigator.onLine) return;
    event.preventDefault();
    keep(form);
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = quickLogForm(event);
    if (form) keep(form);
  });

  // --- Sending ----------------------------------------------------------------------------
  function bodyOf(entry) {
    var body = { contacts: [entry.contact], kind: entry.kind, notes: entry.notes };
    if (entry.occurredOn) body.occurred_on = entry.occurredOn;
    else body.occurred_at = entry.occurredAt;
    return JSON.stringify(body);
  }

  function errorText(response) {
    return response.json().then(function (data) {
      var messages = [];
      (function walk(value) {
        if (typeof value === "string") messages.push(value);
        else if (Array.isArray(value)) value.forEach(walk);
        else if (value && typeof value === "object") Object.keys(value).forEach(function (k) { walk(value[k]); });
      })(data);
      return messages.join(" ") || "the server refused it.";
    }, function () { return "the server refused it (" + response.status + ")."; });
  }

  // Worth another try later: signed out or CSRF (a fresh page fixes it), busy, or a server error.
  function retryable(status) {
    return status === 401 || status === 403 || status === 408 || status === 425 || status === 429 || status >= 500;
  }

  function sendOne(entry) {
    return fetch(panel.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken(),
        "Idempotency-Key": entry.key,
      },
      body: bodyOf(entry),
    });
  }

  function waitingOnes(entries) {
    return entries.filter(function (entry) { return entry.state === "waiting"; });
  }

  function flushAll(claimOne) {
    var landed = [];
    var refused = [];
    function answered(entry, response) {
      if (response.ok) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          landed.push(landedRow(entry, data && data.id));
          return remove(entry.key).then(function () { return false; });
        });
      }
      if (retryable(response.status)) return true;
      return errorText(response).then(function (text) {
        entry.state = "refused";
        entry.error = text;
        refused.push(refusedRow(entry));
        return put(entry).then(function () { return false; });
      });
    }
    // What went is announced even when a later step fails: its Undo is only offered here.
    function report() {
      if (landed.length || refused.length) {
        say(refused.concat(landed));
        if (landed.length) document.body.dispatchEvent(new CustomEvent("contactChanged", { bubbles: true }));
      }
    }
    return mine().then(function (entries) {
      return waitingOnes(entries).reduce(function (previous, listed) {
        return previous.then(function (stop) {
          if (stop || !navigator.onLine) return true;
          return claimOne(listed.key).then(function (claimed) {
            // Our lease ran out (a send hung) and another tab sends now: leave the rest to it.
            if (claimed.stop) return true;
            // Sent, refused or dismissed meanwhile by another tab: nothing to do.
            if (!claimed.entry) return false;
            var entry = claimed.entry;
            return sendOne(entry).then(function (response) { return answered(entry, response); },
              function () { return true; });  // still unreachable: kept for the next try
          });
        });
      }, Promise.resolve(false));
    }).then(report, function (error) { report(); throw error; });
  }

  // Another tab holds the lease: try again as soon as it runs out, not at the next 30 s retry.
  var leaseTimer = null;
  function afterLease(until) {
    if (leaseTimer) return;
    var wait = Math.min(Math.max(until - Date.now(), 0) + 250, LEASE_MS + 250);
    leaseTimer = window.setTimeout(function () { leaseTimer = null; flush(); }, wait);
  }

  var flushing = null;
  function flush() {
    if (!navigator.onLine) return render();
    if (!flushing) {
      // Nothing waiting (every page load, mostly): no lock, so a page left at once holds none.
      flushing = mine().then(function (entries) {
        if (!waitingOnes(entries).length) return true;
        return exclusively(flushAll);
      }).then(function (outcome) {
        if (outcome !== true) afterLease(outcome);
      }).catch(function () { /* kept; the next try sends it */ })
        .then(function () { flushing = null; return render(); });
    }
    return flushing;
  }

  if (channel) channel.onmessage = function () { render(); };
  panel.querySelector("[data-offline-send]").addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  flush();
})();
