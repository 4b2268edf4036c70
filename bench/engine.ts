/**
 * npm run bench [-- --json] [--presets nano,cpu] [--backends cpu,wasm] [--steps N]
 *
 * Engine speed in Node: median ms per training step and tokens/s for each preset on
 * each Node backend, after warm-up, plus prompt → ranked-next-words latency.
 * Timings belong here, never in tests: these machines are shared and noisy, so compare
 * backends as ratios measured in the same run.
 */

import { MODEL_PRESETS, TRAIN_PRESETS, type ModelPresetName } from '../src/config';
import { useNodeBackend, type NodeBackend } from '../src/cli/nodeBackend';
import { splitTokens } from '../src/data/dataset';
import { createGPT, disposeGPT, paramCount } from '../src/model/gpt';
import { predictNext } from '../src/predict/predictor';
import { buildTokenizer } from '../src/tokenizer';
import { Trainer } from '../src/train/trainer';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const json = args.includes('--json');
const presets = flag('presets', 'nano,cpu').split(',') as ModelPresetName[];
const backends = flag('backends', 'cpu,wasm').split(',') as NodeBackend[];
const maxSteps = Number(flag('steps', '10'));

const text = readFileSync(new URL('../corpus/tinyshakespeare.txt', import.meta.url), 'utf8');
const tok = buildTokenizer(text, { kind: 'char', vocabSize: 0 });
const ids = tok.encode(text);

interface Row {
  msPerStep: number;
  tokensPerSec: number;
  predictMs: number;
  steps: number;
}
const results: Record<string, Record<string, Row>> = {};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const backend of backends) {
  await useNodeBackend(backend);
  for (const preset of presets) {
    const cfg = { ...MODEL_PRESETS[preset], vocabSize: tok.vocabSize };
    const train = { ...TRAIN_PRESETS[preset] };
    const model = createGPT(cfg, 1);
    const trainer = new Trainer(model, splitTokens(ids, cfg.blockSize), train);
    // Warm-up: the first step allocates and (on GPUs) compiles kernels.
    trainer.trainStep();
    await trainer.readLosses();
    const times: number[] = [];
    const budgetMs = 60_000;
    const start = performance.now();
    while (times.length < maxSteps && (times.length < 3 || performance.now() - start < budgetMs)) {
      const t0 = performance.now();
      trainer.trainStep();
      await trainer.readLosses(); // wait for the step to finish
      times.push(performance.now() - t0);
    }
    const ms = median(times);
    const p0 = performance.now();
    await predictNext(model, tok, 'ROMEO:\nBut soft, what light through yonder window', { beam: { maxDepth: 12 } });
    const predictMs = performance.now() - p0;
    trainer.dispose();
    disposeGPT(model);
    (results[preset] ??= {})[backend] = {
      msPerStep: +ms.toFixed(1),
      tokensPerSec: Math.round((train.batchSize * cfg.blockSize * 1000) / ms),
      predictMs: +predictMs.toFixed(1),
      steps: times.length,
    };
    if (!json) {
      console.error(
        `${preset.padEnd(5)} ${backend.padEnd(5)} ${paramCount(cfg).toLocaleString('en').padStart(11)} params  ` +
          `${ms.toFixed(1).padStart(9)} ms/step  ${results[preset][backend]!.tokensPerSec.toString().padStart(7)} tok/s  ` +
          `predict ${predictMs.toFixed(0).padStart(6)} ms  (median of ${times.length} steps, batch ${train.batchSize} × ctx ${cfg.blockSize})`,
      );
    }
  }
}

if (json) {
  console.log(JSON.stringify({ presets: results }));
} else {
  for (const preset of presets) {
    const r = results[preset]!;
    if (r.cpu && r.wasm) console.log(`${preset}: wasm is ${(r.cpu.msPerStep / r.wasm.msPerStep).toFixed(1)}× faster than cpu per step`);
  }
}

