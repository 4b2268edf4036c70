/**
 * AdamW (Loshchilov & Hutter): Adam with weight decay applied directly to the weights
 * rather than through the gradient. Which parameters decay is declared where each
 * parameter is made (`NamedParam.decay`), not guessed from names.
 *
 * Also here: clipping the gradients to a global L2 norm, which keeps one unlucky batch
 * from throwing the weights far away. The norm stays a tensor — no GPU→CPU read.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../config';
import type { NamedParam } from '../model/gpt';
import { ADAMW, type AdamWAttrs } from '../kernels/adamw';
import { has } from '../kernels';
import { SQUARED_NORM } from '../kernels/wasm/kernels';

export type AdamWConfig = Pick<TrainConfig, 'beta1' | 'beta2' | 'epsilon' | 'weightDecay' | 'gradClip'>;

export class AdamW {
  /** Updates applied so far (Adam's t, for bias correction). */
  t = 0;
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();
  /**
   * Called before the moments are read (`stateTensors`): the WebGPU whole-step engine
   * (train/webgpu/) keeps them in flat buffers and copies them into these variables only then.
   */
  beforeRead?: () => void;

  constructor(
    private readonly params: NamedParam[],
    private readonly cfg: AdamWConfig,
    /** Use the one-kernel update (kernels/adamw.ts) where the backend has it. */
    private readonly fused = true,
  ) {
    // tf.variable keeps its own reference to the initial tensor; tidy frees ours.
    tf.tidy(() => {
      for (const p of params) {
        this.m.set(p.name, tf.variable(tf.zerosLike(p.variable), false));
        this.v.set(p.name, tf.variable(tf.zerosLike(p.variable), false));
      }
    });
  }

  /**
   * One update from `grads` (keyed by parameter name). Call inside tf.tidy.
   * Returns the gradient's global norm before clipping, as a scalar tensor.
   */
  apply(grads: Map<string, tf.Tensor>, lr: number): tf.Scalar {
    const { beta1: b1, beta2: b2, epsilon, weightDecay, gradClip } = this.cfg;
    this.t += 1;
    const norm = tf.sqrt(
      squaredNorm(
        this.params.map((p) => grads.get(p.name)!),
        this.fused,
      ),
    ) as tf.Scalar;
    // scale = clip / max(norm, clip) = min(1, clip / norm), computed on the device.
    const scale = gradClip > 0 ? tf.div(gradClip, tf.maximum(norm, gradClip)) : tf.scalar(1);
    const c1 = 1 / (1 - b1 ** this.t);
    const c2 = 1 / (1 - b2 ** this.t);
    const fused = this.fused && has(ADAMW);
    for (const p of this.params) {
      if (fused) {
        const decay = p.decay && weightDecay > 0 ? 1 - lr * weightDecay : 1;
        const attrs: AdamWAttrs = { lr, beta1: b1, beta2: b2, c1, c2, epsilon, decay };
        const inputs = { param: p.variable, grad: grads.get(p.name)!, m: this.m.get(p.name)!, v: this.v.get(p.name)!, scale };
        const [param, m, v] = tf.engine().runKernel(ADAMW, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        this.m.get(p.name)!.assign(m!);
        this.v.get(p.name)!.assign(v!);
        p.variable.assign(param!);
        continue;
      }
      const g = tf.mul(grads.get(p.name)!, scale);
      const m = this.m.get(p.name)!;
      const v = this.v.get(p.name)!;
      m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
      v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
      const step = tf.div(tf.mul(m, c1), tf.add(tf.sqrt(tf.mul(v, c2)), epsilon));
      const decayed = p.decay && weightDecay > 0 ? tf.mul(p.variable, 1 - lr * weightDecay) : p.variable;
      p.variable.assign(tf.sub(decayed, tf.mul(step, lr)));
    }
    return norm;
  }

  /** Moment tensors by name, for checkpoints ("m/<param>", "v/<param>"). */
  stateTensors(): tf.NamedTensorMap {
    this.beforeRead?.();
    const out: tf.NamedTensorMap = {};
    for (const [k, t] of this.m) out[`m/${k}`] = t;
    for (const [k, t] of this.v) out[`v/${k}`] = t;
    return out;
  }

  /** Restore moments saved by `stateTensors` (shapes are checked by the caller). */
  loadState(t: number, tensors: tf.NamedTensorMap): void {
    this.t = t;
    for (const [k, variable] of this.m) variable.assign(tensors[`m/${k}`] as tf.Tensor);
    for (const [k, variable] of this.v) variable.assign(tensors[`v/${k}`] as tf.Tensor);
  }

  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}

/** Σ g² over all gradients: one kernel where the backend has Folio's, else stock ops. */
function squaredNorm(grads: tf.Tensor[], fused: boolean): tf.Scalar {
  if (fused && has(SQUARED_NORM)) {
    return tf.engine().runKernel(SQUARED_NORM, Object.fromEntries(grads.map((g, i) => [`g${i}`, g])), {}) as tf.Scalar;
  }
  // Not tf.addN: on WebGPU its kernel binds every input at once and fails beyond the
  // adapter's storage-buffer limit (8 on many GPUs); stack (concat) splits the work.
  return tf.sum(tf.stack(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
}
