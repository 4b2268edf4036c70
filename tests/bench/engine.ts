/**
 * npm run bench:node [-- --json] [--presets nano,cpu] [--backends cpu,wasm]
 *                    [--profile] [--no-reference] [--scaling]
 *
 * The same measurements as `npm run bench` (tests/bench/measure.ts), in Node on the backends
 * that need no browser: cpu (plain JS) and wasm. Timings belong here, never in tests;
 * compare as ratios measured in the same run.
 *   --profile       top kernels of one step, fast and reference formulations
 *   --no-reference  skip timing the reference formulation (it is 5–8× slower)
 *   --scaling       ms/step and peak tensor MB for presets nano, cpu, baby and the cpu
 *                   preset at context 64 / 128 / 256 (fast formulation only)
 */
import { MODEL_PRESETS, TRAIN_PRESETS, paramCount, type ModelPresetName } from '../../src/config';
import { useNodeBackend, type NodeBackend } from '../../src/cli/nodeBackend';
import { benchPreset } from './measure';
import { profiles, resultsTable, scalingTable, summary, type Results, type ScalingRow } from './report';
import { flag, has } from './args';
import { measurePeakGflops, nodePeakSpawner } from './wasmPeak';

const json = has('json');
const presets = flag('presets', 'nano,cpu').split(',') as ModelPresetName[];
const backends = flag('backends', 'cpu,wasm').split(',') as NodeBackend[];
const log = json ? undefined : (s: string) => console.error(s);

if (has('scaling')) {
  const cases: { label: string; preset: ModelPresetName; blockSize?: number; batchSize?: number }[] = [
    { label: 'nano (2×64, ctx 32, batch 16)', preset: 'nano' },
    { label: 'cpu (4×128, ctx 64, batch 12)', preset: 'cpu' },
    { label: 'cpu at ctx 128', preset: 'cpu', blockSize: 128 },
    { label: 'cpu at ctx 256', preset: 'cpu', blockSize: 256 },
    // baby's batch of 64 would keep ~7 GB of activations: the trainer runs it as 8 micro-batches
    { label: 'baby (6×384, ctx 256, batch 64 as 8 × 8)', preset: 'baby' },
  ];
  const rows: ScalingRow[] = [];
  for (const c of cases) {
    const cfg = { ...MODEL_PRESETS[c.preset], vocabSize: 65, ...(c.blockSize ? { blockSize: c.blockSize } : {}) };
    rows.push({ label: c.label, params: paramCount(cfg), tokensPerStep: (c.batchSize ?? TRAIN_PRESETS[c.preset].batchSize) * cfg.blockSize, byBackend: {} });
  }
  for (const backend of backends) {
    await useNodeBackend(backend);
    for (const [i, c] of cases.entries()) {
      log?.(`${backend} / ${c.label}`);
      const row = await benchPreset(c.preset, { log, reference: false, predict: false, blockSize: c.blockSize, batchSize: c.batchSize, budgetMs: 3000 });
      rows[i]!.byBackend[backend] = row.msPerStep;
      (rows[i]!.peakMB ??= {})[backend] = row.peakMB;
    }
  }
  if (json) console.log(JSON.stringify({ scaling: rows }));
  else console.log(scalingTable(rows, backends).join('\n'));
} else {
  const results: Results = {};
  for (const backend of backends) {
    await useNodeBackend(backend);
    for (const preset of presets) {
      log?.(`${backend} / ${preset}`);
      const spawn = await nodePeakSpawner();
      const peak = (threads: number) => measurePeakGflops(threads, spawn);
      (results[preset] ??= {})[backend] = await benchPreset(preset, { log, profile: has('profile'), reference: !has('no-reference'), peak });
    }
  }
  if (json) console.log(JSON.stringify({ presets: results }));
  else console.log([...resultsTable(results), '', ...summary(results), ...profiles(results)].join('\n'));
}
