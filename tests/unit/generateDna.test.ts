/**
 * Writing DNA in overlapping 3-mers (predict/predictor.ts `generate`): each token adds one
 * base, and the k-mers written are the genome's own overlapping k-mers — read back, the prompt
 * and the new bases give exactly the prompt's tokens and the generated ones. With the bundled
 * model (corpus/pretrained/dna-nano) and with random weights, which would put weight on
 * k-mers that continue nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/checkpoint/checkpoint';
import { fileHandler } from '../../src/cli/fileHandler';
import { createGPT, disposeGPT, type GPT } from '../../src/model/gpt';
import { generate, type GeneratedToken } from '../../src/predict/predictor';
import type { Tokenizer } from '../../src/tokenizer';
import { KmerTokenizer } from '../../src/tokenizer/kmer';
import { backend, root, tinyConfig } from '../helpers';
import path from 'node:path';

beforeAll(() => backend('wasm'));

const PROMPT = 'GCGTTATAAAGGCGCATTCGAT';

async function write(model: GPT, tok: Tokenizer, o: { temperature: number; greedy: boolean; seed: number }): Promise<GeneratedToken[]> {
  const out: GeneratedToken[] = [];
  for await (const t of generate(model, tok, PROMPT, { ...o, topK: 0, topP: 1, maxTokens: 200 })) out.push(t);
  return out;
}

function expectGenome(tok: Tokenizer, tokens: GeneratedToken[]) {
  expect(tokens).toHaveLength(200);
  const bases = tokens.map((t) => t.text).join('');
  expect(bases).toMatch(/^[ACGT]{200}$/); // one new base per token
  // The prompt continued: the overlapping 3-mers of prompt + bases are the prompt's tokens, then the ones written.
  expect(tok.encode(PROMPT + bases)).toEqual([...tok.encode(PROMPT), ...tokens.map((t) => t.id)]);
  expect(tok.decode([...tok.encode(PROMPT), ...tokens.map((t) => t.id)])).toBe(PROMPT + bases);
  for (const t of tokens) {
    expect(t.token).toMatch(/^[ACGT]{3}$/); // the hover shows the whole k-mer …
    expect(t.token!.endsWith(t.text)).toBe(true); // … whose last base is the new one
    expect(t.alternatives.map((a) => a.token.slice(0, 2))).toEqual(Array(4).fill(t.token!.slice(0, 2))); // the four k-mers that continue
  }
}

describe('generating DNA in overlapping 3-mers', () => {
  it('the bundled model: 200 tokens are 200 new bases that continue the prompt (greedy and sampled)', async () => {
    const { model, tokenizer: tok } = await loadCheckpoint(fileHandler(path.join(root, 'corpus/pretrained/dna-nano')));
    for (const o of [
      { temperature: 1, greedy: false, seed: 3 },
      { temperature: 1, greedy: true, seed: 1 },
    ]) {
      const tokens = await write(model, tok, o);
      expectGenome(tok, tokens);
      // The probability shown is the model's own; a trained model gives a k-mer that continues nearly everything.
      expect(tokens.reduce((s, t) => s + t.alternatives.reduce((a, b) => a + b.p, 0), 0) / tokens.length).toBeGreaterThan(0.95);
    }
    disposeGPT(model);
  }, 60_000);

  it('random weights, temperature 2: still only k-mers that continue the bases', async () => {
    const tok = KmerTokenizer.train('ACGT', 3, true);
    const model = createGPT(tinyConfig(tok.vocabSize, { nLayer: 1 }), 11);
    expectGenome(tok, await write(model, tok, { temperature: 2, greedy: false, seed: 5 }));
    disposeGPT(model);
  }, 60_000);

  it('tiled 3-mers and characters are unchanged: a token adds its whole text', async () => {
    const tiled = KmerTokenizer.train('ACGT', 3, false);
    const model = createGPT(tinyConfig(tiled.vocabSize, { nLayer: 1 }), 2);
    const tokens = await write(model, tiled, { temperature: 1, greedy: false, seed: 1 });
    for (const t of tokens) expect(t.text).toBe(tiled.tokenText(t.id));
    expect(tokens.every((t) => t.token === undefined)).toBe(true);
    disposeGPT(model);
  });
});
