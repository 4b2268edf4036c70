/**
 * Test page: the WebGPU whole-step engine (train/webgpu/) against the same training run through
 * tfjs op by op on WebGPU, and against the wasm backend over 50 steps; a snapshot taken and
 * restored mid-run (copy on write, copy back in); and the backend syncs of 50 steps. Runs on
 * SwiftShader here, so sizes are small; every number comes back for the test to judge.
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs';
import { MODEL_PRESETS, TRAIN_PRESETS, type SizedModelConfig, type TrainConfig } from '../../src/config';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { restoreSnapshot, takeSnapshot, disposeSnapshot } from '../../src/train/snapshot';
import { Trainer } from '../../src/train/trainer';
import { setWholeStep } from '../../src/train/webgpu/wholeStep';
import { Rng } from '../../src/util/rng';
import { chooseBackend } from '../../src/worker/backend';

export interface WholeStepReport {
  backend: string;
  /** Dispatches the engine encodes per step, and per layer of the model asked. */
  kernels: number;
  layers: number;
  /** Engine vs tfjs on WebGPU, 3 steps: losses, norms, and the largest weight and moment differences. */
  enginePath: { losses: number[]; tfjsLosses: number[]; norms: number[]; tfjsNorms: number[]; weightDiff: number; momentDiff: number };
  /** Restored snapshot: the step after it again, and whether the snapshot kept its numbers. */
  snapshot: { loss: number; again: number; snapshotDiff: number };
  /** Backend reads over the WebGPU run's steps (50), its losses read every 10. */
  reads: number;
  /** 50 steps of the same run on wasm and on WebGPU (the engine). */
  wasmLosses: number[];
  webgpuLosses: number[];
  leaked: number;
}

declare global {
  interface Window {
    folioWholeStep: { ready: boolean; run: (preset: 'tiny' | 'nano' | 'cpu', steps: number) => Promise<WholeStepReport> };
  }
}

// A learnable stream: mostly a fixed successor of each token, sometimes a random one (the loss falls from ln 23 ≈ 3.1).
const rng = new Rng(11);
const stream = new Int32Array(20_000);
for (let i = 1; i < stream.length; i++) stream[i] = rng.int(4) === 0 ? rng.int(23) : (3 * stream[i - 1]! + 1) % 23;
const data = { train: stream, val: stream };

async function use(name: 'wasm' | 'webgpu'): Promise<void> {
  const report = await chooseBackend(name, {
    wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded },
    loadWebGpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  });
  if (report.name !== name) throw new Error(`${name} did not start`);
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};

async function numbers(ts: tf.Tensor[]): Promise<Float32Array[]> {
  return Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
}

/**
 * `steps` steps from fresh weights, the losses read every `readEvery` steps (each read brings
 * every step's loss since the last); the losses, norms, weights and moments after, and the
 * backend reads the steps and their loss reads made (`reads`).
 */
async function trainRun(cfg: SizedModelConfig, train: TrainConfig, steps: number, readEvery = 1) {
  const model = createGPT(cfg, 2);
  const trainer = new Trainer(model, data, train);
  const points = [];
  const be = tf.backend() as unknown as { read: (id: object) => Promise<unknown>; readSync: (id: object) => unknown };
  const { read, readSync } = be;
  let reads = 0;
  be.read = (id) => (reads++, read.call(be, id));
  be.readSync = (id) => (reads++, readSync.call(be, id));
  try {
    for (let step = 1; step <= steps; step++) {
      trainer.trainStep();
      if (step % readEvery === 0 || step === steps) points.push(...(await trainer.readLosses()));
    }
  } finally {
    be.read = read;
    be.readSync = readSync;
  }
  const weights = await numbers(model.named.map((p) => p.variable));
  const state = trainer.optimizer.stateTensors();
  const moments = await numbers(Object.keys(state).map((k) => state[k]!));
  const kernels = trainer.wholeStep()?.kernelLabels.length ?? 0;
  trainer.dispose();
  disposeGPT(model);
  return { losses: points.map((p) => p.loss), norms: points.map((p) => p.gradNorm), weights, moments, kernels, reads };
}

async function run(preset: 'tiny' | 'nano' | 'cpu', steps: number): Promise<WholeStepReport> {
  await use('webgpu');
  const before = tf.memory().numTensors;
  // Off the tile grid: width 24 (head size 12), context 12, batch 3.
  const odd: SizedModelConfig = { nLayer: 2, nHead: 2, nEmbd: 24, blockSize: 12, dropout: 0, vocabSize: 23 };
  const oddTrain: TrainConfig = { ...TRAIN_PRESETS.tiny, batchSize: 3, warmupSteps: 1 };
  const engine = await trainRun(odd, oddTrain, 3);
  setWholeStep(false);
  const tfjs = await trainRun(odd, oddTrain, 3).finally(() => setWholeStep(true));
  const enginePath = {
    losses: engine.losses,
    tfjsLosses: tfjs.losses,
    norms: engine.norms,
    tfjsNorms: tfjs.norms,
    weightDiff: Math.max(...engine.weights.map((w, i) => maxDiff(w, tfjs.weights[i]!))),
    momentDiff: Math.max(...engine.moments.map((m, i) => maxDiff(m, tfjs.moments[i]!))),
  };

  // A snapshot after step 2 (clones share the variables' data: the engine must copy on write),
  // two more steps, the snapshot restored (the engine must copy the variables back in), step 3 again.
  const model = createGPT(odd, 4);
  const trainer = new Trainer(model, data, oddTrain);
  trainer.trainStep();
  trainer.trainStep();
  await trainer.readLosses();
  const snap = takeSnapshot(trainer);
  const kept = await numbers(snap.tensors);
  trainer.trainStep();
  const [third] = await trainer.readLosses();
  trainer.trainStep();
  await trainer.readLosses();
  const snapshotDiff = Math.max(...(await numbers(snap.tensors)).map((t, i) => maxDiff(t, kept[i]!)));
  restoreSnapshot(trainer, snap);
  trainer.trainStep();
  const [again] = await trainer.readLosses();
  disposeSnapshot(snap);
  trainer.dispose();
  disposeGPT(model);

  // The same run on wasm and on WebGPU, step for step. On WebGPU the losses are read every 10
  // steps (each read brings the ten): the backend reads of those steps are the syncs the
  // engine makes. (One run for both: each SwiftShader step here costs about half a second.)
  const cfg: SizedModelConfig = { ...MODEL_PRESETS[preset], vocabSize: 23 };
  const train: TrainConfig = { ...TRAIN_PRESETS[preset] };
  const { losses: webgpuLosses, reads } = await trainRun(cfg, train, steps, 10);

  const leaked = tf.memory().numTensors - before;
  await use('wasm');
  const wasmLosses = (await trainRun(cfg, train, steps)).losses;
  return {
    backend: 'webgpu',
    kernels: engine.kernels,
    layers: odd.nLayer,
    enginePath,
    snapshot: { loss: third!.loss, again: again!.loss, snapshotDiff },
    reads,
    wasmLosses,
    webgpuLosses,
    leaked,
  };
}

window.folioWholeStep = { ready: true, run };
