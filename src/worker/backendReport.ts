/**
 * Which tfjs backend runs and why the others did not: the report the worker sends when it
 * picks one, and the labels the page shows on its badge.
 */
import { notice, noticeText, type Notice } from '../i18n';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendName(s: string | null | undefined): s is BackendName {
  return !!s && (BACKEND_ORDER as readonly string[]).includes(s);
}

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  /** True for software implementations (SwiftShader and the like): correct but slow. */
  isSoftware: boolean;
}

export interface BackendReport {
  /** The backend that runs. */
  name: BackendName;
  /** What to show a person, e.g. "WebGPU — NVIDIA ampere" or "wasm — 4 threads". */
  label: string;
  /** The same, to be said in the person's language. */
  labelNotice?: Notice;
  /** The GPU adapter (webgpu) or renderer (webgl), when there is one. */
  adapter?: AdapterInfo;
  /** wasm only: threads in use (1 unless the page is cross-origin isolated). */
  threads?: number;
  /** Why each backend before the chosen one was not used. */
  skipped: { name: BackendName; reason: string; notice?: Notice }[];
  /** What was asked for ('auto' = try the best first). */
  requested: BackendName | 'auto';
}

/** "wasm (CPU) — 2 threads", "wasm (CPU) — 1 thread: a helper stopped" (why: "isolation", a reason, or ""). */
export function wasmLabel(threads: number, why = ''): { label: string; labelNotice: Notice } {
  const labelNotice = notice('lblWasm', { threads, why });
  return { label: noticeText('en', labelNotice), labelNotice };
}

/** The report after Folio's matMul threads stopped mid-session: one thread, and why. */
export function withThreadsLost(report: BackendReport, reason: string): BackendReport {
  if (report.name !== 'wasm') return report;
  return { ...report, threads: 1, ...wasmLabel(1, reason) };
}
