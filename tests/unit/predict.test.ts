import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/rng';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { asLogits, asProbs, softmax, topK, type Probs } from '../../src/predict/probs';
import { attentionMaps, generate, predictNext, PromptError } from '../../src/predict/predictor';
import { argmax, sampleToken, samplingDistribution } from '../../src/predict/sample';
import { completedWord, rankNextWords, wordProbability } from '../../src/predict/words';
import { buildTokenizer } from '../../src/tokenizer';
import { backend, tinyConfig } from '../helpers';

beforeAll(() => backend('cpu'));

describe('probabilities', () => {
  it('softmax is stable and honours temperature', () => {
    const p = softmax(asLogits(new Float32Array([1000, 1001, 1002])));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(p[2]).toBeCloseTo(Math.exp(2) / (1 + Math.E + Math.exp(2)), 6);
    const hot = softmax(asLogits(new Float32Array([0, 1])), 100);
    const cold = softmax(asLogits(new Float32Array([0, 1])), 0.01);
    expect(hot[1]).toBeCloseTo(0.5, 2);
    expect(cold[1]).toBeCloseTo(1, 6);
  });

  it('topK returns the most likely ids first', () => {
    expect(topK(asProbs(new Float32Array([0.1, 0.5, 0.4])), 2)).toEqual([
      { id: 1, p: 0.5 },
      { id: 2, p: Math.fround(0.4) },
    ]);
  });
});

describe('sampling', () => {
  const logits = asLogits(new Float32Array([Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)]));
  const base = { temperature: 1, topK: 0, topP: 1, greedy: false };

  it('greedy always takes the argmax', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 20; i++) expect(sampleToken(logits, { ...base, greedy: true }, rng)).toBe(0);
  });

  it('top-k and top-p cut the distribution and renormalise', () => {
    const k2 = samplingDistribution(logits, { ...base, topK: 2 });
    expect(Array.from(k2).map((x) => +x.toFixed(4))).toEqual([0.625, 0.375, 0, 0]);
    const p = samplingDistribution(logits, { ...base, topP: 0.9 }); // 0.5 + 0.3 + 0.15 ≥ 0.9
    expect(Array.from(p).map((x) => +x.toFixed(4))).toEqual([0.5263, 0.3158, 0.1579, 0]);
  });

  it('draws tokens with the model’s frequencies (seeded)', () => {
    const rng = new Rng(7);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleToken(logits, base, rng)]!++;
    expect(counts.map((c) => +(c / 20000).toFixed(2))).toEqual([0.5, 0.3, 0.15, 0.05]);
    expect(argmax(counts)).toBe(0);
  });
});

describe('ranked next words', () => {
  it('finds where the next word ends', () => {
    expect(completedWord(' do')).toBeUndefined();
    expect(completedWord(' dog')).toBeUndefined();
    expect(completedWord(' dog ')).toBe('dog');
    expect(completedWord(' dog.')).toBe('dog');
    expect(completedWord('.')).toBe('.');
    expect(completedWord('  \n')).toBeUndefined();
    expect(completedWord(' ação,')).toBe('ação');
  });

  // A hand-made "model" over characters: after the prompt comes " ", then
  // dog (0.6, ended by "." or " "), cat (0.4·0.5) or cow (0.4·0.5).
  const tok = buildTokenizer('lazy dog. cat cow', { kind: 'char', vocabSize: 0 });
  const table: Record<string, Record<string, number>> = {
    '': { ' ': 1 },
    ' ': { d: 0.6, c: 0.4 },
    ' d': { o: 1 },
    ' do': { g: 1 },
    ' dog': { '.': 0.5, ' ': 0.5 },
    ' c': { a: 0.5, o: 0.5 },
    ' ca': { t: 1 },
    ' cat': { ' ': 1 },
    ' co': { w: 1 },
    ' cow': { '.': 1 },
  };
  const prompt = tok.encode('lazy');
  const fake = async (contexts: number[][]): Promise<Probs[]> =>
    contexts.map((c) => {
      const after = tok.decode(c.slice(prompt.length));
      const p = new Float32Array(tok.vocabSize);
      for (const [ch, q] of Object.entries(table[after] ?? {})) p[tok.encode(ch)[0]!] = q;
      return p as Probs;
    });

  it('multiplies token probabilities along each spelling and sums the spellings', async () => {
    const r = await rankNextWords(fake, tok, prompt);
    expect(r.words.map((w) => w.word)).toEqual(['dog', 'cat', 'cow']);
    expect(r.words[0]!.p).toBeCloseTo(0.6, 6);
    expect(r.words[1]!.p).toBeCloseTo(0.2, 6);
    expect(r.words[2]!.p).toBeCloseTo(0.2, 6);
    expect(r.uncovered).toBeCloseTo(0, 6);
  });

  it('reports the mass it did not reach instead of inventing it', async () => {
    // Each word here takes 5 tokens (" ", 3 letters, an ending): 4 reach none of them.
    const short = await rankNextWords(fake, tok, prompt, { maxDepth: 4 });
    expect(short.words).toEqual([]);
    expect(short.uncovered).toBeCloseTo(1, 6);
    // A narrow beam keeps only the best branch: dog is found, the rest is reported uncovered.
    const narrow = await rankNextWords(fake, tok, prompt, { beamWidth: 1, topWords: 1 });
    expect(narrow.words).toEqual([{ word: 'dog', p: expect.closeTo(0.6, 6) }]);
    expect(narrow.uncovered).toBeCloseTo(0.4, 6);
  });

  it('tells a word that continues the prompt’s last word ("lazy" + "y") from a new word', async () => {
    const t2: Record<string, Record<string, number>> = {
      '': { ' ': 0.7, y: 0.3 },
      ' ': { d: 1 },
      ' d': { o: 1 },
      ' do': { g: 1 },
      ' dog': { '.': 1 },
      y: { ' ': 1 },
    };
    const next = async (contexts: number[][]): Promise<Probs[]> =>
      contexts.map((c) => {
        const p = new Float32Array(tok.vocabSize);
        for (const [ch, q] of Object.entries(t2[tok.decode(c.slice(prompt.length))] ?? {})) p[tok.encode(ch)[0]!] = q;
        return p as Probs;
      });
    const r = await rankNextWords(next, tok, prompt);
    expect(r.words).toEqual([
      { word: 'dog', p: expect.closeTo(0.7, 6) },
      { word: 'y', p: expect.closeTo(0.3, 6), continues: true }, // "lazyy": the tokenizer knows no "s"
    ]);
  });

  it('a word tokenizer never continues the prompt’s last word: no "lazy|lazy", no "lazy|Emma"', async () => {
    const wt = buildTokenizer('the lazy dog. Emma lazy dog', { kind: 'word', vocabSize: 64 });
    const wp = wt.encode('the lazy');
    const id = (s: string) => wt.encode(s)[0]!;
    // After "lazy": a space (0.7), or the word tokens "lazy" and "Emma" glued on (0.2, 0.1).
    const t3: Record<string, Record<string, number>> = {
      '': { ' ': 0.7, lazy: 0.2, Emma: 0.1 },
      ' ': { dog: 1 },
      ' dog': { '.': 1 },
      lazy: { ' ': 1 },
      Emma: { ' ': 1 },
    };
    const next = async (contexts: number[][]): Promise<Probs[]> =>
      contexts.map((c) => {
        const p = new Float32Array(wt.vocabSize);
        for (const [piece, q] of Object.entries(t3[wt.decode(c.slice(wp.length))] ?? {})) p[id(piece)] = q;
        return p as Probs;
      });
    const r = await rankNextWords(next, wt, wp);
    expect(r.words).toEqual([{ word: 'dog', p: expect.closeTo(0.7, 6) }]);
    expect(r.uncovered).toBeCloseTo(0.3, 6); // the glued spellings are not words, and are said to be missing
  });

  it('gives one word’s probability (the tracked word), equal to the ranked value', async () => {
    expect(await wordProbability(fake, tok, prompt, 'lazy', 'dog')).toBeCloseTo(0.6, 6);
    expect(await wordProbability(fake, tok, prompt, 'lazy', 'cat')).toBeCloseTo(0.2, 6);
    expect(await wordProbability(fake, tok, prompt, 'lazy', ' cow ')).toBeCloseTo(0.2, 6);
    // "do" is a prefix of "dog" but never ends there; "cot" is spellable but never said.
    expect(await wordProbability(fake, tok, prompt, 'lazy', 'do')).toBe(0);
    expect(await wordProbability(fake, tok, prompt, 'lazy', 'cot')).toBe(0);
    // A word with letters the tokenizer lacks cannot be spelled at all.
    expect(await wordProbability(fake, tok, prompt, 'lazy', 'zebra!')).toBe(0);
  });
});

describe('predictor on a real (untrained) model', () => {
  const tok = buildTokenizer('The quick brown fox jumps over the lazy dog.\n', { kind: 'char', vocabSize: 0 });
  let model: ReturnType<typeof createGPT>;
  beforeAll(() => {
    model = createGPT(tinyConfig(tok.vocabSize, { blockSize: 8 }), 3);
  });

  it('returns top tokens and words whose probabilities sum to ≤ 1, cropping long prompts', async () => {
    const r = await predictNext(model, tok, 'The quick brown fox jumps over the lazy', { topTokens: 5, beam: { maxDepth: 6 } });
    expect(r.tokens).toHaveLength(5);
    expect(r.tokens[0]!.p).toBeGreaterThanOrEqual(r.tokens[1]!.p);
    const sum = r.words.reduce((s, w) => s + w.p, 0);
    expect(sum).toBeLessThanOrEqual(1 + 1e-6);
    expect(sum + r.otherWords + r.uncovered).toBeCloseTo(1, 5);
    expect(r.contextTokens).toBe(8);
    expect(r.croppedTokens).toBe(39 - 8);
  });

  it('temperature reshapes the ranked tokens as sampling at it would, and leaves the tracked word at 1', async () => {
    const prompt = 'The quick brown fox';
    const at = (temperature?: number) =>
      predictNext(model, tok, prompt, { topTokens: 20, beam: { maxDepth: 3 }, track: 'dog', ...(temperature !== undefined ? { temperature } : {}) });
    const one = await at();
    expect(await at(1)).toEqual(one);
    const cold = await at(0.3);
    const hot = await at(3);
    // The same order (a monotone reshaping), the top token sharper when cold and flatter when hot…
    expect(cold.tokens.map((t) => t.id)).toEqual(one.tokens.map((t) => t.id));
    expect(cold.tokens[0]!.p).toBeGreaterThan(one.tokens[0]!.p);
    expect(hot.tokens[0]!.p).toBeLessThan(one.tokens[0]!.p);
    // …exactly softmax(logits ÷ T): the ratio of two tokens' probabilities is raised to 1/T.
    const [a, b] = [one.tokens[0]!, one.tokens[1]!];
    const [ca, cb] = [cold.tokens.find((t) => t.id === a.id)!, cold.tokens.find((t) => t.id === b.id)!];
    expect(Math.log(ca.p / cb.p)).toBeCloseTo(Math.log(a.p / b.p) / 0.3, 3);
    // The tracked word is the model's own probability, whatever the bars show.
    expect(cold.tracked!.p).toBeCloseTo(one.tracked!.p, 6);
    expect(hot.tracked!.p).toBeCloseTo(one.tracked!.p, 6);
  });

  it('reports unknown characters and refuses an empty prompt with a message', async () => {
    const r = await predictNext(model, tok, 'lazy ∑', { beam: { maxDepth: 3 } });
    expect(r.unknown).toEqual(['∑']);
    await expect(predictNext(model, tok, '')).rejects.toThrow(PromptError);
    await expect(predictNext(model, tok, '∑∑')).rejects.toThrow(/vocabulary/);
  });

  it('gives attention maps and generates seeded text', async () => {
    const att = await attentionMaps(model, tok.encode('the fox'));
    expect(att).toHaveLength(1);
    expect(att[0]).toHaveLength(2);
    expect(att[0]![0]).toHaveLength(7);
    const run = async () => {
      const out: string[] = [];
      for await (const t of generate(model, tok, 'the ', { temperature: 1, topK: 0, topP: 1, greedy: false, maxTokens: 12, seed: 5 })) {
        expect(t.p).toBeGreaterThan(0);
        expect(t.alternatives).toHaveLength(5);
        out.push(t.text);
      }
      return out.join('');
    };
    const a = await run();
    expect(a).toHaveLength(12);
    expect(await run()).toBe(a);
    expect(tf.memory().numTensors).toBe(model.named.length);
    disposeGPT(model);
  });
});
