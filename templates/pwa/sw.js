// network-crm's service worker (docs/architecture.md, "The installable app"), rendered by
// pwa/shell_views.py with a version hashed from the files it hands out: a deploy changes this
// script, the browser installs the new worker, which precaches afresh and drops the old shell.
//
// - The shell (styles, scripts, icons, /offline/) is precached and served from the cache; the
//   manifest is precached too, but asked of the network first.
// - Page loads go to the network first. The dashboard (/) and the fragments it refreshes
//   (htmx GETs of /) are kept as last loaded, and shown when the network fails; any other page
//   falls back to /offline/.
// - Only GET is ever answered here: a POST (a quick log, a form) goes to the network untouched,
//   and the page handles its failure (static/js/offline-log.js).
// - The dashboard holds someone's data: it is forgotten on sign-out and when the server says the
//   session is gone.
"use strict";

const CONFIG = {{ config|safe }};
const SHELL = "network-crm-shell-" + CONFIG.version;
const PAGES = "network-crm-pages";
const FRAGMENTS = "network-crm-fragments";
const STATIC = "network-crm-static";
// When a page came from the cache, for the page to say so: client id -> when it was saved.
const CACHED_AT_HEADER = "X-Network-Crm-Saved-At";
const servedFromCache = new Map();

if (CONFIG.push_script) {
  // The push and notificationclick handlers (static/js/sw-push.js).
  importScripts(CONFIG.push_script);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL)
      .then((cache) => cache.addAll(CONFIG.precache.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(
      // Old shells, and the copies of other static files (their hashed names change with a
      // deploy, so the copies would only pile up).
      names.filter((name) => (name.startsWith("network-crm-shell-") && name !== SHELL) || name === STATIC)
        .map((name) => caches.delete(name))
    );
    await self.clients.claim();
    // The saved dashboard names the old shell's files: load it again, so it opens offline with
    // the new ones. Not awaited (page loads wait while a worker activates); best effort: if it
    // fails, the next visit saves it anyway.
    refreshSaved().catch(() => undefined);
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // Never answered here; a sign-out only makes us forget the saved pages.
    if (request.method === "POST" && url.pathname === CONFIG.logout_url) {
      event.waitUntil(forgetSaved());
    }
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, url));
  } else if (url.pathname === CONFIG.dashboard_url && request.headers.get("HX-Request") === "true") {
    event.respondWith(fragment(request));
  } else if (url.pathname.startsWith(CONFIG.static_prefix) || url.pathname === CONFIG.manifest_url) {
    event.respondWith(staticFile(request));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "network-crm:how-was-i-served" && event.source) {
    const savedAt = servedFromCache.get(event.source.id) || null;
    servedFromCache.delete(event.source.id);
    event.source.postMessage({ type: "network-crm:served", savedAt: savedAt });
  }
});

function isDashboard(url) {
  return url.pathname === CONFIG.dashboard_url && url.search === "";
}

function worthSaving(response) {
  return response.ok && response.type === "basic" && !response.redirected;
}

// A copy of the response that remembers when it was saved (for "loaded at HH:MM").
async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(CACHED_AT_HEADER, String(Date.now()));
  return new Response(await response.blob(), {
    status: response.status, statusText: response.statusText, headers: headers,
  });
}

async function save(cacheName, key, response) {
  const cache = await caches.open(cacheName);
  await cache.put(key, await stamped(response));
}

async function navigate(event, url) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (isDashboard(url)) {
      if (worthSaving(response)) {
        event.waitUntil(save(PAGES, CONFIG.dashboard_url, response.clone()));
      } else if (response.type === "opaqueredirect") {
        // The dashboard sends a signed-out visitor to the sign-in page.
        event.waitUntil(forgetSaved());
      }
    }
    return response;
  } catch (error) {
    if (isDashboard(url)) {
      const saved = await caches.match(CONFIG.dashboard_url, { cacheName: PAGES, ignoreVary: true });
      if (saved) {
        servedFromCache.set(event.resultingClientId, Number(saved.headers.get(CACHED_AT_HEADER)));
        return saved;
      }
    }
    const offline = await caches.match(CONFIG.offline_url, { cacheName: SHELL, ignoreVary: true });
    return offline || Response.error();
  }
}

async function fragment(request) {
  try {
    const response = await fetch(request);
    if (worthSaving(response)) {
      await save(FRAGMENTS, request.url, response.clone());
    }
    return response;
  } catch (error) {
    const saved = await caches.match(request.url, { cacheName: FRAGMENTS, ignoreVary: true });
    return saved || Response.error();
  }
}

async function staticFile(request) {
  // The shell's files: from the cache (their version is this worker's). Others, and the
  // manifest: the network, keeping a copy for offline.
  const shell = await caches.match(request, { cacheName: SHELL, ignoreVary: true });
  if (shell && new URL(request.url).pathname !== CONFIG.manifest_url) return shell;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      const cache = await caches.open(STATIC);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const saved = shell || await caches.match(request, { cacheName: STATIC, ignoreVary: true });
    return saved || Response.error();
  }
}

async function forgetSaved() {
  await Promise.all([caches.delete(PAGES), caches.delete(FRAGMENTS)]);
}

async function refreshSaved() {
  for (const [cacheName, headers] of [[PAGES, {}], [FRAGMENTS, { "HX-Request": "true" }]]) {
    const cache = await caches.open(cacheName);
    for (const key of await cache.keys()) {
      const response = await fetch(key.url, { headers: headers, redirect: "manual" });
      if (worthSaving(response)) {
        await save(cacheName, key.url, response);
      } else if (response.type === "opaqueredirect") {
        await forgetSaved();
        return;
      }
    }
  }
}
