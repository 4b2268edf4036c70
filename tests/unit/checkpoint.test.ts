import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, loadCheckpoint, parseExtra, saveCheckpoint } from '../../src/checkpoint/checkpoint';
import { fileHandler } from '../../src/cli/fileHandler';
import { splitTokens } from '../../src/data/dataset';
import { createGPT, disposeGPT, forward, type GPT } from '../../src/model/gpt';
import { buildTokenizer } from '../../src/tokenizer';
import { Trainer } from '../../src/train/trainer';
import { backend, memoryStore, readCorpus, tinyConfig, tinyTrain } from '../helpers';
import { tempDir } from '../tempDir';

beforeAll(() => backend('cpu'));

const text = readCorpus('fox.txt').slice(0, 20_000);
const tok = buildTokenizer(text, { kind: 'bpe', vocabSize: 120 });
const data = splitTokens(tok.encode(text), 8);
const cfg = tinyConfig(tok.vocabSize);
const train = tinyTrain({ seed: 3 });
const probe = tok.encode('The quick brown fox jumps').slice(0, 8);

const logitsOf = (m: GPT) => tf.tidy(() => Array.from(forward(m, tf.tensor2d([probe], undefined, 'int32')).logits.dataSync()));

async function trainFor(tr: Trainer, n: number): Promise<number[]> {
  for (let i = 0; i < n; i++) tr.trainStep();
  return (await tr.readLosses()).map((l) => l.loss);
}

describe('checkpoints', () => {
  const dir = tempDir('ckpt');
  it('round-trip: identical logits, tokenizer and step; training resumes exactly where it stopped', async () => {
    // Reference: 6 uninterrupted steps.
    const ref = createGPT(cfg, 1);
    const refTr = new Trainer(ref, data, train);
    const refLosses = await trainFor(refTr, 6);

    // Same run, saved after 3 steps and continued from the checkpoint.
    const a = createGPT(cfg, 1);
    const trA = new Trainer(a, data, train);
    const first = await trainFor(trA, 3);
    const store = memoryStore();
    await saveCheckpoint(store.handler, { model: a, tokenizer: tok, train, step: trA.step, optimizer: trA.optimizer, extra: { corpus: 'fox.txt' } });

    const loaded = await loadCheckpoint(store.handler);
    expect(loaded.meta.step).toBe(3);
    expect(loaded.meta.extra).toEqual({ corpus: 'fox.txt' });
    expect(loaded.tokenizer.toJSON()).toEqual(tok.toJSON());
    expect(logitsOf(loaded.model)).toEqual(logitsOf(a));

    const trB = new Trainer(loaded.model, data, loaded.meta.train, loaded.meta.step);
    trB.optimizer.loadState(loaded.meta.optimizerStep, loaded.optimizerState!);
    Object.values(loaded.optimizerState!).forEach((t) => t.dispose());
    const rest = await trainFor(trB, 3);
    expect([...first, ...rest]).toEqual(refLosses);
    expect(logitsOf(loaded.model)).toEqual(logitsOf(ref));

    for (const t of [refTr, trA, trB]) t.dispose();
    for (const m of [ref, a, loaded.model]) disposeGPT(m);
  });

  it('saves to and loads from a folder in Node', async () => {
    const m = createGPT(cfg, 2);
    await saveCheckpoint(fileHandler(dir), { model: m, tokenizer: tok, train, step: 0 });
    const loaded = await loadCheckpoint(fileHandler(dir));
    expect(logitsOf(loaded.model)).toEqual(logitsOf(m));
    expect(loaded.optimizerState).toBeUndefined();
    disposeGPT(loaded.model);

    // Damage it in three ways; each is a clear error and leaks nothing.
    const before = tf.memory().numTensors;
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const bin = readFileSync(path.join(dir, 'weights.bin'));
    writeFileSync(path.join(dir, 'weights.bin'), bin.subarray(0, bin.length - 100));
    await expect(loadCheckpoint(fileHandler(dir))).rejects.toThrow(/truncated/);
    writeFileSync(path.join(dir, 'weights.bin'), bin);
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ ...json, modelTopology: { ...json.modelTopology, version: 99 } }));
    await expect(loadCheckpoint(fileHandler(dir))).rejects.toThrow(/version 99/);
    writeFileSync(path.join(dir, 'model.json'), '{"modelTopology": {"layers": []}, "weightsManifest": [{"paths": ["weights.bin"], "weights": []}]}');
    await expect(loadCheckpoint(fileHandler(dir))).rejects.toThrow(/not a Folio checkpoint/);
    writeFileSync(path.join(dir, 'model.json'), '{"modelTop');
    await expect(loadCheckpoint(fileHandler(dir))).rejects.toThrow(CheckpointError);
    await expect(loadCheckpoint(fileHandler(path.join(dir, 'nope')))).rejects.toThrow(/no checkpoint/);
    expect(tf.memory().numTensors).toBe(before);
    disposeGPT(m);
  });

  it('rejects weights of the wrong shape without leaking', async () => {
    const m = createGPT(cfg, 2);
    const store = memoryStore();
    await saveCheckpoint(store.handler, { model: m, tokenizer: tok, train, step: 0 });
    const a = store.artifacts();
    (a.modelTopology as { model: { nEmbd: number; nHead: number } }).model.nEmbd = 32;
    const before = tf.memory().numTensors;
    await expect(loadCheckpoint(store.handler)).rejects.toThrow(/shape/);
    expect(tf.memory().numTensors).toBe(before);
    disposeGPT(m);
  });
});

describe('checkpoint extra: the stage history', () => {
  it('keeps well-formed stages and drops malformed ones (the other fields stay)', () => {
    const stages = [
      { kind: 'pretrain', steps: 600 },
      { kind: 'dpo', steps: 30, reference: '1a2b3c4d' },
    ];
    expect(parseExtra({ corpus: 'fox.txt', stages })).toEqual({ corpus: 'fox.txt', stages });
    for (const bad of [
      'dpo',
      [{ kind: 'ppo', steps: 3 }],
      [{ kind: 'sft', steps: -1 }],
      [{ kind: 'sft', steps: 1.5 }],
      [{ kind: 'sft' }],
      [{ kind: 'sft', steps: 3, reference: 7 }],
      [null],
    ]) {
      expect(parseExtra({ corpus: 'fox.txt', stages: bad }), JSON.stringify(bad)).toEqual({ corpus: 'fox.txt' });
    }
  });
});
