/**
 * `npm run finetune` end to end on the bundled fox model and the bundled data: DPO on
 * fox-feedback.jsonl raises P("cat") after "…the lazy" (read back by `predict`), SFT on
 * fox-instructions.jsonl cuts its loss, RLHF reports reward, KL, the reward model's
 * accuracy and its win rate; every stage reports the cost meter (the pre-training corpus
 * found from the checkpoint) and the hold on what the model knew; the saved checkpoint
 * records its stages. Bad input: one line on stderr, a non-zero exit, no stack trace.
 * The numbers on a held-out design (prompts longer than the context, the third word):
 * finetuneCliDesign.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers';
import { tempDir } from '../tempDir';

/** A CLI script as `npm run` starts it (same node flags as package.json). */
const run = (script: string, args: string[]) => {
  const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', path.join(root, 'src', 'cli', script), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const FOX = 'corpus/pretrained/fox-nano';
const FEEDBACK = 'corpus/finetune/fox-feedback.jsonl';
const INSTRUCTIONS = 'corpus/finetune/fox-instructions.jsonl';
const LAZY = 'The quick brown fox jumps over the lazy';

type Line = {
  step: number;
  loss: number;
  rewardMargin?: number;
  reward?: number;
  kl?: number;
  rmAccuracy?: number;
  winRate?: number;
  keepKl?: number;
  costKl?: number;
  costTv?: number;
};
const costs = { keepKl: expect.any(Number), costKl: expect.any(Number), costTv: expect.any(Number) };

function finetune(args: string[]): Line[] {
  const r = run('finetune.ts', [...args, '--seed', '1']);
  expect(r.err).not.toMatch(/^\s+at /m);
  expect(r.code, r.err).toBe(0);
  return r.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
}

/** P("cat") and P("dog") as the next word after `prompt`, from one `predict` run on a checkpoint folder. */
function catAndDog(dir: string, prompt: string): [cat: number, dog: number] {
  const r = run('predict.ts', ['--checkpoint', dir, '--prompt', prompt, '--top', '10', '--backend', 'wasm']);
  expect(r.code, r.err).toBe(0);
  const ranked = JSON.parse(r.out).words as { word: string; p: number }[];
  const p = (word: string) => ranked.find((w) => w.word === word)?.p ?? 0;
  return [p('cat'), p('dog')];
}

const stagesOf = (dir: string) =>
  JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')).modelTopology as {
    step: number;
    extra: { corpus?: string; stages: { kind: string; steps: number; reference?: string }[] };
  };

describe('npm run finetune', () => {
  const tmp = tempDir('finetune');
  const dpo = path.join(tmp, 'dpo');

  it('dpo on the bundled feedback raises P("cat") after "…the lazy"; predict reads the checkpoint; stages recorded', () => {
    const lines = finetune(['--checkpoint', FOX, '--method', 'dpo', '--data', FEEDBACK, '--steps', '30', '--out', dpo, '--backend', 'wasm']);
    expect(lines.map((l) => l.step)).toEqual([10, 20, 30]);
    for (const l of lines) expect(l).toEqual({ step: expect.any(Number), loss: expect.any(Number), rewardMargin: expect.any(Number), ...costs });
    expect(lines.at(-1)!.rewardMargin).toBeGreaterThan(0);

    const [catBefore, dogBefore] = catAndDog(FOX, LAZY);
    const [catAfter, dogAfter] = catAndDog(dpo, LAZY);
    console.log(
      `[finetune dpo, 30 steps] P(cat) ${catBefore.toFixed(3)} → ${catAfter.toFixed(3)}, P(dog) ${dogBefore.toFixed(3)} → ${dogAfter.toFixed(3)}; last line ${JSON.stringify(lines.at(-1))}`,
    );
    expect(catAfter).toBeGreaterThan(catBefore);
    expect(dogAfter).toBeLessThan(dogBefore);

    const meta = stagesOf(dpo);
    expect(meta.step).toBe(630);
    expect(meta.extra.corpus).toBe('fox.txt'); // the loaded extra's other fields stay
    expect(meta.extra.stages).toEqual([
      { kind: 'pretrain', steps: 600 },
      { kind: 'dpo', steps: 30, reference: expect.stringMatching(/^[0-9a-f]{8}$/) },
    ]);
  });

  it('sft on the bundled instructions cuts the loss, and appends its stage to the loaded history', () => {
    const sft = path.join(tmp, 'sft');
    const lines = finetune(['--checkpoint', dpo, '--method', 'sft', '--data', INSTRUCTIONS, '--steps', '30', '--out', sft, '--backend', 'wasm']);
    expect(lines.map((l) => l.step)).toEqual([10, 20, 30]);
    expect(Object.keys(lines[0]!)).toEqual(['step', 'loss', 'keepKl', 'costKl', 'costTv']);
    console.log(`[finetune sft, 30 steps] loss ${lines[0]!.loss.toFixed(3)} → ${lines.at(-1)!.loss.toFixed(3)}`);
    expect(lines.at(-1)!.loss).toBeLessThan(lines[0]!.loss);
    const stages = stagesOf(sft).extra.stages;
    expect(stages.map((s) => s.kind)).toEqual(['pretrain', 'dpo', 'sft']);
    expect(stages[2]!.reference).toMatch(/^[0-9a-f]{8}$/);
    expect(stages[2]!.reference).not.toBe(stages[1]!.reference); // the reference of sft is the dpo model
  });

  it('rlhf reports the reward model accuracy, then reward and KL', () => {
    const rlhf = path.join(tmp, 'rlhf');
    const lines = finetune(['--checkpoint', FOX, '--method', 'rlhf', '--data', FEEDBACK, '--steps', '50', '--out', rlhf, '--backend', 'wasm']);
    expect(lines.map((l) => l.step)).toEqual([10, 20, 30, 40, 50]);
    expect(lines[3]!.rmAccuracy).toBeGreaterThan(0.5); // after the 40 reward-model steps, on held-out pairs
    expect(lines[3]!.reward).toBeUndefined();
    expect(lines[3]!.costKl).toBe(0); // the reward model trained; the policy has not moved
    const last = lines.at(-1)!;
    console.log(`[finetune rlhf, 40 + 10 steps] last line ${JSON.stringify(last)}`);
    expect(last).toEqual({
      step: 50,
      loss: expect.any(Number),
      reward: expect.any(Number),
      kl: expect.any(Number),
      rmAccuracy: expect.any(Number),
      winRate: expect.any(Number),
      ...costs,
    });
    expect(last.kl).toBeGreaterThanOrEqual(0);
    expect(stagesOf(rlhf).extra.stages.at(-1)).toEqual({ kind: 'rlhf', steps: 50, reference: expect.stringMatching(/^[0-9a-f]{8}$/) });
  });

  describe('bad input: one line on stderr, non-zero exit, no stack trace', () => {
    const file = (name: string, text: string) => {
      const p = path.join(tmp, name);
      writeFileSync(p, text);
      return p;
    };
    const out = path.join(tmp, 'never');
    const base = (method: string, data: string) => ['--checkpoint', FOX, '--method', method, '--data', data, '--steps', '2', '--out', out, '--backend', 'cpu'];
    it.each([
      ['a missing field', () => base('dpo', file('missing.jsonl', '{"prompt":"the lazy","chosen":" cat"}\n')), /Line 1 has no text in "rejected"/],
      ['an empty file', () => base('sft', file('empty.jsonl', '\n\n')), /no examples/],
      [
        'a line that is not JSON',
        () => base('sft', file('notjson.jsonl', '{"prompt":"who is lazy? ","completion":"the dog."}\nwho is quick?\n')),
        /Line 2 is not a JSON object/,
      ],
      [
        'characters the tokenizer cannot encode',
        () => base('dpo', file('chars.jsonl', '{"prompt":"the lazy","chosen":" gatão!","rejected":" dog"}\n')),
        /Example 1 \(“the lazy”\) has characters .* cannot encode \(ã !\)/,
      ],
      [
        'only pairs with the same text twice',
        () => base('dpo', file('same.jsonl', '{"prompt":"the lazy","chosen":" dog","rejected":" dog"}\n')),
        /every pair has the same text twice/,
      ],
      ['a negative --kl-budget', () => [...base('dpo', FEEDBACK), '--kl-budget', '-1'], /--kl-budget must be a number of nats ≥ 0, or none \(got "-1"\)/],
      ['an unknown --keep', () => [...base('dpo', FEEDBACK), '--keep', 'maybe'], /--keep must be one of yes, no \(got "maybe"\)/],
      ['a missing --corpus', () => [...base('dpo', FEEDBACK), '--corpus', path.join(tmp, 'nope.txt')], /Corpus file not found: .*nope\.txt/],
      ['no --method', () => ['--checkpoint', FOX, '--data', FEEDBACK, '--steps', '2', '--out', out], /Missing --method/],
      ['an unknown --method', () => base('ppo', FEEDBACK), /--method must be one of sft, dpo, rlhf \(got "ppo"\)/],
      ['a missing data file', () => base('dpo', path.join(tmp, 'nope.jsonl')), /Data file not found: .*nope\.jsonl/],
      [
        'a missing checkpoint',
        () => ['--checkpoint', path.join(tmp, 'none'), '--method', 'dpo', '--data', FEEDBACK, '--steps', '2', '--out', out, '--backend', 'cpu'],
        /no checkpoint/,
      ],
    ] as const)('%s', (_, args, msg) => {
      const r = run('finetune.ts', args());
      expect(r.code).not.toBe(0);
      expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
      expect(r.err).toMatch(/^error: /);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/^\s+at /m);
      expect(r.out).toBe('');
    });
  });
});
