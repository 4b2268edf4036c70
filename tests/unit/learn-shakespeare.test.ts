import { beforeAll, describe, expect, it } from 'vitest';
import { disposeGPT } from '../../src/model/gpt';
import { backend, readCorpus } from '../helpers';
import { trainNano } from '../learn';

const SHAKESPEARE_STEPS = 200;

beforeAll(() => backend('wasm'));

describe('learning Shakespeare', () => {
  it(`a short Tiny Shakespeare run (nano, char, ${SHAKESPEARE_STEPS} steps) gets val loss below 2.5`, async () => {
    const { model, seconds, evalResult } = await trainNano(readCorpus('tinyshakespeare.txt'), SHAKESPEARE_STEPS);
    disposeGPT(model);
    console.log(`shakespeare: ${SHAKESPEARE_STEPS} steps in ${seconds.toFixed(0)} s, train ${evalResult.train.toFixed(3)}, val ${evalResult.val.toFixed(3)}`);
    expect(evalResult.val).toBeLessThan(2.5);
  }, 600_000);
});
