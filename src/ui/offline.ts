/**
 * The page's side of Folio's service worker (host/sw.js, built into dist/sw.js): register
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
    (registration) => {
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

export type OfflineInfo =
  | { state: 'dev' | 'unsupported' | 'caching' }
  | { state: 'cached'; bytes: number; files: number; version: string };

/** Ask the worker in charge which cache is its own (message 'folio-cache', answered on a port). */
function askVersion(worker: ServiceWorker): Promise<{ version: string; cache: string } | undefined> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(undefined), 3000);
    channel.port1.onmessage = (e: MessageEvent<{ version: string; cache: string }>) => {
      clearTimeout(timer);
      resolve(e.data);
    };
    worker.postMessage({ type: 'folio-cache' }, [channel.port2]);
  });
}

/** What the offline copy holds now: its build version, files and bytes. */
export async function offlineInfo(): Promise<OfflineInfo> {
  if (import.meta.env.MODE !== 'production') return { state: 'dev' };
  if (!('serviceWorker' in navigator) || typeof caches === 'undefined' || !(await registered)) return { state: 'unsupported' };
  const worker = navigator.serviceWorker.controller;
  const answer = worker && (await askVersion(worker));
  if (!answer || !(await caches.has(answer.cache))) return { state: 'caching' };
  const cache = await caches.open(answer.cache);
  let bytes = 0;
  const keys = await cache.keys();
  for (const req of keys) bytes += (await (await cache.match(req))?.blob())?.size ?? 0;
  return { state: 'cached', bytes, files: keys.length, version: answer.version };
}
