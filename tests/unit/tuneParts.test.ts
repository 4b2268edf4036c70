/**
 * Fine-tuning's parts, each on its own (tiny models, the cpu backend): data fitted to the
 * context (the prompt keeps its end, an answer too long is cut, both counted; the same
 * text twice is no pair), the pairs held out by prompt, the prompt format read off the
 * pairs, corpus windows the data does not touch (the meter's end where a word starts), the cost meter (zero for the model
 * itself), samples that stop at a sentence's end, and a stage the KL budget stops.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { buildTokenizer } from '../../src/tokenizer';
import { splitTokens } from '../../src/data/dataset';
import { CostMeter } from '../../src/train/finetune/costMeter';
import { TUNE_DEFAULTS } from '../../src/train/finetune/preference';
import { PretrainText, wordEdges } from '../../src/train/finetune/pretrainText';
import { formatAnswer, formatQuestion, inferFormat } from '../../src/train/finetune/qaFormat';
import { holdOut } from '../../src/train/finetune/rlhf';
import { endMarks, sampleCompletions } from '../../src/train/finetune/sampling';
import { startStage } from '../../src/train/finetune/stage';
import { encodePairs, encodeSft, fitLengths } from '../../src/train/finetune/tuneData';
import { copyGPT } from '../../src/train/finetune/tuning';
import { noticeText } from '../../src/i18n';
import { parseExtra } from '../../src/checkpoint/checkpoint';
import { backend, tinyConfig } from '../helpers';

const TEXT = 'the cat sat on the mat. the dog ran to the park. a bird sang in the tree. '.repeat(40);
const tok = buildTokenizer(TEXT, { kind: 'char', vocabSize: 0 });

beforeAll(() => backend('cpu'));

describe('data fitted to the context', () => {
  it('keeps the prompt’s end and the answer’s start, and counts what it cut', () => {
    expect(fitLengths(39, 4, 32)).toEqual({ prompt: 29, completion: 4 }); // the fox sentence on a 32-character model
    expect(fitLengths(5, 40, 32)).toEqual({ prompt: 5, completion: 28 });
    expect(fitLengths(20, 20, 32)).toEqual({ prompt: 16, completion: 17 }); // the prompt keeps half the context
    expect(fitLengths(3, 2, 32)).toEqual({ prompt: 3, completion: 2 });
    const long = 'the dog ran to the park. the cat sat on the';
    const { pairs, fit } = encodePairs(
      [
        { prompt: long, chosen: ' mat.', rejected: ' tree.' },
        { prompt: 'the cat', chosen: ' sat', rejected: ' sat' },
      ],
      tok,
      32,
    );
    expect(fit).toEqual({ count: 1, croppedPrompts: 1, cutCompletions: 0, identical: 1, context: 32 });
    expect(tok.decode(pairs[0]!.prompt)).toBe(long.slice(-(33 - 6))); // room 33 − the longer answer (6)
    const sft = encodeSft([{ prompt: 'a bird', completion: TEXT.slice(0, 50) }], tok, 16);
    expect(sft.fit).toMatchObject({ croppedPrompts: 0, cutCompletions: 1 });
    expect(sft.examples[0]!.completion).toHaveLength(17 - 6);
    expect(noticeText('en', { code: 'tuneFit', params: fit })).toMatch(
      /^1 prompt was longer .* kept only its end.*1 pair with the same text twice was left out/,
    );
    expect(noticeText('pt', { code: 'tuneFit', params: fit })).toMatch(/^1 prompt era mais longo/);
  });

  it('holds out every fifth prompt with all its pairs (else every fifth pair)', () => {
    const pair = (p: number) => ({ prompt: [p], chosen: [1], rejected: [2] });
    const many = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((p) => [pair(p), pair(p)]);
    const { train, heldOut } = holdOut(many);
    expect(new Set(heldOut.map((p) => p.prompt[0]))).toEqual(new Set([4, 9]));
    expect(train.some((p) => p.prompt[0] === 4)).toBe(false);
    const one = Array.from({ length: 10 }, () => pair(0));
    expect(holdOut(one).heldOut).toHaveLength(2);
    expect(holdOut(one.slice(0, 3)).heldOut).toHaveLength(3); // too few: all train, all measure
  });
});

describe('the prompt format of instruction pairs', () => {
  it('travels with its stage in a checkpoint; a damaged one is dropped, the stage kept', () => {
    const format = { before: '', after: '? ', lead: '', end: '.' };
    const stages = [
      { kind: 'pretrain', steps: 600 },
      { kind: 'sft', steps: 20, reference: 'abcd1234', format },
      { kind: 'dpo', steps: 5, format: { before: 1 } },
    ];
    expect(parseExtra({ stages })?.stages).toEqual([
      { kind: 'pretrain', steps: 600 },
      { kind: 'sft', steps: 20, reference: 'abcd1234', format },
      { kind: 'dpo', steps: 5 },
    ]);
  });

  it('reads the marks around the question and the answer’s end, not shared words', () => {
    const fox = [
      { prompt: 'who is lazy? ', completion: 'the dog.' },
      { prompt: 'who is quick? ', completion: 'the fox.' },
      { prompt: 'who jumps over the dog? ', completion: 'the fox.' },
    ];
    const f = inferFormat(fox);
    expect(f).toEqual({ before: '', after: '? ', lead: '', end: '.' }); // not "who " before, not "x." at the end
    expect(formatQuestion(f, 'who is brown')).toBe('who is brown? ');
    expect(formatQuestion(f, 'who is brown?')).toBe('who is brown? ');
    expect(formatAnswer(f, 'the fox')).toBe('the fox.');
    const qa = inferFormat([
      { prompt: 'Q: who sells bread?\nA:', completion: ' the baker\n' },
      { prompt: 'Q: what grows?\nA:', completion: ' corn\n' },
    ]);
    expect(qa).toEqual({ before: 'Q: ', after: '?\nA:', lead: ' ', end: '\n' });
    expect(formatQuestion(qa, 'who walks')).toBe('Q: who walks?\nA:');
    expect(formatAnswer(qa, 'Anna')).toBe(' Anna\n');
  });
});

describe('the corpus as the stage uses it', () => {
  it('leaves out the windows that contain the end of a tuning prompt', () => {
    const ds = splitTokens(tok.encode(TEXT), 16);
    const text = new PretrainText(ds.train, ds.val, 16, [tok.encode('where did the dog ran to')], wordEdges(tok));
    expect(text.touches(Int32Array.from(tok.encode('x the dog ran to the')))).toBe(true);
    expect(text.touches(Int32Array.from(tok.encode('a bird sang in the tree')))).toBe(false);
    const probes = text.probes(16, 1);
    expect(probes).toHaveLength(16);
    for (const p of probes) {
      expect(text.touches(p)).toBe(false);
      expect(tok.tokenText(p.at(-1)!)).toBe(' '); // a prompt that ends where a word starts
    }
    expect(text.probes(16, 1)).toEqual(probes); // a fixed set
    const b = text.batch(4, 1, 7);
    expect([b.B, b.T]).toEqual([4, 16]);
    expect(Array.from(b.x.slice(1, 16))).toEqual(Array.from(b.y.slice(0, 15))); // next-token windows
  });

  it('the cost meter reads zero for the model itself and more once it changed', async () => {
    const model = createGPT(tinyConfig(tok.vocabSize, { blockSize: 16 }), 3);
    const ds = splitTokens(tok.encode(TEXT), 16);
    const meter = new CostMeter(model, new PretrainText(ds.train, ds.val, 16, []).probes(8, 1));
    expect(meter.prompts).toBe(8);
    const same = await meter.measure(model);
    expect(same.kl).toBeCloseTo(0, 6);
    expect(same.tv).toBeCloseTo(0, 6);
    const other = copyGPT(model);
    tf.tidy(() => other.named[0]!.variable.assign(tf.mul(other.named[0]!.variable, 3)));
    const moved = await meter.measure(other);
    expect(moved.kl).toBeGreaterThan(0.001);
    expect(moved.tv).toBeGreaterThan(0.001);
    expect(moved.tv).toBeLessThanOrEqual(1);
    meter.dispose();
    disposeGPT(model);
    disposeGPT(other);
  });
});

describe('whole samples', () => {
  it('stop at a sentence’s end, and the same seed writes the same text', async () => {
    const model = createGPT(tinyConfig(tok.vocabSize, { blockSize: 16 }), 4);
    const ends = endMarks(tok);
    expect([...ends].map((id) => tok.tokenText(id))).toEqual(['.']);
    const prompts = Array.from({ length: 12 }, () => tok.encode('the cat'));
    const a = await sampleCompletions(model, prompts, 10, ends, 5);
    expect(a.every((c) => c.length >= 1 && c.length <= 10)).toBe(true);
    for (const c of a) c.slice(0, -1).forEach((id) => expect(ends.has(id)).toBe(false)); // only the last token may end it
    expect(await sampleCompletions(model, prompts, 10, ends, 5)).toEqual(a);
    disposeGPT(model);
  });
});

describe('a stage', () => {
  it('the KL budget stops it at the step the meter passed it, and says so', async () => {
    const policy = createGPT(tinyConfig(tok.vocabSize, { blockSize: 16 }), 6);
    const reference = copyGPT(policy);
    const numTensors = tf.memory().numTensors;
    const examples = encodeSft([{ prompt: 'the cat', completion: ' ran.' }], tok, 16).examples;
    const corpus = splitTokens(tok.encode(TEXT), 16);
    const cfg = { ...TUNE_DEFAULTS, lr: 3e-2, keep: 0 };
    const stage = startStage({
      method: 'sft',
      policy,
      reference,
      tokenizer: tok,
      data: { examples },
      corpus,
      cfg,
      steps: 200,
      settings: { klBudget: 0.05, measureEvery: 5 },
    });
    while (!stage.done) await stage.advance();
    const metrics = await stage.read();
    expect(stage.stopped).toBeDefined();
    expect(stage.step).toBe(stage.stopped!.step);
    expect(stage.step % 5).toBe(0);
    expect(stage.step).toBeLessThan(200);
    const costs = metrics.filter((m) => m.costKl !== undefined);
    expect(costs.map((m) => m.step)).toEqual(Array.from({ length: stage.step / 5 }, (_, i) => 5 * (i + 1)));
    expect(costs.at(-1)!.costKl).toBeGreaterThan(0.05);
    expect(costs.slice(0, -1).every((m) => m.costKl! <= 0.05)).toBe(true);
    const [n] = stage.outcome();
    expect(n).toMatchObject({ code: 'tuneBudgetStop', params: { step: stage.step, target: 200, budget: 0.05 } });
    expect(noticeText('en', n!)).toMatch(/^Stopped at step \d+ of 200: the KL .* over the budget of 0\.05/);
    stage.dispose();
    expect(tf.memory().numTensors).toBe(numTensors);
    disposeGPT(policy);
    disposeGPT(reference);
  });
});
