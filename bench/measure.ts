/**
 * What the benchmark measures, on whatever backend tfjs currently runs: training
 * ms/step after warm-up, tokens/s, the backend's own square matMul throughput, the
 * model's training FLOP/s as a fraction of it ("mfu"), and prompt → ranked-words latency.
 * Runs in a page (bench/bench-page.ts) or in Node (bench/node-webgpu.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { MODEL_PRESETS, TRAIN_PRESETS, type ModelPresetName, type SizedModelConfig } from '../src/config';
import { Rng } from '../src/data/rng';
import { createGPT, disposeGPT, paramCount } from '../src/model/gpt';
import { predictNext } from '../src/predict/predictor';
import { CharTokenizer } from '../src/tokenizer/char';
import { Trainer } from '../src/train/trainer';

export interface BenchRow {
  msPerStep: number;
  tokensPerSec: number;
  matmulGflops: number;
  mfu: number;
  predictMs: number;
  steps: number;
}

/** nanoGPT's estimate: 6·N per token for the weights plus attention's 12·L·H·Q·T. */
export function trainingFlopsPerStep(c: SizedModelConfig, batchSize: number): number {
  const perToken = 6 * paramCount(c) + 12 * c.nLayer * c.nHead * (c.nEmbd / c.nHead) * c.blockSize;
  return perToken * batchSize * c.blockSize;
}

const now = () => performance.now();

/** Best GFLOP/s of tf.matMul on N×N·N×N for the model's sizes (N = C and 4C). */
export async function matmulGflops(c: SizedModelConfig, budgetMs = 1500): Promise<number> {
  let best = 0;
  for (const n of [c.nEmbd, 4 * c.nEmbd]) {
    const a = tf.randomNormal([n, n]);
    const b = tf.randomNormal([n, n]);
    const run = () => tf.tidy(() => tf.matMul(a, b));
    const warm = run();
    await warm.data();
    warm.dispose();
    let reps = 0;
    const t0 = now();
    while (now() - t0 < budgetMs / 2) {
      // Queue a few products, then wait for the last one: the GPU works while JS queues.
      const outs = Array.from({ length: 4 }, run);
      await outs[outs.length - 1]!.data();
      outs.forEach((o) => o.dispose());
      reps += 4;
    }
    const ms = (now() - t0) / reps;
    best = Math.max(best, (2 * n * n * n) / (ms * 1e6));
    a.dispose();
    b.dispose();
  }
  return best;
}

export async function benchPreset(preset: ModelPresetName, opts: { budgetMs?: number; log?: (s: string) => void } = {}): Promise<BenchRow> {
  const log = opts.log ?? (() => {});
  const text = 'ROMEO:\nBut soft, what light through yonder window breaks? It is the east, and Juliet is the sun.\n';
  const tok = CharTokenizer.train(text + 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!?.,;:-\'\n');
  const cfg: SizedModelConfig = { ...MODEL_PRESETS[preset], vocabSize: 65 };
  const train = { ...TRAIN_PRESETS[preset] };
  const rng = new Rng(1);
  const stream = Int32Array.from({ length: 50_000 }, () => rng.int(tok.vocabSize));
  const model = createGPT(cfg, 1);
  const trainer = new Trainer(model, { train: stream, val: stream }, train);
  // Warm-up: the first steps allocate and compile kernels for each shape.
  for (let i = 0; i < 2; i++) {
    const t0 = now();
    trainer.trainStep();
    await trainer.readLosses();
    log(`  warm-up step ${i + 1}: ${(now() - t0).toFixed(0)} ms`);
    if (now() - t0 > 20_000) break; // software GPUs: one warm-up step is all we can afford
  }
  // Timed: queue steps, read the losses once at the end (no per-step GPU→CPU sync).
  const budget = opts.budgetMs ?? 4000;
  let steps = 0;
  let t0 = now();
  let elapsed = 0;
  while (steps < 2 || (elapsed < budget && steps < 50)) {
    const batch = Math.max(1, Math.min(10, steps));
    for (let i = 0; i < batch; i++) trainer.trainStep();
    await trainer.readLosses();
    steps += batch;
    elapsed = now() - t0;
    if (elapsed > 60_000) break;
  }
  const msPerStep = elapsed / steps;
  log(`  ${steps} timed steps: ${msPerStep.toFixed(1)} ms/step`);
  const predict: number[] = [];
  for (let i = 0; i < 3; i++) {
    t0 = now();
    await predictNext(model, tok, 'ROMEO:\nBut soft, what light through yonder window');
    predict.push(now() - t0);
    if (predict[0]! > 10_000) break;
  }
  trainer.dispose();
  disposeGPT(model);
  const matmul = await matmulGflops(cfg);
  const achieved = trainingFlopsPerStep(cfg, train.batchSize) / (msPerStep * 1e6);
  return {
    msPerStep: +msPerStep.toFixed(2),
    tokensPerSec: Math.round((train.batchSize * cfg.blockSize * 1000) / msPerStep),
    matmulGflops: +matmul.toFixed(2),
    mfu: +(achieved / matmul).toFixed(4),
    predictMs: +[...predict].sort((a, b) => a - b)[Math.floor(predict.length / 2)]!.toFixed(1),
    steps,
  };
}
