/**
 * The PyTorch reference, timed in the same sitting as Folio (`npm run bench -- --pytorch`):
 * tests/bench/pytorch_reference.py's `speed` mode, nanoGPT's cpu config with Folio's model
 * (biases on), on 1 and on 2 cores. The cores are OpenBLAS's threads (OPENBLAS_NUM_THREADS),
 * PyTorch's own intra-op threads stay at 1: measured here, two of those on top of OpenBLAS's
 * two oversubscribe the 2 cores (130 ms/step against 37). Needs python3 with torch; without
 * it, says so and the summary names no ratio.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export interface PytorchTimes {
  /** ms per training step by core count (OpenBLAS threads). */
  byThreads: Record<number, number>;
  version?: string;
  /** Why nothing was measured. */
  missing?: string;
}

export function timePytorch(python = 'python3', threads = [1, 2]): PytorchTimes {
  const script = path.join('tests', 'bench', 'pytorch_reference.py');
  const out: PytorchTimes = { byThreads: {} };
  for (const n of threads) {
    const env = { ...process.env, OPENBLAS_NUM_THREADS: String(n), OMP_NUM_THREADS: '1' };
    const r = spawnSync(python, [script, 'speed', '--threads', '1', '--bias', '1', '--gelu', 'tanh', '--steps', '40'], { encoding: 'utf8', env });
    if (r.status !== 0) return { ...out, missing: (r.stderr || String(r.error ?? '')).trim().split('\n').pop() ?? 'python3 failed' };
    const line = JSON.parse(r.stdout.trim().split('\n').pop()!) as { msPerStep: number; torch: string };
    out.byThreads[n] = line.msPerStep;
    out.version = line.torch;
  }
  return out;
}

/** The best PyTorch figure (fewest ms over the thread counts tried). */
export function bestPytorchMs(t: PytorchTimes): { ms: number; threads: number } | undefined {
  const entries = Object.entries(t.byThreads).map(([k, v]) => ({ threads: Number(k), ms: v }));
  return entries.length ? entries.reduce((a, b) => (b.ms < a.ms ? b : a)) : undefined;
}
