// The installable app (docs/architecture.md, "The installable app"): registers the service worker
// (/sw.js, templates/pwa/sw.js), and says so when the device is offline and the page shows what
// was loaded earlier. Without it (or without service workers) every page works as before, online.
(function () {
  "use strict";

  var loadedAt = Date.now(); // this page came from the network now...
  var savedAt = null; // ...unless the worker says it came from its cache, saved then
  var region = null;

  function clock(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  // One status region at the top of <main>, empty (and taking no room) while online. It is in
  // the page before anything is said in it, so screen readers announce the change.
  function statusRegion() {
    if (region || document.querySelector("[data-offline-page]")) return region;
    var main = document.getElementById("main");
    if (!main) return null;
    region = document.createElement("div");
    region.className = "offline-banner";
    region.setAttribute("role", "status");
    region.setAttribute("data-offline-banner", "");
    main.insertBefore(region, main.firstChild);
    return region;
  }

  function showOffline() {
    var banner = statusRegion();
    if (!banner) return;
    banner.classList.remove("back-online");
    banner.textContent = "You're offline — showing what was loaded at " + clock(savedAt || loadedAt) + ".";
  }

  function showOnline() {
    var banner = statusRegion();
    if (!banner) return;
    if (!savedAt) {
      banner.replaceChildren();
      return;
    }
    // The page is an older copy: offer the fresh one rather than reload under the user's hands.
    var text = document.createElement("span");
    text.textContent = "You're back online. ";
    var reload = document.createElement("a");
    reload.href = window.location.href;
    reload.textContent = "Show the latest";
    banner.classList.add("back-online");
    banner.replaceChildren(text, reload);
  }

  window.addEventListener("offline", showOffline);
  window.addEventListener("online", showOnline);

  document.addEventListener("DOMContentLoaded", function () {
    statusRegion();
    if (!navigator.onLine) showOffline();
  });

  if (!("serviceWorker" in navigator)) return;

  // Ask the worker whether this page came from its cache (it knows which page it answered).
  navigator.serviceWorker.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type !== "network-crm:served" || !data.savedAt) return;
    savedAt = data.savedAt;
    showOffline();
  });
  if (navigator.serviceWorker.controller) {
    navigator.serviceWorker.controller.postMessage({ type: "network-crm:how-was-i-served" });
  }

  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      // No worker (a private window, an http:// address that is not localhost): the site
      // works as before, online only.
    });
  });
})();
