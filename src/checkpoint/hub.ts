/**
 * A GPT-2-family model from the Hugging Face Hub, by its files' public URLs
 * (`{endpoint}/{owner}/{name}/resolve/main/{file}`; the Hub answers large files with a
 * redirect to its CDN): which files, how many bytes before anything is downloaded, the
 * download itself with progress and cancel, and a cache so the next time needs no network.
 *
 * The same code serves the page and the CLI: `fetch` and the cache are handed in (Cache
 * Storage in the page, state/hubCache.ts; the Hugging Face cache folder in Node,
 * cli/hubCache.ts). Sizes come from the server's headers, so they are trusted only as far as
 * a limit: a file larger than a tab can hold is refused before it downloads, a body longer
 * than announced is cut off, and one shorter is an error — never a half model.
 */
import { FolioError, notice, type Notice } from '../i18n';
import type { Gpt2Files } from './gpt2';

export const HUB_ENDPOINT = 'https://huggingface.co';
/** Offered in the page's field: GPT-2 small (124 M) and its distilled half (82 M). */
export const HUB_SUGGESTED = ['openai-community/gpt2', 'distilbert/distilgpt2'] as const;
/** The largest weights file a tab loads: float32 GPT-2 medium (355 M) is 1.4 GB. */
export const MAX_WEIGHTS_BYTES = 2 * 1024 ** 3;
/** The largest other file (a config, a tokenizer). */
const MAX_SMALL_BYTES = 64 * 1024 ** 2;

/** Where downloaded files are kept, by repo and file name. */
export interface HubCache {
  get(repo: string, file: string): Promise<Uint8Array | undefined>;
  /** The size of a kept file, without reading it (undefined: not kept). */
  size(repo: string, file: string): Promise<number | undefined>;
  put(repo: string, file: string, bytes: Uint8Array, commit?: string): Promise<void>;
}

export interface HubOptions {
  fetch: typeof fetch;
  cache: HubCache;
  endpoint?: string;
  signal?: AbortSignal;
  /** Never touch the network: the cache must hold every file. */
  offline?: boolean;
}

export interface HubFile {
  name: string;
  bytes: number;
  cached: boolean;
}

/** What loading a repo takes: its files, their sizes, how much of it must still be downloaded. */
export interface HubPlan {
  repo: string;
  files: HubFile[];
  totalBytes: number;
  downloadBytes: number;
}

/** owner/name, as the Hub spells ids (letters, digits, '-', '_', '.'; no '..'). */
export function isRepoId(s: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/.test(s) && !s.includes('..');
}

export function resolveUrl(repo: string, file: string, endpoint = HUB_ENDPOINT): string {
  return `${endpoint.replace(/\/+$/, '')}/${repo}/resolve/main/${file}`;
}

const fail = (n: Notice) => new FolioError(n);
const cancelled = () => new FolioError(notice('hubCancelled'));

/** A fetch that says offline, cancelled or a status in words. */
async function get(url: string, method: 'GET' | 'HEAD', o: HubOptions, repo: string): Promise<Response> {
  if (o.signal?.aborted) throw cancelled();
  try {
    return await o.fetch(url, { method, redirect: 'follow', ...(o.signal ? { signal: o.signal } : {}) });
  } catch (e) {
    if (o.signal?.aborted || (e as Error)?.name === 'AbortError') throw cancelled();
    throw fail(notice('hubOffline', { repo }));
  }
}

/** A file's size on the Hub (its redirect's `X-Linked-Size`, else the length), or undefined when the repo lacks it. */
async function remoteSize(repo: string, file: string, o: HubOptions): Promise<number | undefined> {
  const r = await get(resolveUrl(repo, file, o.endpoint), 'HEAD', o, repo);
  if (r.status === 404 || r.status === 401 || r.status === 403) return undefined;
  if (!r.ok) throw fail(notice('hubHttp', { file, status: r.status }));
  const n = Number(r.headers.get('x-linked-size') ?? r.headers.get('content-length') ?? NaN);
  return Number.isSafeInteger(n) && n >= 0 ? n : -1; // −1: the server did not say
}

/** Which files to take, and their sizes: from the cache where kept, else from the Hub's headers. */
export async function planHub(repo: string, o: HubOptions): Promise<HubPlan> {
  if (!isRepoId(repo)) throw fail(notice('hubRepoInvalid', { repo }));
  const files: HubFile[] = [];
  const take = async (name: string, required: boolean): Promise<boolean> => {
    const kept = await o.cache.size(repo, name);
    if (kept !== undefined) return (void files.push({ name, bytes: kept, cached: true }), true);
    if (o.offline) {
      if (required) throw fail(notice('hubOffline', { repo }));
      return false;
    }
    const bytes = await remoteSize(repo, name, o);
    if (bytes === undefined) {
      if (required) throw name === 'model.safetensors' ? fail(notice('hubNoWeights', { repo })) : fail(notice('hubNotFound', { repo, file: name }));
      return false;
    }
    files.push({ name, bytes, cached: false });
    return true;
  };
  await take('config.json', true);
  if (!(await take('tokenizer.json', false))) {
    await take('vocab.json', true);
    await take('merges.txt', true);
  }
  await take('model.safetensors', true);
  const weights = files.find((f) => f.name === 'model.safetensors')!;
  if (weights.bytes > MAX_WEIGHTS_BYTES) throw fail(notice('hubTooLarge', { bytes: weights.bytes, limit: MAX_WEIGHTS_BYTES }));
  const total = files.reduce((n, f) => n + Math.max(0, f.bytes), 0);
  const download = files.filter((f) => !f.cached).reduce((n, f) => n + Math.max(0, f.bytes), 0);
  return { repo, files, totalBytes: total, downloadBytes: download };
}

/** Read a response body into one array: at most `limit` bytes, exactly `expected` when the server said. */
async function readBody(r: Response, file: string, expected: number, limit: number, o: HubOptions, onBytes: (n: number) => void): Promise<Uint8Array> {
  const declared = Number(r.headers.get('content-length') ?? NaN);
  const size = expected >= 0 ? expected : Number.isSafeInteger(declared) && declared >= 0 ? declared : -1;
  if (size > limit) throw fail(notice('hubTooLarge', { bytes: size, limit }));
  if (!r.body) {
    const all = new Uint8Array(await r.arrayBuffer());
    if (all.length > limit) throw fail(notice('hubTooLarge', { bytes: all.length, limit }));
    onBytes(all.length);
    return all;
  }
  const reader = r.body.getReader();
  let out = new Uint8Array(size >= 0 ? size : 1 << 20);
  let at = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > out.length) {
        // The server said less than it sends (or said nothing): grow within the limit.
        if (size >= 0 || at + value.length > limit) throw fail(notice('hubTooLarge', { bytes: at + value.length, limit: size >= 0 ? size : limit }));
        const bigger = new Uint8Array(Math.min(limit, Math.max(out.length * 2, at + value.length)));
        bigger.set(out.subarray(0, at));
        out = bigger;
      }
      out.set(value, at);
      at += value.length;
      onBytes(value.length);
    }
  } catch (e) {
    void reader.cancel().catch(() => {});
    if (o.signal?.aborted || (e as Error)?.name === 'AbortError') throw cancelled();
    throw e;
  }
  if (size >= 0 && at !== size) throw fail(notice('hubShort', { file, got: at, expected: size }));
  return size >= 0 ? out : out.slice(0, at);
}

/**
 * Download what the plan lacks (keeping each file in the cache as it completes) and read what
 * was kept: the folder's files. `onProgress(done, total)` counts the bytes downloaded.
 */
export async function downloadHub(plan: HubPlan, o: HubOptions, onProgress: (done: number, total: number) => void = () => {}): Promise<Gpt2Files> {
  const bytes = new Map<string, Uint8Array>();
  let done = 0;
  for (const f of plan.files) {
    if (f.cached) {
      const kept = await o.cache.get(plan.repo, f.name);
      if (kept) {
        bytes.set(f.name, kept);
        continue;
      }
    }
    if (o.offline) throw fail(notice('hubOffline', { repo: plan.repo }));
    const r = await get(resolveUrl(plan.repo, f.name, o.endpoint), 'GET', o, plan.repo);
    if (!r.ok)
      throw r.status === 404 ? fail(notice('hubNotFound', { repo: plan.repo, file: f.name })) : fail(notice('hubHttp', { file: f.name, status: r.status }));
    const limit = f.name === 'model.safetensors' ? MAX_WEIGHTS_BYTES : MAX_SMALL_BYTES;
    const body = await readBody(r, f.name, f.cached ? -1 : f.bytes, limit, o, (n) => onProgress((done += n), plan.downloadBytes));
    await o.cache.put(plan.repo, f.name, body, r.headers.get('x-repo-commit') ?? undefined);
    bytes.set(f.name, body);
  }
  const text = (name: string) => {
    const b = bytes.get(name);
    return b && new TextDecoder().decode(b);
  };
  const tokenizer = text('tokenizer.json');
  const vocab = text('vocab.json');
  const merges = text('merges.txt');
  return {
    config: text('config.json')!,
    safetensors: bytes.get('model.safetensors')!,
    ...(tokenizer !== undefined ? { tokenizer } : {}),
    ...(vocab !== undefined ? { vocab } : {}),
    ...(merges !== undefined ? { merges } : {}),
  };
}
