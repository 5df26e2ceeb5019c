// Service worker of the nationals' app: keeps the app, and what it last read, usable offline.
const VERSION = "{{ version }}";
const CACHE = "lifeline-app-" + VERSION;
const DATA = "lifeline-data";
const PRECACHE = {{ precache|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("lifeline-app-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// The app's files: cache first (they change only with a new version).
// Reading endpoints of the API: network first, then the last answer kept here.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/app/")) {
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(DATA).then((cache) => cache.put(request, copy));
        }
        return response;
      }).catch(() => caches.open(DATA).then((cache) => cache.match(request)).then((hit) => hit || Response.error()))
    );
    return;
  }
  if (url.pathname === "/app/") {
    // The shell carries the reader's language: network first, the kept copy offline.
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok) { const copy = response.clone(); caches.open(CACHE).then((cache) => cache.put("/app/", copy)); }
        return response;
      }).catch(() => caches.open(CACHE).then((cache) => cache.match("/app/")).then((hit) => hit || Response.error()))
    );
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.open(CACHE).then((cache) => cache.match(url.pathname)).then((hit) => hit || fetch(request)));
  }
});

// Alerts by Web Push: show them, and keep them for the Alerts page.
self.addEventListener("push", (event) => {
  let alert = {};
  try { alert = event.data ? event.data.json() : {}; } catch (e) { alert = { title: event.data ? event.data.text() : "" }; }
  alert.received = new Date().toISOString();
  event.waitUntil(Promise.all([
    self.registration.showNotification(alert.title || "Alert", { body: alert.body || "", lang: alert.lang || "", data: alert, tag: alert.id || undefined }),
    caches.open(DATA).then(async (cache) => {
      const previous = await cache.match("/app/received.json");
      const list = previous ? await previous.json() : [];
      list.unshift(alert);
      await cache.put("/app/received.json", new Response(JSON.stringify(list.slice(0, 50)), { headers: { "Content-Type": "application/json" } }));
    }),
  ]));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow("/app/#/alerts"));
});
