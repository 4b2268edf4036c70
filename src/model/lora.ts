/**
 * LoRA (Hu et al., 2021): fine-tune a big model by learning, beside each chosen projection
 * w (in, out), a low-rank update scale·a·b with a (in, r), b (r, out), r ≪ in, out — and
 * keep w frozen. A 124 M-parameter GPT-2 then trains ~0.3 M numbers (r = 8 on c_attn), so
 * the optimiser's moments and the gradients fit a browser tab.
 *
 * Here: adding adapters to a GPT (a small seeded random, b zeros — so the adapted model
 * starts exactly equal to its base), the parameters a tuner trains, the weights with the
 * adapters merged in (w + scale·a·b), merging them into the base for good, and dropping
 * them. The forward pass (gpt.ts) runs the adapter path; PEFT's files are checkpoint/peft.ts.
 * Not here: training loops (train/finetune/) or any file format.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng';
import type { GPT, LayerNorm, Linear, LoraConfig, LoraTarget, NamedParam } from './gpt';

export type { LoraConfig, LoraTarget } from './gpt';

/** Every projection an adapter can sit on, in a block's order. */
export const LORA_TARGETS: readonly LoraTarget[] = ['c_attn', 'attn.c_proj', 'c_fc', 'mlp.c_proj'];

/** r = 8, α = 16 (an update scaled by 2) on the attention's q, k, v projection: PEFT's usual start for GPT-2. */
export const LORA_DEFAULTS: LoraConfig = { r: 8, alpha: 16, targets: ['c_attn'] };

/** LoRA's learning rate: the adapters start at zero and are few, so they take larger steps than a whole model does (PEFT's examples use 1e-4…1e-3). */
export const LORA_LR = 1e-3;

/** Adapter values to start from (a loaded PEFT file): (in, r) and (r, out) per layer and target. */
export type LoraValues = (layer: number, target: LoraTarget) => { a: Float32Array; b: Float32Array };

/** The linear layer of block `l` a target names. */
export function targetLinear(model: GPT, l: number, target: LoraTarget): Linear {
  const b = model.params.h[l]!;
  return { c_attn: b.attn.cAttn, 'attn.c_proj': b.attn.cProj, c_fc: b.mlp.cFc, 'mlp.c_proj': b.mlp.cProj }[target];
}

/** Each target's module path inside a GPT-2 block, as transformers names it (PEFT's files use these). */
export const TARGET_PATH: Record<LoraTarget, string> = { c_attn: 'attn.c_attn', 'attn.c_proj': 'attn.c_proj', c_fc: 'mlp.c_fc', 'mlp.c_proj': 'mlp.c_proj' };

/** Folio's name of an adapter matrix, e.g. `h.0.attn.c_attn.lora_a` (the optimiser keys its moments by it). */
export const loraParamName = (l: number, target: LoraTarget, which: 'a' | 'b') => `h.${l}.${TARGET_PATH[target]}.lora_${which}`;

/** Whether a LoRA config is one Folio runs: a whole rank ≥ 1, a finite α > 0, known targets, at least one. */
export function loraConfigProblem(c: LoraConfig, model?: GPT): string | undefined {
  if (!Number.isInteger(c.r) || c.r < 1 || c.r > 256) return 'r';
  if (model && c.r > model.config.nEmbd) return 'r';
  if (!Number.isFinite(c.alpha) || c.alpha <= 0) return 'lora_alpha';
  if (c.targets.length === 0 || c.targets.some((t) => !LORA_TARGETS.includes(t)) || new Set(c.targets).size !== c.targets.length) return 'target_modules';
  return undefined;
}

/**
 * Put adapters on `model`'s target projections, in place. Without `values`, a is drawn
 * uniform in ±1/√in (PEFT's Kaiming-uniform default, seeded) and b is zeros, so the model
 * still computes exactly what its base does. From then on only the adapters train
 * (`trainableParams`); `disposeGPT` frees them with the model. `scale` defaults to α/r.
 */
export function addLora(model: GPT, config: LoraConfig = LORA_DEFAULTS, seed = 0, values?: LoraValues, scale = config.alpha / config.r): void {
  if (model.lora) throw new Error('This model already has LoRA adapters.');
  const problem = loraConfigProblem(config, model);
  if (problem) throw new Error(`LoRA setting "${problem}" is out of range.`);
  const rng = new Rng(seed);
  const named: NamedParam[] = [];
  const variable = (name: string, data: Float32Array, shape: [number, number]) => {
    const t = tf.tensor2d(data, shape);
    const v = tf.variable(t, true);
    t.dispose();
    named.push({ name, variable: v, decay: false });
    return v;
  };
  for (let l = 0; l < model.config.nLayer; l++) {
    for (const target of LORA_TARGETS.filter((t) => config.targets.includes(t))) {
      const L = targetLinear(model, l, target);
      const [nIn, nOut] = L.w.shape as [number, number];
      const r = config.r;
      const given = values?.(l, target);
      if (given && (given.a.length !== nIn * r || given.b.length !== r * nOut))
        throw new Error(`LoRA values for ${loraParamName(l, target, 'a')} do not fit (${nIn}, ${r}), (${r}, ${nOut}).`);
      const bound = 1 / Math.sqrt(nIn);
      const a = given?.a ?? Float32Array.from({ length: nIn * r }, () => (2 * rng.next() - 1) * bound);
      L.lora = {
        a: variable(loraParamName(l, target, 'a'), a, [nIn, r]),
        b: variable(loraParamName(l, target, 'b'), given?.b ?? new Float32Array(r * nOut), [r, nOut]),
        zero: tf.zeros([r]),
        scale,
      };
    }
  }
  model.lora = { config: { ...config, targets: [...config.targets] }, named };
}

/** What a fine-tuning stage trains: the adapters when the model has them, else every weight. */
export const trainableParams = (model: GPT): NamedParam[] => model.lora?.named ?? model.named;

/** Each adapted projection of the model: block, target, its linear layer. */
export function adapted(model: GPT): { layer: number; target: LoraTarget; linear: Linear & { lora: NonNullable<Linear['lora']> } }[] {
  const out: ReturnType<typeof adapted> = [];
  for (let l = 0; l < model.config.nLayer; l++) {
    for (const target of LORA_TARGETS) {
      const L = targetLinear(model, l, target);
      if (L.lora) out.push({ layer: l, target, linear: L as Linear & { lora: NonNullable<Linear['lora']> } });
    }
  }
  return out;
}

/** w + scale·a·b for a linear layer with an adapter, w alone for one without (call inside tf.tidy). */
export const mergedWeight = (L: Linear): tf.Tensor => (L.lora ? tf.add(L.w, tf.mul(tf.matMul(L.lora.a, L.lora.b), L.lora.scale)) : L.w);

/**
 * The model's weights in createGPT's order, each linear weight with its adapter merged in
 * (w + scale·a·b) — what a full copy of the model holds. Call inside tf.tidy.
 */
export function effectiveWeights(model: GPT): tf.Tensor[] {
  const p = model.params;
  const lin = (L: Linear) => [mergedWeight(L), L.b];
  const ln = (n: LayerNorm) => [n.g, n.b];
  return [
    p.wte,
    p.wpe,
    ...p.h.flatMap((b) => [...ln(b.ln1), ...lin(b.attn.cAttn), ...lin(b.attn.cProj), ...ln(b.ln2), ...lin(b.mlp.cFc), ...lin(b.mlp.cProj)]),
    ...ln(p.lnF),
  ];
}

/**
 * The model as it answers now, without copying its base weights: a GPT over the same base
 * variables (its own linear records, so adapters added to one are not on the other), with a
 * frozen copy of its adapters unless `adapters` is false. LoRA never changes the base, so this
 * is the reference a LoRA stage measures against — a 124 M model's 500 MB not held twice.
 * `disposeGPT` frees only what the view owns (its adapters).
 */
export function frozenView(model: GPT, adapters = true): GPT {
  const lin = (L: Linear): Linear => ({ w: L.w, b: L.b });
  const p = model.params;
  const h = p.h.map((b) => ({
    ln1: b.ln1,
    ln2: b.ln2,
    attn: { cAttn: lin(b.attn.cAttn), cProj: lin(b.attn.cProj) },
    mlp: { cFc: lin(b.mlp.cFc), cProj: lin(b.mlp.cProj) },
  }));
  const view: GPT = { config: { ...model.config }, params: { wte: p.wte, wpe: p.wpe, h, lnF: p.lnF }, named: model.named, shared: true };
  if (adapters && model.lora) {
    const read = (l: number, t: LoraTarget) => {
      const L = targetLinear(model, l, t).lora!;
      return { a: L.a.dataSync() as Float32Array, b: L.b.dataSync() as Float32Array, scale: L.scale };
    };
    addLora(view, model.lora.config, 0, read, adapted(model)[0]!.linear.lora.scale);
  }
  return view;
}

/** Take the adapters off, freeing them (the base is as it was: what they learned is gone unless merged first). */
export function dropLora(model: GPT): void {
  for (const { linear } of adapted(model)) {
    tf.dispose([linear.lora.a, linear.lora.b, linear.lora.zero]);
    delete (linear as Linear).lora;
  }
  delete model.lora;
}

/** Merge the adapters into the base weights for good (w ← w + scale·a·b) and drop them: a plain GPT again, as fast as before. */
export function mergeLora(model: GPT): void {
  for (const { linear } of adapted(model)) {
    const w = tf.tidy(() => mergedWeight(linear));
    linear.w.assign(w);
    w.dispose();
  }
  dropLora(model);
}
