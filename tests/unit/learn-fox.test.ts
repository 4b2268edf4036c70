import { beforeAll, describe, expect, it } from 'vitest';
import { FOX_ENDINGS, generateFox } from '../../corpus/generate-fox';
import { disposeGPT } from '../../src/model/gpt';
import { predictNext } from '../../src/predict/predictor';
import { backend, readCorpus } from '../helpers';
import { trainNano } from '../learn';

const FOX_STEPS = 400;

beforeAll(() => backend('wasm'));

describe('learning a known distribution', () => {
  it('corpus/fox.txt is exactly what its seeded generator writes', () => {
    expect(readCorpus('fox.txt')).toBe(generateFox());
  });

  it('nano on fox.txt (char) ranks the words after "the quick brown fox jumps over the lazy" within 0.1 of the truth', async () => {
    const { tok, model, seconds, evalResult } = await trainNano(readCorpus('fox.txt'), FOX_STEPS);
    const r = await predictNext(model, tok, 'the quick brown fox jumps over the lazy');
    disposeGPT(model);
    const got = Object.fromEntries(r.words.map((w) => [w.word, w.p]));
    console.log(
      `fox: ${FOX_STEPS} steps in ${seconds.toFixed(0)} s, val ${evalResult.val.toFixed(3)}; ` +
        Object.entries(FOX_ENDINGS)
          .map(([w, p]) => `${w} ${(got[w] ?? 0).toFixed(3)} (truth ${p})`)
          .join(', '),
    );
    expect(r.words[0]!.word).toBe('dog');
    for (const [word, p] of Object.entries(FOX_ENDINGS)) expect(Math.abs((got[word] ?? 0) - p), word).toBeLessThan(0.1);
  }, 600_000);
});
