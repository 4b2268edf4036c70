/** The race's Stop on the plain-JS backend: reads resolve as microtasks, so a Stop message only gets in where measureSteps yields. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitTokens } from '../../src/data/dataset';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { buildTokenizer } from '../../src/tokenizer';
import { measureSteps } from '../../src/train/measure';
import { Trainer } from '../../src/train/trainer';
import { nextMacrotask } from '../../src/util/nextMacrotask';
import { backend, readCorpus, tinyConfig, tinyTrain } from '../helpers';

const text = readCorpus('fox.txt');
const tok = buildTokenizer(text, { kind: 'char', vocabSize: 0 });
const data = splitTokens(tok.encode(text), 8);

async function stoppedAfter(between?: () => Promise<void>): Promise<number> {
  const model = createGPT(tinyConfig(tok.vocabSize), 1);
  const trainer = new Trainer(model, data, tinyTrain());
  let stop = false;
  // A Stop arriving as a message would: a macrotask, queued before the measuring starts.
  setTimeout(() => (stop = true), 0);
  try {
    const timing = await measureSteps(trainer, { warmup: 1, steps: 40, between, onRead: () => !stop });
    return timing.steps;
  } finally {
    trainer.dispose();
    disposeGPT(model);
  }
}

describe('measureSteps and a Stop', () => {
  beforeAll(() => backend('cpu'));

  it('hears a Stop between reads when it yields a macrotask there, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    expect(await stoppedAfter(nextMacrotask)).toBe(0); // stopped right after the warm-up step
    expect(tf.memory().numTensors).toBe(before);
  });

  it('without yielding, the plain-JS backend runs every step before the Stop gets in (why the race yields)', async () => {
    expect(await stoppedAfter()).toBe(40);
  });
});
