/**
 * LoRA on a GPT-2-layout model (small random weights, seeded; no internet): adapters start
 * as the identity, train alone (the base's weights are bit-for-bit unchanged) and move the
 * preferred word under DPO (and run under SFT and RLHF); PEFT's files reload to the same
 * logits; a merged export — in place, as a copy, and as a GPT-2 folder read back — equals
 * base + adapter; hostile adapter files are refused and leave the model as it was; nothing leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2FolderFiles, gpt2Model, readGpt2 } from '../../src/checkpoint/gpt2';
import { applyPeft, PEFT_CONFIG, peftTensorName, toPeft } from '../../src/checkpoint/peft';
import { readHeader } from '../../src/checkpoint/safetensors';
import { createGPT, disposeGPT, forward, type GPT } from '../../src/model/gpt';
import { adapted, addLora, frozenView, LORA_DEFAULTS, mergeLora, trainableParams } from '../../src/model/lora';
import { DpoTuner, RlhfTuner, SftTuner, TUNE_DEFAULTS, type Pair, type Tuner } from '../../src/train/finetune/preference';
import { copyGPT } from '../../src/train/finetune/tuning';
import { fixtureConfig, GPT2_TOKENIZER, gpt2ConfigJson } from '../gpt2Fixture';
import { backend } from '../helpers';

const CONFIG = { ...fixtureConfig({ nLayer: 2, nHead: 2, nEmbd: 16, nPositions: 32 }), vocabSize: 64 };
const PROMPT = [3, 9, 12, 4];

function logitsOf(model: GPT, ids = PROMPT): Float32Array {
  return tf.tidy(() => forward(model, tf.tensor2d(ids, [1, ids.length], 'int32')).logits.dataSync() as Float32Array);
}

/** Each tensor's shape, by name, from a safetensors file's header. */
const readHeaderNames = (bytes: Uint8Array) => Object.fromEntries(Object.entries(readHeader(bytes).header).map(([k, e]) => [k, e.shape]));

const adaptedCount = (m: GPT) => adapted(m).length;

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

/** Every base weight's values (to check they never move). */
const snapshot = (m: GPT) => m.named.map((p) => (p.variable.dataSync() as Float32Array).slice());

/** Give every adapter's b random values (a trained adapter's stand-in: a fresh one is zero). */
function randomiseB(m: GPT, seed: number) {
  for (const p of m.lora!.named.filter((p) => p.name.endsWith('lora_b'))) {
    const b = tf.randomNormal(p.variable.shape, 0, 0.2, 'float32', seed++);
    p.variable.assign(b);
    b.dispose();
  }
}

beforeAll(() => backend());

describe('LoRA adapters', () => {
  it('start as the identity, hold ~r·(in+out) numbers per projection, and are all a tuner trains', () => {
    const m = createGPT(CONFIG, 1);
    const before = logitsOf(m);
    addLora(m, { r: 4, alpha: 8, targets: ['c_attn', 'mlp.c_proj'] }, 7);
    expect(maxDiff(logitsOf(m), before)).toBe(0); // b = 0: exactly the base
    const names = trainableParams(m).map((p) => p.name);
    expect(names).toEqual([
      'h.0.attn.c_attn.lora_a',
      'h.0.attn.c_attn.lora_b',
      'h.0.mlp.c_proj.lora_a',
      'h.0.mlp.c_proj.lora_b',
      'h.1.attn.c_attn.lora_a',
      'h.1.attn.c_attn.lora_b',
      'h.1.mlp.c_proj.lora_a',
      'h.1.mlp.c_proj.lora_b',
    ]);
    expect(m.lora!.named.reduce((n, p) => n + p.variable.size, 0)).toBe(2 * (4 * (16 + 48) + 4 * (64 + 16)));
    expect(() => addLora(m)).toThrow();
    disposeGPT(m);
  });

  it('DPO on the adapters moves the preferred word; the base weights stay bit-for-bit; every tensor is freed', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const policy = createGPT(CONFIG, 2);
    // A head that can say something: at GPT-2's init (wte ~ N(0, 0.02)) the final LayerNorm caps any
    // logit gap at ~0.4, whatever the layers below do; a trained model's embeddings are far larger.
    const wte = tf.mul(policy.params.wte, 25);
    policy.params.wte.assign(wte);
    wte.dispose();
    addLora(policy, LORA_DEFAULTS, 3); // r 8, α 16, on c_attn
    const base = snapshot(policy);
    const reference = frozenView(policy); // as the CLI and the page do: the base shared
    const [chosen, rejected] = [20, 21];
    const pairs: Pair[] = [{ prompt: PROMPT, chosen: [chosen], rejected: [rejected] }];
    const gap = (m: GPT) => {
      const l = logitsOf(m);
      const last = l.length - CONFIG.vocabSize;
      return l[last + chosen]! - l[last + rejected]!;
    };
    const gap0 = gap(policy);
    const tuner = new DpoTuner(policy, reference, pairs, { ...TUNE_DEFAULTS, lr: 1e-2, warmup: 1, batchSize: 1, beta: 0.5, keep: 0, nll: 0 });
    for (let i = 0; i < 30; i++) await tuner.trainStep();
    const metrics = await tuner.readMetrics();
    expect(metrics.at(-1)!.loss).toBeLessThan(metrics[0]!.loss);
    expect(gap(policy) - gap0).toBeGreaterThan(2); // chosen over rejected by two nats more than before (seeded: 2.7 → 7.8)
    snapshot(policy).forEach((w, i) => expect(maxDiff(w, base[i]!)).toBe(0));
    tuner.dispose();
    disposeGPT(policy);
    disposeGPT(reference);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('SFT and RLHF train the adapters alone too (RLHF’s reward model on adapters of its own), and free what they made', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const pairs: Pair[] = [
      { prompt: PROMPT, chosen: [20, 1], rejected: [21, 1] },
      { prompt: [5, 6, 7], chosen: [20, 1], rejected: [21, 1] },
      { prompt: [8, 6, 7], chosen: [20, 1], rejected: [21, 1] },
    ];
    for (const method of ['sft', 'rlhf'] as const) {
      const policy = createGPT(CONFIG, 4);
      addLora(policy, { r: 2, alpha: 4, targets: ['c_attn', 'c_fc'] }, 5);
      const base = snapshot(policy);
      const reference = copyGPT(policy);
      const cfg = { ...TUNE_DEFAULTS, lr: 1e-2, warmup: 1, batchSize: 2, rmSteps: 2, samples: 2, keep: 0 };
      const tuner: Tuner =
        method === 'sft'
          ? new SftTuner(
              policy,
              pairs.map((p) => ({ prompt: p.prompt, completion: p.chosen })),
              cfg,
            )
          : new RlhfTuner(policy, reference, pairs, cfg, undefined, new Set([1]));
      for (let i = 0; i < 4; i++) await tuner.trainStep();
      await tuner.finish?.();
      expect((await tuner.readMetrics()).every((m) => Number.isFinite(m.loss))).toBe(true);
      snapshot(policy).forEach((w, i) => expect(maxDiff(w, base[i]!)).toBe(0));
      expect(policy.lora!.named.some((p) => p.name.endsWith('lora_b') && (p.variable.dataSync() as Float32Array).some((x) => x !== 0))).toBe(true);
      tuner.dispose();
      disposeGPT(policy);
      disposeGPT(reference);
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});

describe('the frozen base in the backward pass', () => {
  it.each(['cpu', 'wasm'] as const)('%s: the adapters get the gradients stock tfjs autodiff gives them', async (name) => {
    await backend(name);
    const m = createGPT(CONFIG, 15);
    addLora(m, { r: 2, alpha: 4, targets: ['c_attn', 'attn.c_proj', 'c_fc', 'mlp.c_proj'] }, 16);
    randomiseB(m, 500);
    const ids = tf.tensor2d([PROMPT, [5, 6, 7, 8]], undefined, 'int32');
    const grads = (formulation: 'fast' | 'reference') =>
      tf.tidy(() => {
        const vars = m.lora!.named.map((p) => p.variable);
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(forward(m, ids, { formulation }).logits)) as tf.Scalar, vars);
        value.dispose();
        return vars.map((v) => grads[v.name]!.dataSync() as Float32Array);
      });
    const [fast, reference] = [grads('fast'), grads('reference')];
    fast.forEach((g, i) => expect(maxDiff(g, reference[i]!)).toBeLessThan(1e-4 * Math.max(1e-3, ...reference[i]!.map(Math.abs))));
    ids.dispose();
    disposeGPT(m);
    await backend('cpu');
  });
});

describe("a frozen view (a LoRA stage's reference)", () => {
  it('answers as the model does, shares its base (only the adapters are copied), and outlives nothing it does not own', () => {
    const m = createGPT(CONFIG, 13);
    const bare = frozenView(m); // before adapters: the base itself
    addLora(m, { r: 2, alpha: 4, targets: ['c_attn', 'c_fc'] }, 14);
    randomiseB(m, 300);
    expect(bare.lora).toBeUndefined();
    expect(maxDiff(logitsOf(bare), logitsOf(m))).toBeGreaterThan(1e-4); // the model's adapters are not on the view
    const tensors = tf.memory().numTensors;
    const view = frozenView(m);
    expect(tf.memory().numTensors - tensors).toBe(m.lora!.named.length + adaptedCount(m)); // a, b per adapter and its zero bias
    expect(maxDiff(logitsOf(view), logitsOf(m))).toBe(0);
    randomiseB(m, 400); // training the model's adapters leaves the view where it was
    expect(maxDiff(logitsOf(view), logitsOf(m))).toBeGreaterThan(1e-4);
    disposeGPT(view);
    disposeGPT(bare);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(logitsOf(m).every(Number.isFinite)).toBe(true); // the base is still there
    disposeGPT(m);
  });
});

describe('PEFT files and merging', () => {
  it('saves PEFT’s config and tensor names and shapes, and reloads to the same logits', async () => {
    const m = createGPT(CONFIG, 6);
    addLora(m, { r: 4, alpha: 16, targets: ['c_attn', 'attn.c_proj', 'c_fc', 'mlp.c_proj'] }, 8);
    randomiseB(m, 100);
    const files = await toPeft(m, 'openai-community/gpt2');
    const config = JSON.parse(files.config) as Record<string, unknown>;
    expect(config).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: 4,
      lora_alpha: 16,
      fan_in_fan_out: true,
      bias: 'none',
      base_model_name_or_path: 'openai-community/gpt2',
    });
    expect(config.target_modules).toEqual(['c_attn', 'c_proj', 'c_fc']);
    const header = readHeaderNames(files.safetensors);
    expect(header[peftTensorName(0, 'c_attn', 'A')]).toEqual([4, 16]); // (r, in)
    expect(header['base_model.model.transformer.h.1.attn.c_attn.lora_B.weight']).toEqual([48, 4]); // (out, r)
    expect(header['base_model.model.transformer.h.1.mlp.c_proj.lora_A.weight']).toEqual([4, 64]);
    expect(Object.keys(header)).toHaveLength(2 * 2 * 4);

    const again = createGPT(CONFIG, 6);
    applyPeft(again, files);
    expect(again.lora!.config).toEqual(m.lora!.config);
    expect(maxDiff(logitsOf(again), logitsOf(m))).toBeLessThan(1e-6);
    disposeGPT(again);
    disposeGPT(m);
  });

  it('a merged export equals base + adapter: in place, as a copy, and as a GPT-2 folder read back', async () => {
    const gpt2 = { ...CONFIG, vocabSize: 50257 };
    const m = createGPT(gpt2, 9);
    addLora(m, { r: 8, alpha: 16, targets: ['c_attn', 'c_fc'] }, 10);
    randomiseB(m, 200);
    const adapted = logitsOf(m);
    const copy = copyGPT(m);
    expect(copy.lora).toBeUndefined();
    expect(maxDiff(logitsOf(copy), adapted)).toBeLessThan(1e-4);
    const files = await gpt2FolderFiles(copy, { hfConfig: gpt2ConfigJson(gpt2), tokenizer: GPT2_TOKENIZER });
    const back = gpt2Model(readGpt2(files));
    expect(maxDiff(logitsOf(back.model), adapted)).toBeLessThan(1e-4);
    mergeLora(m);
    expect(m.lora).toBeUndefined();
    expect(maxDiff(logitsOf(m), adapted)).toBeLessThan(1e-4);
    [m, copy, back.model].forEach(disposeGPT);
  });

  it('refuses adapters Folio cannot apply exactly, naming the file, and leaves the model as it was', async () => {
    const m = createGPT(CONFIG, 11);
    addLora(m, { r: 2, alpha: 4, targets: ['c_attn'] }, 12);
    const good = await toPeft(m, 'x');
    disposeGPT(m);
    const target = createGPT(CONFIG, 11);
    const tensorsBefore = tf.memory().numTensors;
    const withConfig = (patch: Record<string, unknown>) => ({ ...good, config: JSON.stringify({ ...JSON.parse(good.config), ...patch }) });
    for (const files of [
      withConfig({ use_dora: true }),
      withConfig({ peft_type: 'IA3' }),
      withConfig({ target_modules: 'c_attn' }),
      withConfig({ target_modules: ['q_proj'] }),
      withConfig({ r: 0 }),
      withConfig({ r: 3 }), // the tensors are rank 2
      withConfig({ target_modules: ['c_attn', 'c_fc'] }), // no c_fc tensors in the file
      withConfig({ layers_to_transform: [0] }),
      { ...good, config: '{not json' },
      { ...good, safetensors: good.safetensors.slice(0, 40) },
    ]) {
      expect(() => applyPeft(target, files), files.config.slice(0, 80)).toThrow(new RegExp(`${PEFT_CONFIG}|adapter_model.safetensors|cannot be read`));
      expect(target.lora).toBeUndefined();
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    disposeGPT(target);
  });
});
