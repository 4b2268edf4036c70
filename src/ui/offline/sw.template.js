/*
 * Folio's service worker: dist/sw.js, written by the serviceWorker plugin in vite.config.ts at build time
 * (the version and the file list below are filled in then). Two jobs:
 *
 * 1. Cross-origin isolation on any static host. WebAssembly threads need the page to be
 *    cross-origin isolated, which takes two response headers (COOP and COEP) that GitHub
 *    Pages and most static hosts cannot send. Every response this worker hands the page
 *    gets them added (the approach of coi-serviceworker), so after one reload the page is
 *    isolated. Everything Folio loads is its own origin's, so COEP require-corp costs
 *    nothing.
 * 2. Offline after the first visit. Installing caches every file of the build (app shell,
 *    scripts, wasm binaries, bundled corpora and checkpoints) under this build's version;
 *    files are then served from the cache, the page itself from the network first (so a
 *    new build is seen as soon as it is published) and from the cache when offline. A new
 *    build is a new sw.js (its version differs): it installs, takes over and deletes the
 *    old cache.
 */
const VERSION = '__FOLIO_VERSION__';
const FILES = __FOLIO_FILES__;
const PREFIX = `folio:${self.registration.scope}:`;
const CACHE = PREFIX + VERSION;
/** What the copy holds ({version, bytes, files}), kept in the cache beside the files for the page to show. */
const SUMMARY = './folio-offline.json';

async function install() {
  const cache = await caches.open(CACHE);
  await cache.addAll(['./', ...FILES].map((f) => new Request(f, { cache: 'reload' })));
  let bytes = 0;
  const keys = await cache.keys();
  for (const req of keys) bytes += (await (await cache.match(req)).blob()).size;
  await cache.put(SUMMARY, new Response(JSON.stringify({ version: VERSION, bytes, files: keys.length }), { headers: { 'Content-Type': 'application/json' } }));
  await self.skipWaiting();
}

self.addEventListener('install', (event) => event.waitUntil(install()));

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

/** The response with the isolation headers added (an opaque or error response as it is). */
function isolated(res) {
  if (!res || res.status === 0) return res;
  const headers = new Headers(res.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

// caches.match with cacheName, not caches.open: opening would create this build's cache
// again after a newer worker deleted it (a request still in flight here).
// ignoreVary: hosts that send `Vary: Origin` (vite preview, many CDNs) would otherwise never match
// the copy of a `crossorigin` script or stylesheet, and the offline page would be blank.
const cached = (req, options = {}) => caches.match(req, { ...options, ignoreVary: true, cacheName: CACHE });

async function respond(req) {
  if (req.mode === 'navigate') {
    try {
      return isolated(await fetch(req));
    } catch (e) {
      const page = (await cached(req, { ignoreSearch: true })) || (await cached(new URL('./', self.registration.scope).href));
      if (page) return isolated(page);
      throw e;
    }
  }
  return isolated((await cached(req)) || (await fetch(req)));
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  if (req.cache === 'only-if-cached' && req.mode !== 'same-origin') return;
  event.respondWith(respond(req));
});

// The page asks which build this is and which cache is its own (ui/offline/offline.ts).
self.addEventListener('message', (event) => {
  if (event.data?.type === 'folio-cache' && event.ports[0])
    event.ports[0].postMessage({ version: VERSION, cache: CACHE, summary: new URL(SUMMARY, self.registration.scope).href });
});
