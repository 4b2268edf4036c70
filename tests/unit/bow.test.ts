/**
 * The bundled "bow" model (corpus/pretrained/bow-nano, trained by the CLI on corpus/bow.txt):
 * after the article's stage sentence it expects a stage bow to go on ("to the audience",
 * "as the crowd cheered"), after the archery sentence an archer's ("and some arrows",
 * "for target practice") — the side-by-side view's two sides differ, in the right direction.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHERY_AFTER, generateBow, STAGE_AFTER } from '../../corpus/generate-bow';
import { loadCheckpoint, type LoadedCheckpoint } from '../../src/checkpoint/checkpoint';
import { fileHandler } from '../../src/cli/fileHandler';
import { disposeGPT } from '../../src/model/gpt';
import { viewSentence } from '../../src/predict/bowView';
import { nextTokenProbs } from '../../src/predict/predictor';
import { BOW_SENTENCES } from '../../src/state/store';
import { Session } from '../../src/worker/session';
import type { Answer, FromWorker } from '../../src/worker/protocol';
import { readFileSync } from 'node:fs';
import { backend, readCorpus, root } from '../helpers';

let m: LoadedCheckpoint;

beforeAll(async () => {
  await backend('cpu');
  m = await loadCheckpoint(fileHandler(`${root}corpus/pretrained/bow-nano`));
  return () => disposeGPT(m.model);
});

/** log P(continuation | prompt), token by token. */
async function logProb(prompt: string, continuation: string): Promise<number> {
  const ids = m.tokenizer.encode(prompt);
  const next = m.tokenizer.encode(prompt + continuation).slice(ids.length);
  expect(m.tokenizer.decode([...ids, ...next])).toBe(prompt + continuation);
  const contexts = next.map((_, i) => [...ids, ...next.slice(0, i)]);
  const probs = await nextTokenProbs(m.model, contexts);
  return next.reduce((s, id, i) => s + Math.log(probs[i]![id]!), 0);
}

const firstWords = (xs: readonly string[]) => new Set(xs.map((x) => x.split(' ')[0]!));

describe('the bow corpus and model', () => {
  it('corpus/bow.txt is exactly what its seeded generator writes, with both article sentences', () => {
    const text = readCorpus('bow.txt');
    expect(text).toBe(generateBow());
    expect(text).toContain('At the end of the show, the singer took a bow multiple times.');
    expect(text).toContain('Jack wanted to go to the store to buy a new bow for target practice.');
    // The two senses go on with different first words, so the next word alone tells them apart.
    for (const w of firstWords(STAGE_AFTER)) expect(firstWords(ARCHERY_AFTER).has(w)).toBe(false);
  });

  it('the bundled checkpoint is small: the word model without optimizer state, under 1 MB', () => {
    expect(m.meta.tokenizer.kind).toBe('word');
    expect(m.optimizerState).toBeUndefined();
    expect(m.model.named.reduce((n, p) => n + p.variable.size, 0) * 4).toBeLessThan(1_000_000);
  });

  it('after the stage sentence, stage words come next; after the archery sentence, archery words', async () => {
    const stage = await viewSentence(m.model, m.tokenizer, BOW_SENTENCES.bowShow);
    const archery = await viewSentence(m.model, m.tokenizer, BOW_SENTENCES.bowTarget);
    const mass = (v: typeof stage, words: Set<string>) => v.prediction.words.filter((w) => words.has(w.word)).reduce((s, w) => s + w.p, 0);
    const S = firstWords(STAGE_AFTER);
    const A = firstWords(ARCHERY_AFTER);
    const said = {
      stage: {
        stageWords: mass(stage, S),
        archeryWords: mass(stage, A),
        next: stage.prediction.words.slice(0, 4).map((w) => `${w.word} ${w.p.toFixed(2)}`),
        goesOn: stage.continuation,
      },
      archery: {
        stageWords: mass(archery, S),
        archeryWords: mass(archery, A),
        next: archery.prediction.words.slice(0, 4).map((w) => `${w.word} ${w.p.toFixed(2)}`),
        goesOn: archery.continuation,
      },
    };
    console.log('bow model:', JSON.stringify(said));
    expect(said.stage.stageWords).toBeGreaterThan(0.6);
    expect(said.stage.archeryWords).toBeLessThan(0.2);
    expect(said.archery.archeryWords).toBeGreaterThan(0.6);
    expect(said.archery.stageWords).toBeLessThan(0.2);
    expect(S.has(stage.prediction.words[0]!.word)).toBe(true);
    expect(A.has(archery.prediction.words[0]!.word)).toBe(true);
    // Both sentences end in "bow", which the model reads as one token; attention rows sum to 1.
    for (const v of [stage, archery]) {
      expect(v.tokens.at(-1)).toBe('bow');
      const last = v.maps[0]![0]!.at(-1)!;
      expect(last.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 4);
    }
  });

  it('whole continuations: "audience" and "applause" phrases are likelier after the stage, "arrows" after the store', async () => {
    const audience = [' to the audience.', ' as the audience applauded.', ' before the applause ended.'];
    const arrows = [' and some arrows.', ' with ten sharp arrows.', ' and a quiver of arrows.'];
    for (const c of audience) {
      const d = (await logProb(BOW_SENTENCES.bowShow, c)) - (await logProb(BOW_SENTENCES.bowTarget, c));
      expect(d, c).toBeGreaterThan(Math.log(10)); // at least 10× likelier after the stage sentence
    }
    for (const c of arrows) {
      const d = (await logProb(BOW_SENTENCES.bowTarget, c)) - (await logProb(BOW_SENTENCES.bowShow, c));
      expect(d, c).toBeGreaterThan(Math.log(10));
    }
  });

  it('the worker reads both sentences with the bow model it is sent, beside the live model, and says why it cannot', async () => {
    const sent: FromWorker[] = [];
    const session = new Session({ post: (m) => void sent.push(m), chooseBackend: async () => ({ name: 'cpu', label: 'CPU', skipped: [], requested: 'cpu' }) });
    const dir = `${root}corpus/pretrained/bow-nano/`;
    const weights = readFileSync(`${dir}weights.bin`);
    const files = {
      json: readFileSync(`${dir}model.json`, 'utf8'),
      weights: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    };
    await session.handle({ type: 'init', requestId: 1, backend: 'cpu' });
    await session.handle({ type: 'bowView', requestId: 7, files, sentences: [BOW_SENTENCES.bowShow, BOW_SENTENCES.bowTarget] });
    const answer = sent.find((m): m is Answer<'bowView'> => m.type === 'answer' && m.kind === 'bowView');
    expect(answer?.requestId).toBe(7);
    expect(answer!.views.map((v) => v.tokens.at(-1))).toEqual(['bow', 'bow']);
    expect(answer!.views[0]!.continuation).not.toBe(answer!.views[1]!.continuation);
    expect(sent.some((m) => m.type === 'model')).toBe(false); // beside the live model (there is none here), never replacing it
    const broken = new Session({ post: (m) => void sent.push(m), chooseBackend: async () => ({ name: 'cpu', label: 'CPU', skipped: [], requested: 'cpu' }) });
    await broken.handle({ type: 'bowView', requestId: 8, files: { json: '{', weights: new ArrayBuffer(0) }, sentences: ['a bow'] });
    expect(sent.at(-1)).toMatchObject({ type: 'failed', kind: 'bowView', requestId: 8, scope: 'predict' });
  });
});
