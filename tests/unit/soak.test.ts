/**
 * No leaks under load: the worker's session (the code the page runs) trains 1,000 steps
 * and answers 1,000 predictions on the `tiny` preset (wasm backend, with Folio's own kernels,
 * as the page's worker runs it without a GPU); after warm-up the backend holds exactly as many
 * tensors and bytes as before. A leak of one small tensor per step or per prediction would show
 * as +1,000 here. (On the pure-JS cpu backend the same 2,000 calls took ~45 s of the suite; ~5 s here.)
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_PRESETS, TRAIN_PRESETS } from '../../src/config';
import type { FromWorker, SessionConfig } from '../../src/worker/protocol';
import { Session } from '../../src/worker/session';
import { backend, readCorpus } from '../helpers';

beforeAll(() => backend('wasm'));

const STEPS = Number(process.env.SOAK_STEPS ?? 1000);
const PREDICTIONS = Number(process.env.SOAK_PREDICTIONS ?? 1000);
const PROMPTS = ['The quick brown fox jumps over the lazy', 'Anna has a', 'Where is the brown duck?', 'The old cow'];

describe('soak', () => {
  it(`keeps numTensors and numBytes flat over ${STEPS} training steps and ${PREDICTIONS} predictions`, async () => {
    let waiting: ((m: FromWorker) => void) | undefined;
    const session = new Session({
      post: (m) => {
        if (process.env.DBG) console.log(Date.now() % 100000, m.type, 'state' in m ? m.state : '', 'step' in m ? m.step : '');
        waiting?.(m);
      },
      chooseBackend: async () => ({ name: 'wasm', label: 'wasm (CPU)', skipped: [], requested: 'wasm' }),
    });
    const until = <T extends FromWorker['type']>(type: T, pred: (m: Extract<FromWorker, { type: T }>) => boolean = () => true) =>
      new Promise<Extract<FromWorker, { type: T }>>((resolve, reject) => {
        waiting = (m) => {
          if (m.type === 'error' || m.type === 'failed') reject(new Error(m.message));
          else if (m.type === type && pred(m as Extract<FromWorker, { type: T }>)) resolve(m as Extract<FromWorker, { type: T }>);
        };
      });
    const config: SessionConfig = {
      model: { ...MODEL_PRESETS.tiny },
      train: { ...TRAIN_PRESETS.tiny, decaySteps: STEPS + 100 },
      tokenizer: { kind: 'char', vocabSize: 0 },
      corpus: { name: 'fox.txt', text: readCorpus('fox.txt') },
      targetSteps: STEPS + 100, // beyond the soak, so the run pauses rather than finishes
      sampleEvery: 250, // samples and evals run too: they must not leak either
      sampleTokens: 20,
    };
    let id = 0;
    await session.handle({ type: 'configure', requestId: ++id, config });
    const train = async (n: number) => {
      const paused = until('progress', (m) => m.state === 'paused');
      await session.handle({ type: 'step', count: n });
      await paused;
    };
    /** Every 25th question runs the full word search and the tracked word; the rest ask for next tokens only. */
    const predict = async () => {
      const full = id % 25 === 0;
      const requestId = ++id;
      const answer = until('answer', (m) => m.requestId === requestId);
      await session.handle({ type: 'predict', requestId, prompt: PROMPTS[id % PROMPTS.length]!, topWords: full ? 5 : 0, ...(full ? { track: 'dog' } : {}) });
      const a = await answer;
      if (a.kind !== 'predict') throw new Error(`expected a prediction, got ${a.kind}`);
      return a;
    };

    // Warm-up: optimizer moments, kernels and caches are created on first use.
    await train(20);
    for (let i = 0; i < 30; i++) await predict();
    const before = tf.memory();

    await train(STEPS);
    const afterTraining = tf.memory();
    for (let i = 0; i < PREDICTIONS; i++) {
      const { prediction } = await predict();
      expect(prediction.tokens.length).toBe(10);
    }
    const after = tf.memory();

    expect(afterTraining.numTensors).toBe(before.numTensors);
    expect(afterTraining.numBytes).toBe(before.numBytes);
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  }, 300_000);
});
