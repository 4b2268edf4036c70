/**
 * A helper thread that dies mid-run never hangs training (issue: the page froze 10 s into
 * every run when its helpers were ended under it). Here a helper is ended between two steps,
 * the next product waits a bounded time, the pool shuts down, and training goes on on one
 * thread with exactly the losses a one-thread run has.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_PRESETS, TRAIN_PRESETS } from '../../src/config';
import { splitTokens } from '../../src/data/dataset';
import { gemmPool, gemmThreadsLost, onGemmThreadsLost } from '../../src/kernels/threads/gemmThreads';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { buildTokenizer } from '../../src/tokenizer';
import { Trainer } from '../../src/train/trainer';
import { backend, readCorpus } from '../helpers';
import * as tf from '@tensorflow/tfjs';

beforeAll(() => backend('wasm'));

const text = readCorpus('tinyshakespeare.txt').slice(0, 100_000);
const tok = buildTokenizer(text, { kind: 'char', vocabSize: 0 });
const model = MODEL_PRESETS.nano;
const data = splitTokens(tok.encode(text), model.blockSize);
const STEPS = 10;

/** Train STEPS steps from the same seed; `between(i)` runs before step i. */
async function run(between: (i: number) => void): Promise<number[]> {
  const gpt = createGPT({ ...model, vocabSize: tok.vocabSize }, 7);
  const tr = new Trainer(gpt, data, { ...TRAIN_PRESETS.nano, batchSize: 16, seed: 7 });
  for (let i = 0; i < STEPS; i++) {
    between(i);
    tr.trainStep();
  }
  const losses = (await tr.readLosses()).map((l) => l.loss);
  tr.dispose();
  disposeGPT(gpt);
  return losses;
}

describe('gemm threads: a helper that stops', () => {
  it('is noticed within a bound; training goes on single-threaded with the same losses as one thread', async () => {
    const pool = gemmPool();
    expect(pool?.threads).toBeGreaterThanOrEqual(2); // this machine has 2 cores: the pool must have started
    // The reference: the same run with every product on the calling thread.
    const worthIt = pool!.worthIt;
    pool!.worthIt = () => false;
    const oneThread = await run(() => {});
    pool!.worthIt = worthIt;

    const heard: string[] = [];
    const unsubscribe = onGemmThreadsLost((r) => heard.push(r));
    const numTensors = tf.memory().numTensors;
    let threadedSteps = 0;
    const killed = await run((i) => {
      if (gemmPool()) threadedSteps = i;
      // Ended between steps, with no turn of the event loop before the next product: the
      // caller finds out by waiting (bounded), not from an exit event.
      if (i === 4) gemmPool()!.killHelper();
    });
    unsubscribe();

    expect(threadedSteps).toBe(4); // steps 0-3 ran threaded…
    expect(gemmPool()).toBeNull(); // …then the pool shut down
    expect(gemmThreadsLost()).toMatch(/helper stopped/);
    expect(heard).toHaveLength(1);
    expect(killed).toEqual(oneThread); // same bits: the recomputed product and every later one
    expect(tf.memory().numTensors).toBe(numTensors);
  }, 120_000);
});
