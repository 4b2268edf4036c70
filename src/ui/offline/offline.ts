/**
 * The page's side of Folio's service worker (src/ui/offline/sw.template.js, built into dist/sw.js): register
 * it, reload once when the page is not yet cross-origin isolated (the worker adds the
 * headers a static host may not send), and read what the offline copy holds. Only the
 * built page registers it: the dev server sends the headers itself and changes files
 * all the time.
 */
const RELOADED = 'folio-isolation-reload';

/** The registration, once asked for: undefined when the browser refused it. */
let registered: Promise<ServiceWorkerRegistration | undefined> | undefined;

export function startServiceWorker(): void {
  if (import.meta.env.MODE !== 'production' || !('serviceWorker' in navigator)) return; // (MODE, not PROD: a build run by the tests has NODE_ENV=test)
  if (crossOriginIsolated) sessionStorage.removeItem(RELOADED);
  const sw = navigator.serviceWorker;
  registered = sw.register('./sw.js').then(
    (registration: ServiceWorkerRegistration | undefined) => {
      if (!registration) return undefined; // a browser that blocks service workers (policy, automation) answers nothing
      // Look for a new build now, not only when the browser gets round to it (a changed
      // sw.js installs, replaces the offline copy and takes over; see src/ui/offline/sw.template.js).
      if (navigator.onLine) registration.update().catch(() => undefined);
      // One reload, once the worker controls the page; a browser that still refuses
      // isolation then stays on one thread rather than reloading for ever.
      const reload = () => {
        sessionStorage.setItem(RELOADED, '1');
        location.reload();
      };
      if (crossOriginIsolated || sessionStorage.getItem(RELOADED)) return registration;
      if (sw.controller) reload();
      else sw.addEventListener('controllerchange', reload, { once: true });
      return registration;
    },
    (e: unknown) => (console.warn('Folio: the service worker was not registered', e), undefined),
  );
}

export type OfflineInfo = { state: 'dev' | 'unsupported' | 'caching' } | { state: 'cached'; bytes: number; files: number; version: string };

interface CacheAnswer {
  version: string;
  cache: string;
  /** URL of the copy's summary ({version, bytes, files}), written when the copy was complete. */
  summary: string;
}

/** Ask the worker in charge which cache is its own (message 'folio-cache', answered on a port). */
function askCache(worker: ServiceWorker): Promise<CacheAnswer | undefined> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(undefined), 3000);
    channel.port1.onmessage = (e: MessageEvent<CacheAnswer>) => {
      clearTimeout(timer);
      resolve(e.data);
    };
    worker.postMessage({ type: 'folio-cache' }, [channel.port2]);
  });
}

/**
 * What the offline copy holds now: its build version, files and bytes. Read with
 * caches.match, never caches.open (which would create a cache a newer worker just deleted).
 */
export async function offlineInfo(): Promise<OfflineInfo> {
  if (import.meta.env.MODE !== 'production') return { state: 'dev' };
  if (!('serviceWorker' in navigator) || typeof caches === 'undefined' || !(await registered)) return { state: 'unsupported' };
  const worker = navigator.serviceWorker.controller;
  const answer = worker && (await askCache(worker));
  const summary = answer && (await caches.match(answer.summary, { cacheName: answer.cache }));
  if (!summary) return { state: 'caching' };
  const s = (await summary.json()) as { version: string; bytes: number; files: number };
  return { state: 'cached', bytes: s.bytes, files: s.files, version: s.version };
}
