// Keeps the scanner page usable when the phone reloads it with no network: the page and
// its scripts come from this cache, the scans wait in IndexedDB (see scanner.js).
// API calls are never cached: a check-in answer must come from the server or from the
// phone's own offline check, never from a stale copy.
"use strict";

const CACHE = "exhibitions-scanner-v1";
const SHELL = [
  "/scanner",
  "/static/js/scanner.js",
  "/static/css/site.css",
  "/static/favicon.svg",
  "/static/vendor/htmx/htmx.min.js",
  "/static/vendor/idb-keyval/umd.js",
  "/static/vendor/barcode-detector/ponyfill.js",
  "/static/vendor/zxing-wasm/zxing_reader.wasm",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  if (event.request.mode === "navigate") {
    // The page itself: fresh when online (new translations, new code), the last copy otherwise.
    event.respondWith(
      fetch(event.request)
        .then((response) => {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put("/scanner", copy));
          return response;
        })
        .catch(() => caches.match("/scanner")),
    );
    return;
  }
  event.respondWith(
    caches.match(event.request).then((cached) => {
      const fresh = fetch(event.request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        }
        return response;
      });
      return cached ?? fresh;
    }),
  );
});
