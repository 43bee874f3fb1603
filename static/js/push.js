// Settings → "Notifications on this device": ask permission, subscribe this browser to Web Push
// with the server's VAPID key and send the subscription to the server (notify/push_views.py);
// or unsubscribe. The states a person sees: unsupported, blocked, off, on.
(function () {
  "use strict";

  var TEXT = {
    unsupported: ["Not available", "This browser can't show notifications from network-crm. On iPhone and iPad, add it to your Home Screen first (Share → Add to Home Screen) and open it from there."],
    blocked: ["Blocked", "Notifications are blocked for this site. Allow them in your browser's site settings, then reload this page."],
    off: ["Off", "This device gets no notifications from network-crm."],
    on: ["On", "This device gets your daily digest as a notification."],
    waiting: ["Checking", "Checking whether this browser can show notifications…"],
    noworker: ["Not ready", "The app's background worker did not start in this browser. Reload the page to try again."],
  };

  function announce(text, isError) {
    var region = document.getElementById("announce");
    if (!region) return;
    var box = document.createElement("div");
    box.className = "message announce-row" + (isError ? " message-error" : "");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    region.replaceChildren(box);
  }

  function keyBytes(base64) {
    var padded = base64.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64.length + 3) % 4);
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(subscription, key) {
    var own = subscription.options && subscription.options.applicationServerKey;
    if (!own) return true;
    var bytes = new Uint8Array(own);
    if (bytes.length !== key.length) return false;
    for (var i = 0; i < key.length; i++) if (bytes[i] !== key[i]) return false;
    return true;
  }

  function sha256Hex(text) {
    if (!window.crypto || !crypto.subtle) return Promise.resolve("");
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    });
  }

  function supported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window &&
      window.isSecureContext;
  }

  // The service worker that pwa.js registers on every page (/sw.js, which imports
  // js/sw-push.js). Not registered here: one place owns it. It may take a moment on a first visit.
  function registration() {
    return Promise.race([
      navigator.serviceWorker.ready,
      new Promise(function (resolve, reject) {
        setTimeout(function () { reject(new Error("no service worker")); }, 15000);
      }),
    ]);
  }

  function post(url, root, body) {
    var token = root.querySelector("input[name=csrfmiddlewaretoken]");
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify(body),
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        throw new Error("Your session has ended: sign in again, then try once more.");
      }
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || "The server refused the subscription.");
        return data;
      });
    });
  }

  function refreshDevices(endpoint, data) {
    if (data && data.device_count_text) {
      document.querySelectorAll("[data-push-count]").forEach(function (count) {
        count.textContent = data.device_count_text;
      });
    }
    if (window.htmx) window.htmx.trigger(document.body, "pushDevicesChanged");
    markThisDevice(endpoint);
  }

  // The device list marks the row of this browser ("This device"), by the endpoint's hash.
  var currentEndpoint = null;
  function markThisDevice(endpoint) {
    if (endpoint !== undefined) currentEndpoint = endpoint;
    var rows = document.querySelectorAll("[data-push-key]");
    if (!rows.length) return;
    (currentEndpoint ? sha256Hex(currentEndpoint) : Promise.resolve("")).then(function (key) {
      rows.forEach(function (row) {
        var tag = row.querySelector("[data-this-device]");
        if (tag) tag.hidden = !key || row.dataset.pushKey !== key;
      });
    });
  }
  document.addEventListener("htmx:afterSwap", function () { markThisDevice(); });

  function show(root, state) {
    root.dataset.pushState = state;
    var tag = root.querySelector("[data-push-tag]");
    tag.textContent = TEXT[state][0];
    tag.classList.toggle("status-on", state === "on");
    root.querySelector("[data-push-text]").textContent = TEXT[state][1];
    var button = root.querySelector("[data-push-button]");
    button.hidden = state !== "on" && state !== "off";
    button.disabled = false;
    // Turning off is the quieter action: a secondary button.
    button.classList.toggle("secondary", state === "on");
    button.textContent = state === "on" ? "Turn off notifications on this device"
      : "Turn on notifications on this device";
  }

  function turnOn(root, reg) {
    var ask = Notification.permission === "granted" ? Promise.resolve("granted")
      : Notification.requestPermission();
    return ask.then(function (permission) {
      if (permission !== "granted") {
        show(root, permission === "denied" ? "blocked" : "off");
        if (permission !== "denied") announce("Notifications stay off: the browser was not allowed to show them.", true);
        return null;
      }
      var key = keyBytes(root.dataset.vapidKey);
      return reg.pushManager.getSubscription().then(function (existing) {
        // A subscription made with another server key (the key was changed) cannot get our
        // pushes: replace it.
        if (existing && !sameKey(existing, key)) {
          return existing.unsubscribe().then(function () { return null; });
        }
        return existing;
      }).then(function (existing) {
        return existing || reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      }).then(function (subscription) {
        return post(root.dataset.subscribeUrl, root, subscription.toJSON()).then(function (data) {
          show(root, "on");
          announce(data.message, false);
          refreshDevices(subscription.endpoint, data);
        });
      });
    });
  }

  function turnOff(root, reg) {
    return reg.pushManager.getSubscription().then(function (subscription) {
      if (!subscription) return null;
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().catch(function () { return false; }).then(function () {
        return post(root.dataset.unsubscribeUrl, root, { endpoint: endpoint });
      });
    }).then(function (data) {
      show(root, "off");
      announce(data ? data.message : "Notifications are off for this device.", false);
      refreshDevices(null, data);
    });
  }

  function setUp(root) {
    if (!supported()) { show(root, "unsupported"); return; }
    if (Notification.permission === "denied") { show(root, "blocked"); return; }
    var button = root.querySelector("[data-push-button]");
    show(root, "waiting");
    registration().then(function (reg) {
      return reg.pushManager.getSubscription().then(function (subscription) {
        return (subscription ? sha256Hex(subscription.endpoint) : Promise.resolve("")).then(function (key) {
          // "On" only when the server has this subscription too: a device removed from the
          // list (here or elsewhere) shows "Off", and turning it on sends it again.
          var known = (root.dataset.knownKeys || "").split(" ").indexOf(key) !== -1;
          show(root, key && known && Notification.permission === "granted" ? "on" : "off");
          markThisDevice(subscription ? subscription.endpoint : null);
          return subscription;
        });
      }).then(function () {
        button.addEventListener("click", function () {
          var action = root.dataset.pushState === "on" ? turnOff : turnOn;
          button.disabled = true;
          action(root, reg).catch(function (error) {
            announce("That didn't work: " + (error && error.message ? error.message : error), true);
          }).then(function () { button.disabled = false; });
        });
      });
    }).catch(function () { show(root, "noworker"); });
  }

  function start() { document.querySelectorAll("[data-push]").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
