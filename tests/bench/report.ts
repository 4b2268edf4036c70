/** Markdown tables for the benchmark's results (shared by the Chromium and Node runners). */
import { profileTable, timeSplit, type BenchRow } from './measure';
import { bestPytorchMs, type PytorchTimes } from './pytorch';

export type Results = Record<string, Record<string, BenchRow>>; // [preset][backend]

const COLS: (keyof BenchRow)[] = [
  'msPerStep',
  'launches',
  'encodeMs',
  'tokensPerSec',
  'gflops',
  'matmulGflops',
  'kernelGflops',
  'mfu',
  'peakGflops',
  'peakFraction',
  'referenceMsPerStep',
  'speedup',
  'predictMs',
  'predictUncachedMs',
  'generateTokensPerSec',
  'peakMB',
  'heapMB',
];

export function resultsTable(results: Results): string[] {
  const lines = [`| preset | backend | ${COLS.join(' | ')} |`, `|---|---|${COLS.map(() => '---').join('|')}|`];
  for (const [preset, byBackend] of Object.entries(results)) {
    for (const [b, row] of Object.entries(byBackend)) lines.push(`| ${preset} | ${b} | ${COLS.map((c) => row[c] ?? '').join(' | ')} |`);
  }
  return lines;
}

/** PyTorch 1.13 + OpenBLAS, one thread, nanoGPT's cpu config on this project's earlier 2-vCPU Xeon (issue 6). */
export const PYTORCH_CPU_MS = 59.5;

export function summary(results: Results, pytorch?: PytorchTimes): string[] {
  const best = pytorch && bestPytorchMs(pytorch);
  const out: string[] = [];
  for (const [preset, byBackend] of Object.entries(results)) {
    for (const [b, row] of Object.entries(byBackend)) {
      if (row.speedup) out.push(`${preset}/${b}: fast formulation ${row.speedup}× the reference (${row.referenceMsPerStep} → ${row.msPerStep} ms/step)`);
      if (preset !== 'cpu') continue;
      if (best) {
        const each = Object.entries(pytorch!.byThreads)
          .map(([n, ms]) => `${ms} ms on ${n} core${n === '1' ? '' : 's'}`)
          .join(', ');
        out.push(`${preset}/${b}: ${(row.msPerStep / best.ms).toFixed(2)}× PyTorch ${pytorch!.version}'s step, measured in this run (${each})`);
      } else {
        const why = pytorch?.missing ? ` (PyTorch not measured: ${pytorch.missing})` : ' (measured on an earlier machine, not in this run: add --pytorch)';
        out.push(`${preset}/${b}: ${(row.msPerStep / PYTORCH_CPU_MS).toFixed(1)}× PyTorch's ${PYTORCH_CPU_MS} ms/step${why}`);
      }
    }
  }
  return out;
}

export function profiles(results: Results): string[] {
  const out: string[] = [];
  for (const [preset, byBackend] of Object.entries(results)) {
    for (const [b, row] of Object.entries(byBackend)) {
      if (!row.profile) continue;
      const { fast, reference } = row.profile;
      out.push(
        '',
        `### ${preset} on ${b}: top kernels of one step, fast formulation (${row.launches} launches; ${fast.launches} tfjs kernels)`,
        '',
        timeSplit(row.msPerStep, fast),
        '',
        ...profileTable(fast),
      );
      if (reference) out.push('', `### ${preset} on ${b}: reference formulation (${reference.launches} tfjs kernels)`, '', ...profileTable(reference));
    }
  }
  return out;
}

export interface ScalingRow {
  label: string;
  params: number;
  tokensPerStep: number;
  byBackend: Record<string, number>; // ms/step
  /** Peak tensor MB of one training step, per backend. */
  peakMB?: Record<string, number>;
}

export function scalingTable(rows: ScalingRow[], backends: string[]): string[] {
  return [
    `| model | params | tokens/step | ${backends.map((b) => `${b} ms/step | ${b} µs/token | ${b} peak MB`).join(' | ')} |`,
    `|---|---|---|${backends.map(() => '---|---|---').join('|')}|`,
    ...rows.map(
      (r) =>
        `| ${r.label} | ${(r.params / 1e6).toFixed(2)} M | ${r.tokensPerStep} | ${backends
          .map((b) => (r.byBackend[b] ? `${r.byBackend[b]} | ${((r.byBackend[b]! * 1000) / r.tokensPerStep).toFixed(1)} | ${r.peakMB?.[b] ?? ''}` : ' |  | '))
          .join(' | ')} |`,
    ),
  ];
}
