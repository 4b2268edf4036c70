/**
 * The snapshots of one run (issue 27): the model's weights at some of its steps, as plain
 * float32 arrays (read back from the backend once, when taken; they live off the device,
 * so a run's snapshots never crowd the GPU). Which steps, and how many, rewindPlan.ts
 * decides; this file keeps them in step order, drops what the plan says, and puts one back
 * into a model of the same sizes. It never touches the live model's variables except to
 * read them.
 *
 * Not here: when to take one (the worker's run loop), where they are stored (the worker's
 * keeper and checkpoint/rewindFiles.ts), or what is asked of them (predict/).
 */
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model/gpt';
import { isPlannedStep, stepsToDrop } from './rewindPlan';

export interface WeightSnapshot {
  /** Unique in this worker: what a cache of answers keys on (a step can be taken again after a roll-back). */
  id: number;
  step: number;
  /** Every parameter, in the model's `named` order, end to end. */
  weights: Float32Array;
}

let taken = 0;

/** A snapshot of these weights at `step` (the weights are kept as given). */
export function snapshotOf(step: number, weights: Float32Array): WeightSnapshot {
  return { id: ++taken, step, weights };
}

/** The model's weights, read back into one array (the live model is only read). */
export async function readWeights(model: GPT): Promise<Float32Array> {
  const parts = await Promise.all(model.named.map((p) => p.variable.data() as Promise<Float32Array>));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Put a snapshot's weights into `model` (a model of the same sizes, never the live one). */
export function loadWeights(model: GPT, weights: Float32Array): void {
  const total = model.named.reduce((n, p) => n + p.variable.size, 0);
  if (total !== weights.length) throw new Error(`a snapshot of ${weights.length} weights does not fit a model of ${total}`);
  let at = 0;
  tf.tidy(() => {
    for (const p of model.named) {
      p.variable.assign(tf.tensor(weights.subarray(at, at + p.variable.size), p.variable.shape, 'float32'));
      at += p.variable.size;
    }
  });
}

export class RewindSet {
  private list: WeightSnapshot[] = [];
  /** Changes whenever a snapshot comes or goes (a store writes the set again only when it moved). */
  version = 0;

  constructor(
    /** The most snapshots kept (rewindPlan.ts snapshotLimit). */
    readonly limit: number,
    snapshots: readonly WeightSnapshot[] = [],
  ) {
    for (const s of [...snapshots].sort((a, b) => a.step - b.step)) this.list.push(s);
  }

  get snapshots(): readonly WeightSnapshot[] {
    return this.list;
  }

  get steps(): number[] {
    return this.list.map((s) => s.step);
  }

  get bytes(): number {
    return this.list.reduce((n, s) => n + s.weights.byteLength, 0);
  }

  at(step: number): WeightSnapshot | undefined {
    return this.list.find((s) => s.step === step);
  }

  latest(): WeightSnapshot | undefined {
    return this.list.at(-1);
  }

  /**
   * Keep `snap`. A snapshot off the plan (where a run stopped: "the last") stays only while
   * it is the newest — or the first, where a loaded model's run began. Then the limit.
   */
  add(snap: WeightSnapshot): void {
    const first = this.list[0];
    this.list = this.list.filter((s) => s.step < snap.step && (isPlannedStep(s.step) || s === first));
    this.list.push(snap);
    const drop = new Set(stepsToDrop(this.steps, this.limit));
    this.list = this.list.filter((s) => !drop.has(s.step));
    this.version++;
  }

  /** Forget snapshots after `step` (the run went back: a roll-back after a diverged loss, an earlier save restored). */
  truncateAfter(step: number): void {
    const n = this.list.length;
    this.list = this.list.filter((s) => s.step <= step);
    if (this.list.length !== n) this.version++;
  }
}
