/**
 * Folio's training recipe against nanoGPT's, as PyTorch runs it.
 *
 * tests/fixtures/nanogpt-recipe.json holds what PyTorch (tests/bench/pytorch_reference.py: nanoGPT's
 * AdamW, decay groups, clip_grad_norm_, warm-up + cosine schedule and cross-entropy) computed
 * when trained from Folio's initial weights on Folio's batches — written by
 * `npm run bench:nanogpt-compare -- --steps 40 --warmup 5 --decay 30 --fixture …`. The schedule
 * is shortened so 40 steps cover the warm-up, the whole cosine and the floor. Any drift from
 * the recipe (which parameters decay, the schedule's ends, clipping, Adam's bias correction,
 * the loss) moves these losses past the tolerance within a few steps; PyTorch itself is not
 * needed to run the test.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_PRESETS, TRAIN_PRESETS } from '../../src/config';
import { splitTokens } from '../../src/data/dataset';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { buildTokenizer } from '../../src/tokenizer';
import { Trainer } from '../../src/train/trainer';
import { backend, readCorpus } from '../helpers';

interface Fixture {
  seed: number;
  steps: number;
  warmupSteps: number;
  decaySteps: number;
  losses: number[];
  gradNorms: number[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/nanogpt-recipe.json', import.meta.url), 'utf8')) as Fixture;

beforeAll(() => backend('wasm'));

describe("nanoGPT's recipe", () => {
  it('trains the cpu preset to the losses and gradient norms PyTorch computes from the same start and batches', async () => {
    const text = readCorpus('tinyshakespeare.txt');
    const tokenizer = buildTokenizer(text, { kind: 'char', vocabSize: 0 });
    const config = { ...MODEL_PRESETS.cpu, vocabSize: tokenizer.vocabSize };
    const data = splitTokens(tokenizer.encode(text), config.blockSize);
    const model = createGPT(config, fixture.seed);
    const trainer = new Trainer(model, data, { ...TRAIN_PRESETS.cpu, seed: fixture.seed, warmupSteps: fixture.warmupSteps, decaySteps: fixture.decaySteps });
    try {
      for (let s = 0; s < fixture.steps; s++) trainer.trainStep();
      const points = await trainer.readLosses();
      expect(points).toHaveLength(fixture.steps);
      // PyTorch and Folio differ in summation order only: measured, ≤ 7e-6 over these steps.
      points.forEach((p, i) => {
        expect(Math.abs(p.loss - fixture.losses[i]!), `loss at step ${i + 1}`).toBeLessThan(1e-4);
        expect(Math.abs(p.gradNorm - fixture.gradNorms[i]!) / fixture.gradNorms[i]!, `gradient norm at step ${i + 1}`).toBeLessThan(1e-3);
      });
      // The schedule reached its floor: the last steps ran at 1e-4.
      expect(points.at(-1)!.lr).toBeCloseTo(1e-4, 10);
    } finally {
      trainer.dispose();
      disposeGPT(model);
    }
  });
});
