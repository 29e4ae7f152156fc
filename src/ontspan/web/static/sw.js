// ontspan's service worker: pages network-first (cached for offline), spoken lines and static
// files cache-first. Nothing leaves this device; only this app's own origin is cached.
"use strict";
const VERSION = "ontspan-v1";
const SHELL = ["/static/style.css", "/static/player.js", "/static/install.js", "/static/icon.svg",
  "/static/icon-192.png", "/static/icon-512.png", "/favicon.ico", "/manifest.webmanifest"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (!Array.isArray(data.keep)) return;
  event.waitUntil(caches.open(VERSION).then(async (cache) => {
    // The page itself (its Timeline is inside): the first visit was not yet served by us.
    if (typeof data.page === "string" && data.page.startsWith("/session?")) {
      try { await cache.add(data.page); } catch (e) { /* offline already */ }
    }
    for (const url of data.keep) {
      if (typeof url !== "string" || !url.startsWith("/clip/")) continue;
      if (!(await cache.match(url))) {
        try { await cache.add(url); } catch (e) { /* try again next time */ }
      }
    }
  }));
});
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/clip/") || url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => {
      if (response.ok) { const copy = response.clone(); caches.open(VERSION).then((c) => c.put(request, copy)); }
      return response;
    })));
    return;
  }
  if (url.pathname.startsWith("/audio.") || url.pathname === "/pair") return;  // big files, one-time links
  event.respondWith(fetch(request).then((response) => {
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      caches.open(VERSION).then((c) => c.put(request, copy));
    }
    return response;
  }).catch(() => caches.match(request).then((hit) => hit || caches.match("/"))
    .then((hit) => hit || new Response("offline", { status: 503, headers: { "content-type": "text/plain" } }))));
});
