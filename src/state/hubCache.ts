/**
 * The page's keep of Hub downloads: Cache Storage (the browser's store for responses), one
 * entry per file under the file's Hub URL, so a model downloaded once loads again without
 * the network. Each entry says its size in a header, so sizing a cached model reads nothing.
 */
import { resolveUrl, type HubCache } from '../checkpoint/hub';

const CACHE = 'folio-hub-v1';
const SIZE = 'x-folio-size';

export function cacheStorageHub(): HubCache {
  const open = () => (typeof caches === 'undefined' ? Promise.resolve(undefined) : caches.open(CACHE));
  const match = async (repo: string, file: string) => (await open())?.match(resolveUrl(repo, file));
  return {
    async get(repo, file) {
      const r = await match(repo, file);
      return r ? new Uint8Array(await r.arrayBuffer()) : undefined;
    },
    async size(repo, file) {
      const n = Number((await match(repo, file))?.headers.get(SIZE) ?? NaN);
      return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
    },
    async put(repo, file, bytes) {
      const c = await open();
      const body = new Blob([bytes as Uint8Array<ArrayBuffer>]);
      await c?.put(resolveUrl(repo, file), new Response(body, { headers: { [SIZE]: String(bytes.byteLength), 'content-type': 'application/octet-stream' } }));
    },
  };
}
