/**
 * npm run bench:node [-- --json] [--presets nano,cpu] [--backends cpu,wasm]
 *
 * The same measurements as `npm run bench` (bench/measure.ts), in Node on the backends
 * that need no browser: cpu (plain JS) and wasm. Timings belong here, never in tests;
 * compare backends as ratios measured in the same run.
 */
import type { ModelPresetName } from '../src/config';
import { useNodeBackend, type NodeBackend } from '../src/cli/nodeBackend';
import { benchPreset, type BenchRow } from './measure';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const json = args.includes('--json');
const presets = flag('presets', 'nano,cpu').split(',') as ModelPresetName[];
const backends = flag('backends', 'cpu,wasm').split(',') as NodeBackend[];

const results: Record<string, Record<string, BenchRow>> = {};
for (const backend of backends) {
  await useNodeBackend(backend);
  for (const preset of presets) {
    const row = await benchPreset(preset, { log: json ? undefined : (s) => console.error(`${backend}/${preset}${s}`) });
    (results[preset] ??= {})[backend] = row;
    if (!json) console.error(`${backend}/${preset}: ${JSON.stringify(row)}`);
  }
}

if (json) console.log(JSON.stringify({ presets: results }));
else {
  for (const [preset, r] of Object.entries(results)) {
    if (r.cpu && r.wasm) console.log(`${preset}: cpu ${r.cpu.msPerStep} ms/step, wasm ${r.wasm.msPerStep} ms/step — wasm is ${(r.cpu.msPerStep / r.wasm.msPerStep).toFixed(1)}× faster`);
  }
}
