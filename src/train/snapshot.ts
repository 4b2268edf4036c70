/**
 * An in-memory copy of everything a training step changes (weights, AdamW moments and
 * step counter), to go back to when a step goes bad (a NaN or infinite loss). Copies
 * stay on the backend (tf.clone), so taking one costs a device-side copy, no readback.
 */
import * as tf from '@tensorflow/tfjs';
import type { Trainer } from './trainer';

export interface Snapshot {
  step: number;
  optimizerStep: number;
  tensors: tf.Tensor[];
}

/** Every variable a step writes, in a fixed order. */
function stateOf(trainer: Trainer): tf.Variable[] {
  const opt = trainer.optimizer.stateTensors();
  return [
    ...trainer.model.named.map((p) => p.variable),
    ...Object.keys(opt)
      .sort()
      .map((k) => opt[k] as tf.Variable),
  ];
}

export function takeSnapshot(trainer: Trainer): Snapshot {
  return { step: trainer.step, optimizerStep: trainer.optimizer.t, tensors: tf.tidy(() => stateOf(trainer).map((v) => tf.keep(v.clone()))) };
}

export function restoreSnapshot(trainer: Trainer, snap: Snapshot): void {
  stateOf(trainer).forEach((v, i) => v.assign(snap.tensors[i]!));
  trainer.optimizer.t = snap.optimizerStep;
  trainer.step = snap.step;
}

export function disposeSnapshot(snap: Snapshot | undefined): void {
  snap?.tensors.forEach((t) => t.dispose());
}
