/**
 * Which tfjs backend trains the model, and why.
 *
 * Order of preference: webgpu → webgl → wasm → cpu. A person can ask for one (URL
 * `?backend=`, or a setting); if it cannot start we fall back down the list. Every
 * backend that was passed over comes with a reason a person can read.
 *
 * Software GPUs (Chromium's SwiftShader, llvmpipe) are correct but slow — on the
 * machines we measured, WebGPU on SwiftShader takes ~16× longer per step than wasm —
 * so in automatic mode they are skipped in favour of wasm, and when asked for
 * explicitly they are labelled "software emulation, slow".
 *
 * Runs wherever tfjs runs (worker, page, Node): it touches only `navigator` and
 * `OffscreenCanvas` when they exist.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { gemmThreadsLost, startGemmThreads } from '../kernels/threads/gemmThreads';
import { registerFolioKernels } from '../kernels';
import { notice, noticeText, type Notice } from '../i18n';
import { BACKEND_ORDER, wasmLabel, type AdapterInfo, type BackendName, type BackendReport } from './protocol';

export interface BackendOptions {
  /** Where the wasm binaries are: a folder prefix, or one URL per file (bundlers). */
  wasmPaths?: string | Record<string, string>;
  /** Allow tfjs's multi-threaded wasm build (works unminified only, see below). */
  wasmThreads?: boolean;
  /** Import the WebGPU backend module (kept lazy so pages without WebGPU never load it). */
  loadWebGpu?: () => Promise<unknown>;
  /** Backends that already failed in this session: skipped, with that reason. */
  exclude?: readonly BackendName[];
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|basic render/i;

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; device?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<{ vendor?: string; architecture?: string; description?: string }>;
}

interface GpuLike {
  requestAdapter(opts?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** Lives in protocol.ts (no tfjs there), so the page can check a URL without loading tfjs. */
export { isBackendName } from './protocol';

/** Probe the WebGPU adapter: null with a reason when there is none. */
async function probeWebGpu(): Promise<{ adapter: AdapterInfo } | { reason: Notice }> {
  const gpu = (globalThis.navigator as unknown as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { reason: notice('bkNoWebGpu') };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { reason: notice('bkAdapterFailed', { error: (e as Error).message }) };
  }
  if (!adapter) return { reason: notice('bkNoAdapter') };
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  const fallback = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const description = info.description ?? '';
  return {
    adapter: { vendor, architecture, description, isSoftware: fallback || SOFTWARE.test(`${vendor} ${architecture} ${description}`) },
  };
}

/** Probe WebGL2 through an OffscreenCanvas (works in workers). */
function probeWebGl(): { adapter: AdapterInfo } | { reason: Notice } {
  const OC = (globalThis as { OffscreenCanvas?: new (w: number, h: number) => { getContext(k: string): unknown } }).OffscreenCanvas;
  if (!OC) return { reason: notice('bkNoOffscreen') };
  const gl = new OC(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
  if (!gl) return { reason: notice('bkNoWebGl2') };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  const vendor = String(gl.getParameter(ext ? ext.UNMASKED_VENDOR_WEBGL : gl.VENDOR) ?? '');
  return { adapter: { vendor, architecture: '', description: renderer, isSoftware: SOFTWARE.test(`${vendor} ${renderer}`) } };
}

/** A label in English (logs, tests) and as a notice (the badge, in the person's language). */
function labelled(n: Notice): { label: string; labelNotice: Notice } {
  return { label: noticeText('en', n), labelNotice: n };
}

/** Start a backend: undefined when it runs, else what went wrong ('' when tfjs said nothing). */
async function trySetBackend(name: BackendName): Promise<string | undefined> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok || tf.getBackend() !== name) return '';
    await tf.ready();
    registerFolioKernels(name);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function adapterLabel(a: AdapterInfo): string {
  return [a.vendor, a.architecture].filter(Boolean).join(' ') || a.description || 'GPU';
}

/**
 * Start the best backend. `requested` = 'auto' tries them in order (skipping software
 * GPUs); a name tries that one first and falls back down the list if it fails.
 */
export async function chooseBackend(requested: BackendName | 'auto', opts: BackendOptions = {}): Promise<BackendReport> {
  const auto = requested === 'auto';
  const order = auto ? BACKEND_ORDER : [requested, ...BACKEND_ORDER.filter((b) => b !== requested)];
  const skipped: BackendReport['skipped'] = [];
  const skip = (name: BackendName, n: Notice) => skipped.push({ name, reason: noticeText('en', n), notice: n });
  for (const name of order) {
    if (opts.exclude?.includes(name)) {
      skip(name, notice('bkFailedBefore'));
      continue;
    }
    // After an explicit choice failed, the rest is a fallback: software GPUs are skipped there too.
    const pickyAboutSoftware = auto || name !== requested;
    switch (name) {
      case 'webgpu': {
        const probe = await probeWebGpu();
        if ('reason' in probe) {
          skip(name, probe.reason);
          break;
        }
        if (probe.adapter.isSoftware && pickyAboutSoftware) {
          skip(name, notice('bkSoftwareGpu'));
          break;
        }
        try {
          await opts.loadWebGpu?.();
        } catch (e) {
          skip(name, notice('bkWebGpuLoad', { error: (e as Error).message }));
          break;
        }
        if (!tf.findBackendFactory('webgpu')) {
          skip(name, notice('bkNotBundled'));
          break;
        }
        const err = await trySetBackend(name);
        if (err !== undefined) {
          skip(name, notice('bkStartFailed', { backend: 'WebGPU', error: err }));
          break;
        }
        return {
          name,
          ...labelled(probe.adapter.isSoftware ? notice('lblSoftware', { backend: 'WebGPU' }) : notice('lblWebGpu', { adapter: adapterLabel(probe.adapter) })),
          adapter: probe.adapter,
          skipped,
          requested,
        };
      }
      case 'webgl': {
        const probe = probeWebGl();
        if ('reason' in probe) {
          skip(name, probe.reason);
          break;
        }
        if (probe.adapter.isSoftware && pickyAboutSoftware) {
          skip(name, notice('bkSoftwareGl', { renderer: probe.adapter.description }));
          break;
        }
        const err = await trySetBackend(name);
        if (err !== undefined) {
          skip(name, notice('bkStartFailed', { backend: 'WebGL', error: err }));
          break;
        }
        return {
          name,
          ...labelled(probe.adapter.isSoftware ? notice('lblSoftware', { backend: 'WebGL' }) : notice('lblWebGl', { renderer: probe.adapter.description })),
          adapter: probe.adapter,
          skipped,
          requested,
        };
      }
      case 'wasm': {
        if (typeof WebAssembly === 'undefined') {
          skip(name, notice('bkNoWasm'));
          break;
        }
        if (opts.wasmPaths) setWasmPaths(opts.wasmPaths as string);
        // Threads need a cross-origin-isolated page (SharedArrayBuffer); ask for one per core.
        const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 1;
        const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
        if (isolated) setThreadsCount(Math.max(1, cores));
        // tfjs-backend-wasm 4.22 starts its pthreads from `factory.toString()`; in a minified
        // production bundle that source refers to renamed outer variables and every thread
        // dies ("e is not defined"), so the backend never starts. Use the single-threaded
        // SIMD binary unless a caller opts in (threads gave us no speed-up here anyway).
        if (!opts.wasmThreads) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        const err = await trySetBackend(name);
        if (err !== undefined) {
          skip(name, notice('bkStartFailed', { backend: 'wasm', error: err }));
          break;
        }
        // tfjs's own kernels run on one thread (its XNNPACK is built without a thread
        // pool); Folio's matMul (kernels/threads/gemmThreads.ts) uses one per core where it may.
        const threads = Math.max(safeThreads(), await startGemmThreads());
        const lost = gemmThreadsLost();
        const why = threads > 1 ? '' : lost ? lost : !isolated && typeof SharedArrayBuffer === 'undefined' ? 'isolation' : '';
        return { name, ...wasmLabel(threads, why), threads, skipped, requested };
      }
      case 'cpu': {
        const err = await trySetBackend(name);
        if (err !== undefined) throw new Error(`No tfjs backend could start (cpu: ${err || 'it failed to start'}).`);
        return { name, ...labelled(notice('lblCpu')), skipped, requested };
      }
    }
  }
  throw new Error('No tfjs backend could start.');
}

function safeThreads(): number {
  try {
    return getThreadsCount();
  } catch {
    return 1;
  }
}
