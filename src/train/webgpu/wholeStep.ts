/// <reference types="@webgpu/types" />
/**
 * A whole GPT training step on WebGPU as one compute pass of ~20 dispatches per layer (plan.ts),
 * encoded by Folio rather than op by op through tfjs.
 *
 * Why: through tfjs a `cpu`-preset step was 612 kernels, each with its own bind group, uniform
 * buffer and shader-key lookup — 40–43 ms of JavaScript per step before a GPU did anything, and
 * on a real GPU a launch costs 25–70 µs, so the step was bounded by launches, not arithmetic.
 * Here every pipeline and bind group is made once, when the trainer first steps; a step writes
 * the batch's ids and four numbers (learning rate, bias corrections, decay), replays the list,
 * copies the new weights into the model's variables, and hands back [loss, norm] as a tensor
 * that stays on the GPU until the trainer's batched read.
 *
 * Used by the Trainer when it can be (`wholeStepUnsupported` says why not: another backend, the
 * reference formulation, dropout, micro-batches); otherwise the step runs through tfjs as before.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../config';
import type { Batch } from '../../data/dataset';
import type { Formulation, GPT } from '../../model/gpt';
import {
  bindKernels,
  encodeKernels,
  encodeTimedKernels,
  type BoundKernel,
  type KernelTime,
  type WebGPUBackendInternals,
} from '../../kernels/webgpu/step/runner';
import type { AdamW } from '../adamw';
import { VariableMirror } from './mirror';
import { flatLayout, planStep, type BatchInts } from './plan';

let enabled = true;

/** Tests and the benchmark: run WebGPU steps through tfjs instead (false), to hold the two to the same numbers. */
export function setWholeStep(on: boolean): void {
  enabled = on;
}

export function wholeStepEnabled(): boolean {
  return enabled;
}

/** Why the whole-step engine cannot run this training, or undefined when it can. */
export function wholeStepUnsupported(model: GPT, cfg: TrainConfig, microBatches: number, formulation: Formulation): string | undefined {
  if (tf.getBackend() !== 'webgpu') return 'not WebGPU';
  if (formulation !== 'fast') return 'the reference formulation';
  if (model.config.dropout > 0) return 'dropout';
  if (microBatches !== 1) return 'micro-batches';
  if (cfg.batchSize * model.config.nHead > 65535) return 'too many sequence-heads for one dispatch';
  if (model.config.nEmbd % model.config.nHead !== 0) return 'heads do not divide the width';
  return undefined;
}

const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

export class WebGPUWholeStep {
  /** Set when the GPU rejected a kernel (checked asynchronously): the trainer then goes back to tfjs. */
  failure?: string;
  private readonly be: WebGPUBackendInternals;
  private readonly buffers = new Map<string, GPUBuffer>();
  private readonly bound: BoundKernel[];
  private readonly params: VariableMirror;
  private readonly moments: VariableMirror;
  private readonly ints: Int32Array<ArrayBuffer>;
  private readonly layoutOfInts: BatchInts;
  private readonly uniforms = new Float32Array(4);
  private readonly cursor: Int32Array<ArrayBuffer>;
  private readonly V: number;
  private momentsFresh = true;
  /** Set to time the next step kernel by kernel (the benchmark's profile, where the GPU has timestamps). */
  profileNext = false;
  /** The last profiled step's kernels and their GPU times, ms, once the GPU is done with them. */
  timings?: Promise<KernelTime[]>;

  constructor(
    model: GPT,
    private readonly optimizer: AdamW,
    private readonly cfg: TrainConfig,
  ) {
    this.be = tf.backend() as unknown as WebGPUBackendInternals;
    const device = this.be.device;
    const named = model.named;
    const layout = flatLayout(named.map((p) => ({ name: p.name, size: p.variable.size, decay: p.decay })));
    const plan = planStep(model.config, cfg.batchSize, layout, cfg);
    device.pushErrorScope('validation');
    for (const [name, n] of plan.sizes) {
      const bytes = Math.max(16, Math.ceil((4 * n) / 16) * 16);
      const usage = name === 'u' ? GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST : USAGE();
      this.buffers.set(name, device.createBuffer({ label: `folio step ${name}`, size: name === 'out' ? 8 : bytes, usage }));
    }
    this.bound = bindKernels(device, plan.kernels, (name) => this.buffers.get(name)!);
    void device.popErrorScope().then((e) => {
      if (e) this.failure = e.message;
    });
    this.params = new VariableMirror(this.be);
    this.moments = new VariableMirror(this.be);
    for (const p of named) {
      const at = layout.at.get(p.name)!;
      this.params.add(p.variable, this.buffers.get('P')!, at);
      this.moments.add(optimizer.m.get(p.name)!, this.buffers.get('M')!, at);
      this.moments.add(optimizer.v.get(p.name)!, this.buffers.get('V')!, at);
    }
    this.layoutOfInts = plan.ints;
    this.ints = new Int32Array(plan.ints.total);
    this.V = model.config.vocabSize;
    this.cursor = new Int32Array(this.V + 1);
  }

  /** GPU memory the engine holds, bytes (the benchmark adds it to tfjs's own). */
  get bytes(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.size;
    return n;
  }

  /** The dispatches of one step, by label (the benchmark's profile). */
  get kernelLabels(): string[] {
    return this.bound.map((k) => k.kernel.label);
  }

  /** One training step; returns [loss, gradient norm before clipping] as a tensor on the GPU. */
  step(batch: Batch, lr: number): tf.Tensor1D {
    const { beta1: b1, beta2: b2, weightDecay } = this.cfg;
    const device = this.be.device;
    this.writeBatch(batch);
    const t = ++this.optimizer.t;
    this.uniforms.set([lr, 1 / (1 - b1 ** t), 1 / (1 - b2 ** t), weightDecay > 0 ? 1 - lr * weightDecay : 1]);
    device.queue.writeBuffer(this.buffers.get('u')!, 0, this.uniforms);
    device.queue.writeBuffer(this.buffers.get('batch')!, 0, this.ints);
    this.params.copyIn();
    this.moments.copyIn();
    this.be.ensureCommandEncoderReady();
    this.be.endComputePassEncoder();
    if (this.profileNext && device.features.has('timestamp-query')) this.timings = encodeTimedKernels(device, this.be.commandEncoder!, this.bound);
    else encodeKernels(this.be.commandEncoder!, this.bound);
    this.profileNext = false;
    this.params.copyOut();
    this.momentsFresh = false;
    // tfjs copies the two numbers into a tensor of its own and submits everything encoded.
    return tf.tensor({ buffer: this.buffers.get('out')! }, [2], 'float32') as tf.Tensor1D;
  }

  /** Bring AdamW's moment variables up to date (before anything reads them: checkpoints, snapshots). */
  flushMoments(): void {
    if (this.momentsFresh) return;
    this.moments.copyOut();
    this.momentsFresh = true;
  }

  /** Free the GPU buffers (after `flushMoments`, if the moments are still wanted). */
  dispose(): void {
    // Whatever is encoded (a last flush) is submitted first: a destroyed buffer must not be in a later submit.
    if (this.be.commandEncoder) this.be.submitQueue();
    for (const b of this.buffers.values()) b.destroy();
    this.buffers.clear();
  }

  /** The batch's ids and targets, and the rows of each id in order (for the embedding's gradient), as plan.ts lays them out. */
  private writeBatch(batch: Batch): void {
    const { ids, targets, order, starts } = this.layoutOfInts;
    const n = batch.x.length;
    const ints = this.ints;
    ints.set(batch.x, ids);
    ints.set(batch.y, targets);
    const count = this.cursor.fill(0);
    for (let i = 0; i < n; i++) count[batch.x[i]! + 1]!++;
    for (let v = 0; v < this.V; v++) count[v + 1]! += count[v]!;
    ints.set(count, starts);
    for (let i = 0; i < n; i++) ints[order + count[batch.x[i]!]!++] = i;
  }
}
