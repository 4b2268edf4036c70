/** A run's fork: its checkpoint loads back with another peak learning rate, same weights and step. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitTokens } from '../../src/data/dataset';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { buildTokenizer } from '../../src/tokenizer';
import { Trainer } from '../../src/train/trainer';
import { ConfigureError, identity, type Live } from '../../src/worker/live';
import { liveFromCheckpoint, readFiles, saveToFiles } from '../../src/worker/modelIO';
import type { SessionConfig } from '../../src/worker/protocol';
import { backend, readCorpus, tinyConfig, tinyTrain } from '../helpers';

beforeAll(() => backend('cpu'));

describe('forking a run from its checkpoint', () => {
  it('goes on from the same step and weights with the new peak learning rate (and refuses a bad one, freeing what it read)', async () => {
    const text = readCorpus('fox.txt').slice(0, 5000);
    const { vocabSize: _v, ...model } = tinyConfig(1);
    const config: SessionConfig = {
      model,
      train: tinyTrain({ learningRate: 1e-2 }),
      tokenizer: { kind: 'char', vocabSize: 0 },
      corpus: { name: 'fox', text },
      targetSteps: 10,
      sampleEvery: 0,
      sampleTokens: 5,
    };
    const tokenizer = buildTokenizer(text, config.tokenizer);
    const data = splitTokens(tokenizer.encode(text), model.blockSize);
    const gpt = createGPT({ ...model, vocabSize: tokenizer.vocabSize }, config.train.seed);
    const live: Live = { ...identity('built'), config, tokenizer, data, model: gpt, trainer: new Trainer(gpt, data, config.train) };
    live.trainer.trainStep();
    const files = await saveToFiles(live, { losses: [], evals: [], samples: [], elapsedMs: 0 });

    const fork = liveFromCheckpoint(await readFiles(files), undefined, 3e-3).live;
    expect(fork.trainer.step).toBe(1);
    expect(fork.trainer.cfg.learningRate).toBe(3e-3);
    expect(fork.config.train.learningRate).toBe(3e-3);
    expect(fork.trainer.cfg.minLearningRate).toBeLessThanOrEqual(3e-4);
    expect(Array.from(fork.model.named[0]!.variable.dataSync())).toEqual(Array.from(live.model.named[0]!.variable.dataSync()));
    fork.trainer.dispose();
    disposeGPT(fork.model);

    // Forked at the parent's end (its schedule at the floor), the fork's own schedule starts at
    // its first step: after the warm-up it runs at the new peak, then decays over its steps.
    for (let i = 0; i < 120; i++) live.trainer.trainStep();
    await live.trainer.readLosses();
    const late = await saveToFiles(live, { losses: [], evals: [], samples: [], elapsedMs: 0 });
    expect(live.trainer.lr).toBe(live.config.train.minLearningRate); // step 121 of a 100-step decay
    const own = liveFromCheckpoint(await readFiles(late), undefined, 3e-3, 50).live;
    expect(own.trainer.cfg.scheduleFrom).toBe(121);
    expect(own.trainer.lr).toBeCloseTo(3e-3 / own.trainer.cfg.warmupSteps, 12); // warm-up's first step
    own.trainer.step = 121 + own.trainer.cfg.warmupSteps;
    expect(own.trainer.lr).toBeCloseTo(3e-3, 12); // the new peak, not the parent's floor
    own.trainer.step = 121 + 50;
    expect(own.trainer.lr).toBe(own.trainer.cfg.minLearningRate);
    own.trainer.dispose();
    disposeGPT(own.model);

    const before = tf.memory().numTensors;
    const bad = await readFiles(files);
    expect(() => liveFromCheckpoint(bad, undefined, -1)).toThrow(ConfigureError);
    expect(tf.memory().numTensors).toBe(before);
    live.trainer.dispose();
    disposeGPT(live.model);
  });
});
