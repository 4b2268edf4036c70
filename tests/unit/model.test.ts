import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_PRESETS } from '../../src/config';
import { Rng } from '../../src/util/rng';
import { createGPT, crossEntropy, disposeGPT, forward, paramCount } from '../../src/model/gpt';
import { backend, tinyConfig } from '../helpers';

beforeAll(() => backend('cpu'));

const ids = (B: number, T: number, V: number, seed = 1) => {
  const rng = new Rng(seed);
  return Array.from({ length: B }, () => Array.from({ length: T }, () => rng.int(V)));
};

describe('GPT', () => {
  it('counts parameters like nanoGPT (tied head counted once)', () => {
    for (const [name, preset] of Object.entries(MODEL_PRESETS)) {
      const cfg = { ...preset, vocabSize: 65 };
      const model = createGPT(cfg, 1);
      expect(
        model.named.reduce((n, p) => n + p.variable.size, 0),
        name,
      ).toBe(paramCount(cfg));
      disposeGPT(model);
    }
    // By hand: each block has 12·C² weights and 13·C biases/gains; plus wte, wpe and lnF.
    const byHand = (L: number, C: number, T: number, V: number) => L * (12 * C * C + 13 * C) + V * C + T * C + 2 * C;
    expect(paramCount({ ...MODEL_PRESETS.cpu, vocabSize: 65 })).toBe(byHand(4, 128, 64, 65)); // nanoGPT: "0.80M"
    expect(paramCount({ ...MODEL_PRESETS.baby, vocabSize: 65 })).toBe(byHand(6, 384, 256, 65)); // nanoGPT: "10.65M" (no biases)
    expect(paramCount({ ...MODEL_PRESETS.nano, vocabSize: 65 })).toBeGreaterThan(0.08e6);
    expect(paramCount({ ...MODEL_PRESETS.nano, vocabSize: 65 })).toBeLessThan(0.13e6);
  });

  it('declares weight decay on matrices only', () => {
    const model = createGPT(tinyConfig(11, { nLayer: 2 }), 1);
    for (const p of model.named) expect(p.decay, p.name).toBe(p.variable.rank === 2);
    disposeGPT(model);
  });

  it('initialises GPT-2 style: N(0, 0.02), residual projections scaled by 1/√(2·nLayer)', async () => {
    const model = createGPT({ nLayer: 4, nHead: 4, nEmbd: 128, blockSize: 64, dropout: 0, vocabSize: 65 }, 3);
    const std = async (name: string) => {
      const v = model.named.find((p) => p.name === name)!.variable;
      return (await tf.moments(v).variance.sqrt().data())[0]!;
    };
    expect(await std('h.0.attn.cAttn.w')).toBeCloseTo(0.02, 3);
    expect(await std('h.0.mlp.cProj.w')).toBeCloseTo(0.02 / Math.sqrt(8), 3);
    expect(await std('wte')).toBeCloseTo(0.02, 3);
    expect(Array.from(await model.params.h[0]!.ln1.g.data()).every((x) => x === 1)).toBe(true);
    disposeGPT(model);
  });

  it('starts with loss ≈ ln(vocabSize)', async () => {
    const V = 65;
    const model = createGPT({ ...MODEL_PRESETS.nano, vocabSize: V }, 1);
    const x = ids(4, 32, V, 2);
    const y = ids(4, 32, V, 3).flat();
    const loss = tf.tidy(() => crossEntropy(forward(model, tf.tensor2d(x, undefined, 'int32')).logits, tf.tensor1d(y, 'int32')));
    expect(Math.abs((await loss.data())[0]! - Math.log(V))).toBeLessThan(0.1);
    disposeGPT(model);
  });

  it('is causal: changing token t+1.. leaves logits at positions ≤ t unchanged', async () => {
    const cfg = tinyConfig(13, { nLayer: 2, blockSize: 10 });
    const model = createGPT(cfg, 5);
    const a = ids(2, 10, 13, 4);
    const t = 4;
    const b = a.map((row) => row.map((v, i) => (i > t ? (v + 5) % 13 : v)));
    const run = (x: number[][]) => tf.tidy(() => forward(model, tf.tensor2d(x, undefined, 'int32')).logits.arraySync());
    const la = run(a);
    const lb = run(b);
    for (let r = 0; r < 2; r++) {
      for (let i = 0; i <= t; i++) for (let v = 0; v < 13; v++) expect(Math.abs(la[r]![i]![v]! - lb[r]![i]![v]!)).toBeLessThan(1e-6);
      // …and the later positions do change, so the test can tell.
      expect(Math.abs(la[r]![t + 1]![0]! - lb[r]![t + 1]![0]!)).toBeGreaterThan(1e-6);
    }
    disposeGPT(model);
  });

  it('runs on sequences shorter than the context (mask sliced to T×T)', () => {
    const model = createGPT(tinyConfig(9, { blockSize: 8 }), 1);
    const x = ids(1, 8, 9, 6);
    const full = tf.tidy(() => forward(model, tf.tensor2d(x, undefined, 'int32')).logits.arraySync());
    for (const T of [1, 3, 7]) {
      const part = tf.tidy(() => forward(model, tf.tensor2d([x[0]!.slice(0, T)], undefined, 'int32')).logits.arraySync());
      expect(part[0]).toHaveLength(T);
      for (let i = 0; i < T; i++) for (let v = 0; v < 9; v++) expect(part[0]![i]![v]!).toBeCloseTo(full[0]![i]![v]!, 5);
    }
    expect(() => tf.tidy(() => forward(model, tf.tensor2d([Array(9).fill(0)], undefined, 'int32')).logits)).toThrow(/longer than the context/);
    disposeGPT(model);
  });

  it('returns attention weights [layer][head][T][T]: causal rows that sum to 1', async () => {
    const model = createGPT(tinyConfig(9, { nLayer: 2, nHead: 2 }), 1);
    const att = tf.tidy(() => {
      const r = forward(model, tf.tensor2d(ids(1, 5, 9), undefined, 'int32'), { returnAttention: true });
      return r.attention!.map((a) => a.arraySync());
    });
    expect(att).toHaveLength(2);
    const head = att[1]![0]![1]!; // layer 1, batch 0, head 1: (T, T)
    expect(head).toHaveLength(5);
    head.forEach((row, i) => {
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      for (let j = i + 1; j < 5; j++) expect(row[j]).toBe(0);
    });
    disposeGPT(model);
  });

  it('passes a finite-difference gradient check on a 1-layer model', async () => {
    const V = 7;
    const model = createGPT(tinyConfig(V, { nLayer: 1, nHead: 2, nEmbd: 8, blockSize: 4 }), 11);
    // Larger weights than GPT-2 init so every gradient is well above float32 noise.
    const rng = new Rng(99);
    for (const p of model.named)
      p.variable.assign(
        tf.tensor(
          Array.from({ length: p.variable.size }, () => rng.normal() * 0.5),
          p.variable.shape,
        ),
      );
    const x = tf.tensor2d(ids(2, 4, V, 8), undefined, 'int32');
    const y = tf.tensor1d(ids(2, 4, V, 9).flat(), 'int32');
    const lossFn = () => crossEntropy(forward(model, x).logits, y);
    const vars = model.named.map((p) => p.variable);
    const { grads } = tf.variableGrads(lossFn as () => tf.Scalar, vars);
    const lossAt = () => tf.tidy(() => lossFn().dataSync()[0]!);
    let checked = 0;
    const eps = 1e-2;
    for (const p of model.named) {
      const g = grads[p.variable.name]!.dataSync();
      const base = p.variable.dataSync().slice();
      // A few elements per parameter: the largest-gradient one and two others.
      const order = Array.from(g.keys()).sort((a, b) => Math.abs(g[b]!) - Math.abs(g[a]!));
      for (const i of [order[0]!, order[Math.floor(order.length / 2)]!, order[order.length - 1]!]) {
        if (Math.abs(g[i]!) < 5e-3) continue; // too small to measure in float32
        const at = (d: number) => {
          const w = base.slice();
          w[i]! += d;
          p.variable.assign(tf.tensor(w, p.variable.shape));
          return lossAt();
        };
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        p.variable.assign(tf.tensor(base, p.variable.shape));
        const rel = Math.abs(numeric - g[i]!) / Math.max(Math.abs(numeric), Math.abs(g[i]!));
        expect(rel, `${p.name}[${i}] analytic ${g[i]} numeric ${numeric}`).toBeLessThan(1e-2);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    Object.values(grads).forEach((t) => t.dispose());
    disposeGPT(model);
  });
});
