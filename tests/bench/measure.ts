/**
 * What the benchmark measures, on whatever backend tfjs currently runs: training
 * ms/step after warm-up, tokens/s, the training GFLOP/s achieved, the backend's own
 * plain matMul throughput, the model's training FLOP/s as a fraction of it ("mfu"), the
 * speed-up of Folio's fast formulation over the straightforward reference one, and
 * prompt → ranked-words latency. Optionally a per-kernel profile of one step.
 * Runs in a page (tests/bench/bench-page.ts) or in Node (tests/bench/engine.ts, tests/bench/node-webgpu.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { gemmCopyMs, gemmPool } from '../../src/kernels/threads/gemmThreads';
import { MODEL_PRESETS, TRAIN_PRESETS, trainingFlopsPerStep, type ModelPresetName, type SizedModelConfig, type TrainConfig } from '../../src/config';
import { Rng } from '../../src/util/rng';
import { createGPT, disposeGPT, type Formulation, type GPT } from '../../src/model/gpt';
import { mm } from '../../src/model/ops';
import { generate, predictNext } from '../../src/predict/predictor';
import { CharTokenizer } from '../../src/tokenizer/char';
import { Trainer } from '../../src/train/trainer';
import type { WebGPUWholeStep } from '../../src/train/webgpu/wholeStep';
import { measureSteps, tokensPerSecond } from '../../src/train/measure';

export interface BenchRow {
  msPerStep: number;
  tokensPerSec: number;
  /** Training FLOP per step (nanoGPT's estimate) over the measured step time. */
  gflops: number;
  /** tfjs's stock tf.matMul on square products of the model's widths. */
  matmulGflops: number;
  /** Folio's matMul (ops.mm) on the same products. */
  kernelGflops: number;
  /** Training GFLOP/s over the better of the two: the share of the backend's best matMul the step achieves. */
  mfu: number;
  /** ms/step of the reference formulation, and how many times slower it is (0 when not measured). */
  referenceMsPerStep: number;
  speedup: number;
  /** Prompt → ranked words, median over the bench's prompts, with the KV cache (the default). */
  predictMs: number;
  /** The same without the cache: every beam extension a full forward pass. */
  predictUncachedMs: number;
  /** Tokens generated per second (cached), from a short prompt until the context is full. */
  generateTokensPerSec: number;
  /** Peak tensor memory during one training step (tf.profile's peakBytes: weights, Adam's moments, activations), MB. */
  peakMB: number;
  /** wasm only: the size of the WebAssembly heap after training (it only grows), MB; 0 elsewhere. */
  heapMB: number;
  steps: number;
  /**
   * Kernel launches of one training step: on WebGPU the compute dispatches encoded (counted at
   * GPUComputePassEncoder.dispatchWorkgroups, whoever encodes them), elsewhere the kernels tfjs runs.
   */
  launches: number;
  /** Mean time a timed trainStep() call held the thread, ms (on WebGPU: the JavaScript that encodes the step). */
  encodeMs: number;
  /** wasm only: GFLOP/s of a loop of f32x4 fused multiply-adds on every matMul thread at once, measured in this run (tests/bench/wasmPeak.ts); 0 elsewhere. */
  peakGflops: number;
  /** wasm only: the step's training GFLOP/s (`gflops`) over `peakGflops`. */
  peakFraction: number;
  /** Top kernels of one training step, when asked for (`profile`). */
  profile?: { fast: StepProfile; reference?: StepProfile };
}

export interface ProfileRow {
  kernel: string;
  calls: number;
  ms: number;
  /** Share of the step's summed kernel time. */
  share: number;
}

/** One training step's kernels: how many ran (on a GPU, roughly its dispatches) and the costliest. */
export interface StepProfile {
  launches: number;
  top: ProfileRow[];
  /** The profiled step's kernel time, ms: all kernels, matrix products, and (inside those) the thread pool's copies. */
  kernelMs: number;
  matMulMs: number;
  copyMs: number;
}

/** Kernels that are matrix products (Folio's and tfjs's). */
const MATMUL_KERNELS = new Set(['FolioBatchMatMul', 'FolioSmallMatMul', 'BatchMatMul', '_FusedMatMul', 'FolioGemm']);

export interface BenchOptions {
  budgetMs?: number;
  log?: (s: string) => void;
  /** Also time the reference formulation (default true). */
  reference?: boolean;
  /** Profile one step per kernel (both formulations when `reference`). */
  profile?: boolean;
  /** Override the preset's context length (for the scaling table). */
  blockSize?: number;
  /** Override the preset's batch size. */
  batchSize?: number;
  /** Also time predictions and generation (default true; the scaling table skips them). */
  predict?: boolean;
  /** How to measure the wasm FMA peak on this many threads (the runner knows how to start threads); absent: not measured. */
  peak?: (threads: number) => Promise<number>;
}

export { trainingFlopsPerStep };

const now = () => performance.now();

/**
 * Best GFLOP/s of a plain matMul on N×N·N×N for the model's sizes (N = C and 4C):
 * tfjs's own `tf.matMul`, or Folio's (`ops.mm`: the SIMD kernel and its threads on wasm).
 */
export async function matmulGflops(c: SizedModelConfig, budgetMs = 1500, product: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor = tf.matMul): Promise<number> {
  let best = 0;
  for (const n of [c.nEmbd, 4 * c.nEmbd]) {
    const a = tf.randomNormal([n, n]);
    const b = tf.randomNormal([n, n]);
    const run = () => tf.tidy(() => product(a, b));
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

/**
 * Kernel time per kernel name for one training step (tf.profile). Only registered
 * kernels count: tf.profile also lists op wrappers (customGrad's "forward", fused ops)
 * whose time includes the kernels inside them.
 */
export async function profileStep(trainer: Trainer, top = 12): Promise<StepProfile> {
  const whole = trainer.formulation === 'fast' ? trainer.wholeStep() : null;
  if (whole) return profileWholeStep(trainer, whole, top);
  const copiesBefore = gemmCopyMs();
  const info = await tf.profile(async () => {
    trainer.trainStep();
    await trainer.readLosses();
  });
  const copyMs = gemmCopyMs() - copiesBefore;
  const backend = tf.getBackend();
  const by = new Map<string, { ms: number; calls: number }>();
  let total = 0;
  let matMulMs = 0;
  let launches = 0;
  for (const k of info.kernels) {
    if (!tf.getKernel(k.name, backend)) continue;
    launches++;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    if (MATMUL_KERNELS.has(k.name)) matMulMs += ms;
    const row = by.get(k.name) ?? { ms: 0, calls: 0 };
    row.ms += ms;
    row.calls += 1;
    by.set(k.name, row);
    total += ms;
  }
  const rows = [...by]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, top)
    .map(([kernel, r]) => ({ kernel, calls: r.calls, ms: +r.ms.toFixed(1), share: total > 0 ? +(r.ms / total).toFixed(3) : 0 }));
  return { launches, top: rows, kernelMs: +total.toFixed(1), matMulMs: +matMulMs.toFixed(1), copyMs: +copyMs.toFixed(1) };
}

/**
 * The WebGPU whole-step engine's step, kernel by kernel, from GPU timestamps (where the adapter
 * has them; zeros otherwise): the same kind across layers is one row ("mlp out: dz" × layers).
 */
async function profileWholeStep(trainer: Trainer, whole: WebGPUWholeStep, top: number): Promise<StepProfile> {
  whole.profileNext = true;
  trainer.trainStep();
  await trainer.readLosses();
  const times = whole.timings ? await whole.timings : whole.kernelLabels.map((label) => ({ label, kind: 'rows', ms: 0 }));
  const by = new Map<string, { ms: number; calls: number }>();
  let total = 0;
  let matMulMs = 0;
  for (const t of times) {
    const name = t.label.replace(/^layer \d+ /, '');
    const row = by.get(name) ?? { ms: 0, calls: 0 };
    row.ms += t.ms;
    row.calls += 1;
    by.set(name, row);
    total += t.ms;
    if (t.kind === 'gemm') matMulMs += t.ms;
  }
  const rows = [...by]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, top)
    .map(([kernel, r]) => ({ kernel, calls: r.calls, ms: +r.ms.toFixed(1), share: total > 0 ? +(r.ms / total).toFixed(3) : 0 }));
  return { launches: times.length, top: rows, kernelMs: +total.toFixed(1), matMulMs: +matMulMs.toFixed(1), copyMs: 0 };
}

/**
 * The JavaScript that encodes a step, ms (median of `n` steps): each step starts with nothing
 * queued (the previous one read back first), and only the synchronous trainStep() is timed.
 */
async function encodeSamples(trainer: Trainer, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = now();
    trainer.trainStep();
    times.push(now() - t0);
    await trainer.readLosses();
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

/**
 * Kernel launches of one training step (not profiled: tf.profile changes how WebGPU encodes).
 * On WebGPU every compute dispatch is counted where the browser receives it, so Folio's own
 * encoders and tfjs's count alike; elsewhere, the kernels tfjs runs.
 */
export async function countLaunches(trainer: Trainer): Promise<number> {
  if (tf.getBackend() === 'webgpu') {
    const proto = (globalThis as { GPUComputePassEncoder?: { prototype: { dispatchWorkgroups: (...a: number[]) => void } } }).GPUComputePassEncoder?.prototype;
    if (proto) {
      const original = proto.dispatchWorkgroups;
      let n = 0;
      proto.dispatchWorkgroups = function (this: unknown, ...a: number[]) {
        n++;
        return original.apply(this, a);
      };
      try {
        trainer.trainStep(); // encoding is synchronous: every dispatch of the step is counted here
      } finally {
        proto.dispatchWorkgroups = original;
      }
      await trainer.readLosses();
      return n;
    }
  }
  const info = await tf.profile(async () => {
    trainer.trainStep();
    await trainer.readLosses();
  });
  const backend = tf.getBackend();
  return info.kernels.filter((k) => tf.getKernel(k.name, backend)).length;
}

/**
 * Where a step's time goes: the matrix products (of which the pool's copies), the other
 * kernels, and the rest (JavaScript: tfjs's op dispatch, autodiff's tape, Folio's code),
 * as the timed step (msPerStep, unprofiled) minus the profiled kernels.
 */
export function timeSplit(msPerStep: number, p: StepProfile): string {
  const other = p.kernelMs - p.matMulMs;
  const js = Math.max(0, msPerStep - p.kernelMs);
  const pct = (x: number) => `${Math.round((100 * x) / msPerStep)} %`;
  return `${msPerStep} ms/step: matMul ${p.matMulMs} ms (${pct(p.matMulMs)}; copies for the threads ${p.copyMs} ms), other kernels ${+other.toFixed(1)} ms (${pct(other)}), JavaScript and the rest ${+js.toFixed(1)} ms (${pct(js)})`;
}

interface Setup {
  cfg: SizedModelConfig;
  train: TrainConfig;
  stream: Int32Array;
}

function setup(preset: ModelPresetName, opts: BenchOptions): Setup & { tok: CharTokenizer } {
  const text = 'ROMEO:\nBut soft, what light through yonder window breaks? It is the east, and Juliet is the sun.\n';
  const tok = CharTokenizer.train(text + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!?.,;:-'\n");
  const cfg: SizedModelConfig = { ...MODEL_PRESETS[preset], vocabSize: 65, ...(opts.blockSize ? { blockSize: opts.blockSize } : {}) };
  const train = { ...TRAIN_PRESETS[preset], ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) };
  const rng = new Rng(1);
  const stream = Int32Array.from({ length: 50_000 }, () => rng.int(tok.vocabSize));
  return { cfg, train, stream, tok };
}

/** Peak tensor bytes of one training step (everything alive, not only what the step makes), in MB. */
async function peakStepMB(trainer: Trainer): Promise<number> {
  const info = await tf.profile(async () => {
    trainer.trainStep();
    await trainer.readLosses();
  });
  // The WebGPU whole-step engine's buffers are its own, not tfjs tensors: counted here.
  const engine = trainer.formulation === 'fast' ? (trainer.wholeStep()?.bytes ?? 0) : 0;
  return +((info.peakBytes + engine) / 1e6).toFixed(1);
}

/** The WebAssembly heap's size on the wasm backend (0 elsewhere), in MB. */
function wasmHeapMB(): number {
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return wasm?.HEAPU8 ? +(wasm.HEAPU8.buffer.byteLength / 1e6).toFixed(1) : 0;
}

/** Bench prompts for ranked words: short, mid-length, and one longer than the nano preset's 32-token context. */
export const PREDICT_PROMPTS = ['ROMEO:\nBut soft, what light', 'It is the east, and Juliet is the', 'ROMEO:\nBut soft, what light through yonder window'];

/** Median ms of prompt → ranked words over the prompts (each asked twice, after one warm-up). */
async function predictMedianMs(model: GPT, tok: CharTokenizer, cache: boolean): Promise<number> {
  await predictNext(model, tok, PREDICT_PROMPTS[0]!, { cache });
  const times: number[] = [];
  for (let rep = 0; rep < 2; rep++) {
    for (const prompt of PREDICT_PROMPTS) {
      const t0 = now();
      await predictNext(model, tok, prompt, { cache });
      times.push(now() - t0);
      if (times[0]! > 10_000) return times[0]!;
    }
  }
  return +[...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!.toFixed(1);
}

/** Tokens per second of generation (KV cache), from 'ROMEO:' until the context is full. */
async function generateRate(model: GPT, tok: CharTokenizer): Promise<number> {
  const cfg = { temperature: 1, topK: 0, topP: 1, greedy: false, seed: 1, maxTokens: model.config.blockSize - 7 };
  for await (const _ of generate(model, tok, 'ROMEO:\n', { ...cfg, maxTokens: 2 })); // warm-up
  let n = 0;
  const t0 = now();
  for await (const _ of generate(model, tok, 'ROMEO:\n', cfg)) n++;
  return Math.round((n * 1000) / (now() - t0));
}

/** Warm up, then time training steps of one formulation (src/train/measure.ts: the race's code path too). */
async function timeSteps(s: Setup, formulation: Formulation, budget: number, log: (s: string) => void, profile: boolean) {
  const model = createGPT(s.cfg, 1);
  const trainer = new Trainer(model, { train: s.stream, val: s.stream }, s.train, 0, formulation);
  const timing = await measureSteps(trainer, { warmup: 2, budgetMs: budget, maxSteps: 50, log, label: formulation });
  const { msPerStep, steps } = timing;
  // On a GPU backend the few timed steps (SwiftShader: 2) include stalls of the queue: the encoding
  // gets 5 steps of its own, each started with the GPU idle. Elsewhere trainStep is the whole step.
  const gpu = tf.getBackend() === 'webgpu' || tf.getBackend() === 'webgl';
  const encodeMs = gpu ? await encodeSamples(trainer, 5) : timing.encodeMs;
  if (gpu) log(`  ${formulation}: encoding ${encodeMs.toFixed(2)} ms/step (median of 5)`);
  const launches = await countLaunches(trainer);
  const prof = profile ? await profileStep(trainer) : undefined;
  const peakMB = await peakStepMB(trainer);
  trainer.dispose();
  return { model, msPerStep, steps, encodeMs, launches, prof, peakMB };
}

export async function benchPreset(preset: ModelPresetName, opts: BenchOptions = {}): Promise<BenchRow> {
  const log = opts.log ?? (() => {});
  const s = setup(preset, opts);
  const { cfg, train, tok } = s;
  const budget = opts.budgetMs ?? 4000;
  const fast = await timeSteps(s, 'fast', budget, log, opts.profile === true);
  const heapMB = wasmHeapMB();
  const asks = opts.predict !== false;
  const predictMs = asks ? await predictMedianMs(fast.model, tok, true) : 0;
  const predictUncachedMs = asks ? await predictMedianMs(fast.model, tok, false) : 0;
  const generateTokensPerSec = asks ? await generateRate(fast.model, tok) : 0;
  log(`  predict ${predictMs} ms (uncached ${predictUncachedMs} ms), generate ${generateTokensPerSec} tokens/s, peak ${fast.peakMB} MB`);
  disposeGPT(fast.model);
  let reference: Awaited<ReturnType<typeof timeSteps>> | undefined;
  if (opts.reference !== false) {
    reference = await timeSteps(s, 'reference', budget / 2, log, opts.profile === true);
    disposeGPT(reference.model);
  }
  const matmul = await matmulGflops(cfg);
  const kernel = await matmulGflops(cfg, 1500, (a, b) => mm(a, b));
  const achieved = trainingFlopsPerStep(cfg, train.batchSize) / (fast.msPerStep * 1e6);
  // The FMA peak on the threads the wasm matMul uses, measured right after the step (same sitting, same load).
  const peakGflops = tf.getBackend() === 'wasm' && opts.peak ? await opts.peak(gemmPool()?.threads ?? 1) : 0;
  if (peakGflops) log(`  wasm f32x4 FMA peak on ${gemmPool()?.threads ?? 1} thread(s): ${peakGflops} GFLOP/s`);
  const row: BenchRow = {
    msPerStep: +fast.msPerStep.toFixed(1),
    tokensPerSec: Math.round(tokensPerSecond(fast.msPerStep, train.batchSize, cfg.blockSize)),
    gflops: +achieved.toFixed(2),
    matmulGflops: +matmul.toFixed(2),
    kernelGflops: +kernel.toFixed(2),
    mfu: +(achieved / Math.max(matmul, kernel)).toFixed(3),
    referenceMsPerStep: reference ? +reference.msPerStep.toFixed(1) : 0,
    speedup: reference ? +(reference.msPerStep / fast.msPerStep).toFixed(2) : 0,
    predictMs,
    predictUncachedMs,
    generateTokensPerSec,
    peakMB: fast.peakMB,
    heapMB,
    steps: fast.steps,
    launches: fast.launches,
    encodeMs: +fast.encodeMs.toFixed(2),
    peakGflops,
    peakFraction: peakGflops > 0 ? +(achieved / peakGflops).toFixed(3) : 0,
  };
  if (fast.prof) row.profile = { fast: fast.prof, ...(reference?.prof ? { reference: reference.prof } : {}) };
  return row;
}

/** A profile as markdown rows: kernel, calls, ms, share. */
export function profileTable({ top: rows }: StepProfile): string[] {
  return [
    '| kernel | calls | ms | share |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.kernel} | ${r.calls} | ${r.ms} | ${(r.share * 100).toFixed(1)} % |`),
  ];
}
