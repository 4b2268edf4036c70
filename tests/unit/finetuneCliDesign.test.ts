/**
 * `npm run finetune` on a held-out design, as a new user would write one (issue 26): the
 * bundled fox model (`nano`, char, context 32, trained 600 steps from scratch on fox.txt,
 * whose next-word distribution after "…the lazy" is known: dog 55 %, cat 20 %, cow 15 %,
 * pig 10 %) and a preference file whose prompts are the whole 39-character fox sentence,
 * preferring "cow" — the word it ranks third — over "dog" and "cat". Every prompt is cropped
 * (keeping its end) and the CLI says so; the cost meter and the hold on what it knew use fox.txt, found from
 * the checkpoint.
 *
 * - DPO: "cow" first; an unrelated prompt's ranked words within TV 0.25.
 * - RLHF: P(cow) up by 0.1 or more, the same bound, and the reward's verdict on stderr.
 * - SFT on the bundled questions (the page's seed, 1337): the taught answers first and the
 *   fox sentence's top word still "dog" with the hold on; without it the cost climbs and
 *   "…lazy" turns to "e" (lazye); the default KL budget stops that stage and says so.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/checkpoint/checkpoint';
import { fileHandler } from '../../src/cli/fileHandler';
import { disposeGPT } from '../../src/model/gpt';
import { backend, root } from '../helpers';
import { tempDir } from '../tempDir';
import { topWord, wordsAfter, wordsLine, wordsTv } from '../tuneDesign';

const FOX = 'corpus/pretrained/fox-nano';
const INSTRUCTIONS = 'corpus/finetune/fox-instructions.jsonl';
const LAZY = 'The quick brown fox jumps over the lazy';
const UNRELATED = 'Where is the little duck? It';

type Line = { step: number; loss: number; reward?: number; winRate?: number; costKl?: number; costTv?: number };

function finetune(args: string[]): { lines: Line[]; err: string; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    ['--experimental-wasm-relaxed-simd', '--import', 'tsx', path.join(root, 'src', 'cli', 'finetune.ts'), ...args, '--backend', 'wasm'],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.status, r.stderr).toBe(0);
  return {
    lines: r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line),
    err: r.stderr,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The ranked words of two prompts under a checkpoint (read in this process). */
async function ranked(dir: string, prompts: string[]) {
  const { model, tokenizer } = await loadCheckpoint(fileHandler(dir));
  const out = await Promise.all(prompts.map((p) => wordsAfter(model, tokenizer, p)));
  disposeGPT(model);
  return out;
}

const stages = (dir: string) =>
  (JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')).modelTopology.extra.stages as { kind: string; steps: number }[]).map((s) => [
    s.kind,
    s.steps,
  ]);

describe('npm run finetune on a held-out design', () => {
  const tmp = tempDir('finetune-design');
  const cow = path.join(tmp, 'cow.jsonl');
  let base: Record<string, number>[];

  beforeAll(async () => {
    await backend('wasm');
    const lines = Array.from({ length: 40 }, () => ['dog', 'cat'].map((w) => JSON.stringify({ prompt: LAZY, chosen: ' cow.', rejected: ` ${w}.` }))).flat();
    writeFileSync(cow, lines.join('\n') + '\n');
    base = await ranked(FOX, [LAZY, UNRELATED]);
    expect(Object.keys(base[0]!).indexOf('cow')).toBe(2); // the model ranks "cow" third
  });

  it('dpo: the preferred word first, the unrelated prompt within TV 0.25, the crop said', async () => {
    const out = path.join(tmp, 'dpo');
    const r = finetune(['--checkpoint', FOX, '--method', 'dpo', '--data', cow, '--steps', '60', '--out', out, '--seed', '1']);
    const [lazy, unrelated] = await ranked(out, [LAZY, UNRELATED]);
    const tv = wordsTv(base[1]!, unrelated!);
    console.log(
      `[finetune dpo, cow, 60 steps, ${r.seconds.toFixed(0)} s] "…lazy": ${wordsLine(base[0]!)} → ${wordsLine(lazy!)}; unrelated TV ${tv.toFixed(3)}; last ${JSON.stringify(r.lines.at(-1))}`,
    );
    expect(r.err).toMatch(/note: 80 prompts were longer than the room the context \(32 tokens\) leaves and kept only their end/);
    expect(r.err).toMatch(/cost meter and the hold on what the model knew on .*fox\.txt/);
    expect(topWord(lazy!)).toBe('cow');
    expect(tv).toBeLessThan(0.25);
    expect(r.lines.at(-1)!.costKl).toBeLessThan(0.3);
  });

  it('rlhf: P(cow) up by 0.1 or more, the unrelated prompt within TV 0.25, the reward’s verdict said', async () => {
    const out = path.join(tmp, 'rlhf');
    const r = finetune(['--checkpoint', FOX, '--method', 'rlhf', '--data', cow, '--steps', '60', '--out', out, '--seed', '1']);
    const [lazy, unrelated] = await ranked(out, [LAZY, UNRELATED]);
    const tv = wordsTv(base[1]!, unrelated!);
    const verdict = r.err.split('\n').find((l) => l.startsWith('note: The reward'));
    console.log(
      `[finetune rlhf, cow, 40 + 20 steps, ${r.seconds.toFixed(0)} s] "…lazy": ${wordsLine(base[0]!)} → ${wordsLine(lazy!)}; unrelated TV ${tv.toFixed(3)}; ${verdict}`,
    );
    expect((lazy!.cow ?? 0) - base[0]!.cow!).toBeGreaterThanOrEqual(0.1);
    expect(tv).toBeLessThan(0.25);
    expect(verdict).toMatch(
      /^note: The reward rose from -?[\d.]+ to -?[\d.]+ over 20 policy steps; on held-out prompts the tuned model's samples beat the reference's \d+% of the time/,
    );
    expect(r.lines.at(-1)!.winRate).toBeGreaterThan(0.5);
  });

  it('sft: with the hold the taught answers come first and "…lazy" stays "dog"; without it the cost climbs and the fox is forgotten', async () => {
    const kept = path.join(tmp, 'sft-keep');
    const bare = path.join(tmp, 'sft-bare');
    const args = ['--method', 'sft', '--data', INSTRUCTIONS, '--steps', '200', '--seed', '1337'];
    const m = finetune(['--checkpoint', FOX, ...args, '--out', kept]);
    const b = finetune(['--checkpoint', FOX, ...args, '--out', bare, '--keep', 'no', '--kl-budget', 'none']);
    const questions = ['who is lazy? ', 'quem pula sobre o cao? ', 'what color is the fox? '];
    const [mLazy, ...mAnswers] = await ranked(kept, [LAZY, ...questions]);
    const [bLazy, ...bAnswers] = await ranked(bare, [LAZY, ...questions]);
    console.log(
      `[finetune sft, 200 steps, seed 1337] hold on: "…lazy" ${wordsLine(mLazy!, 2)}, answers ${mAnswers.map(topWord).join('/')}, cost KL ${m.lines.at(-1)!.costKl!.toFixed(3)} | ` +
        `hold off: "…lazy" ${wordsLine(bLazy!, 2)}, answers ${bAnswers.map(topWord).join('/')}, cost KL ${b.lines.at(-1)!.costKl!.toFixed(3)}`,
    );
    expect(mAnswers.map(topWord)).toEqual(['the', 'a', 'brown']);
    expect(topWord(mLazy!)).toBe('dog');
    expect(topWord(bLazy!)).not.toBe('dog'); // forgetting, as the issue saw it ("lazye")
    expect(b.lines.at(-1)!.costKl!).toBeGreaterThan(5 * m.lines.at(-1)!.costKl!);
    expect(m.lines.at(-1)!.costKl!).toBeLessThan(0.3);
  });

  it('sft without the hold: the default KL budget stops the stage, says so, and the checkpoint counts the steps it took', () => {
    const out = path.join(tmp, 'sft-stopped');
    const r = finetune(['--checkpoint', FOX, '--method', 'sft', '--data', INSTRUCTIONS, '--steps', '100', '--seed', '1337', '--keep', 'no', '--out', out]);
    const stop = r.err.split('\n').find((l) => l.startsWith('note: Stopped'));
    console.log(`[finetune sft, hold off, budget 0.3] ${stop}`);
    const last = r.lines.at(-1)!;
    expect(last.step).toBeLessThan(100);
    expect(last.costKl).toBeGreaterThan(0.3);
    expect(stop).toMatch(
      new RegExp(
        `^note: Stopped at step ${last.step} of 100: the KL from the model before this stage, on corpus prompts the tuning data does not touch, reached [\\d.]+ nats — over the budget of 0\\.30`,
      ),
    );
    expect(stages(out)).toEqual([
      ['pretrain', 600],
      ['sft', last.step],
    ]);
  });
});
