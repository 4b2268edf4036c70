/**
 * The held-out design the fine-tuning tests measure on (issue 26): a text whose next-word
 * distribution is written here, a `nano` char model trained on it from scratch, and
 * preference pairs for the word that model ranks third, after prompts longer than its
 * context (32 characters). Nothing in the engine was tuned on this text: its defaults were
 * set on the fox corpus.
 *
 * - "On <day> the <adj> baker sells fresh" → bread 60 %, rolls 25 %, pies 15 %: people
 *   prefer "pies" to the two others. Every such prompt is 35–40 characters.
 * - "In spring the farmer grows" → corn 70 %, wheat 30 %: the unrelated prompt, which no
 *   tuning data touches; what DPO and RLHF may move of it is bounded.
 * - Other plain sentences around them (names, animals, places), so the model learns a language.
 *
 * The counts are exact (shuffled with a seed), as in corpus/generate-fox.ts.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../src/checkpoint/checkpoint';
import { fileHandler } from '../src/cli/fileHandler';
import { TRAIN_PRESETS } from '../src/config';
import { splitTokens } from '../src/data/dataset';
import type { GPT } from '../src/model/gpt';
import { predictNext } from '../src/predict/predictor';
import type { Tokenizer } from '../src/tokenizer';
import { Rng } from '../src/util/rng';
import type { PreferenceRecord, SftRecord } from '../src/train/finetune/tuneData';
import { trainNano } from './learn';

export const BAKER_ENDINGS = { bread: 0.6, rolls: 0.25, pies: 0.15 } as const;
export const FARMER_ENDINGS = { corn: 0.7, wheat: 0.3 } as const;

export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** The bakers the pairs speak of; HELD_OUT_ADJ is never in a pair (its prompts measure generalisation). */
export const ADJS = ['old', 'young', 'kind', 'tall', 'busy'];
export const HELD_OUT_ADJ = 'busy';

export const bakerPrompt = (day: string, adj: string) => `On ${day} the ${adj} baker sells fresh`;
export const UNRELATED = 'In spring the farmer grows';

const NAMES = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix'];
const ANIMALS = ['dog', 'cat', 'cow', 'duck', 'goat', 'hen', 'horse', 'sheep'];
const PLACES = ['barn', 'field', 'house', 'river', 'garden', 'road', 'hill', 'pond'];
const VERBS = ['runs', 'sleeps', 'sits', 'walks', 'plays', 'waits', 'hides', 'rests'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)]!;
}

function shuffle<T>(rng: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

function exact(endings: Record<string, number>, n: number): string[] {
  return Object.entries(endings).flatMap(([w, p]) => Array.from({ length: Math.round(p * n) }, () => w));
}

function filler(rng: Rng): string {
  switch (rng.int(3)) {
    case 0:
      return `The ${pick(rng, ANIMALS)} ${pick(rng, VERBS)} near the ${pick(rng, PLACES)}.`;
    case 1:
      return `${pick(rng, NAMES)} walks to the ${pick(rng, PLACES)} with a ${pick(rng, ANIMALS)}.`;
    default:
      return `Where is the ${pick(rng, ANIMALS)}? It ${pick(rng, VERBS)} by the ${pick(rng, PLACES)}.`;
  }
}

/** The text: 600 baker sentences, 400 farmer sentences, 1–2 other sentences between them. */
export function designText(seed = 26): string {
  const rng = new Rng(seed);
  const baker = shuffle(rng, exact(BAKER_ENDINGS, 600)).map((w) => `${bakerPrompt(pick(rng, DAYS), pick(rng, ADJS))} ${w}.`);
  const farmer = shuffle(rng, exact(FARMER_ENDINGS, 400)).map((w) => `${UNRELATED} ${w}.`);
  const keyed = shuffle(rng, [...baker, ...farmer]);
  const lines: string[] = [];
  let line: string[] = [];
  for (const s of keyed) {
    for (let k = 1 + rng.int(2); k > 0; k--) line.push(filler(rng));
    line.push(s);
    if (rng.next() < 0.35) {
      lines.push(line.join(' '));
      line = [];
    }
  }
  lines.push(line.join(' '));
  return lines.filter((l) => l).join('\n') + '\n';
}

/** 160 pairs: "pies" over "bread" and over "rolls", after every day and every baker but the held-out one (7 × 4 × 2 × … ). */
export function designPairs(): PreferenceRecord[] {
  const out: PreferenceRecord[] = [];
  for (let round = 0; round < 3 && out.length < 160; round++)
    for (const day of DAYS)
      for (const adj of ADJS.filter((a) => a !== HELD_OUT_ADJ))
        for (const worse of ['bread', 'rolls']) if (out.length < 160) out.push({ prompt: bakerPrompt(day, adj), chosen: ' pies', rejected: ` ${worse}` });
  return out;
}

/** Questions about the text, answered as it says; the model never saw a question. */
export function designInstructions(): SftRecord[] {
  return [
    { prompt: 'who sells bread? ', completion: 'the baker.' },
    { prompt: 'who grows corn? ', completion: 'the farmer.' },
    { prompt: 'what does the baker sell? ', completion: 'bread.' },
    { prompt: 'what does the farmer grow? ', completion: 'corn.' },
    { prompt: 'where is the hen? ', completion: 'by the barn.' },
    { prompt: 'who walks to the river? ', completion: 'Anna.' },
  ];
}

/** The design's base model: `nano` (char) trained from scratch on the text, seeded, and the corpus as its token streams. */
export async function trainDesignBase(steps = 400) {
  const text = designText();
  const { tok, model, seconds } = await trainNano(text, steps);
  return { tok, model, seconds, corpus: splitTokens(tok.encode(text), model.config.blockSize) };
}

/**
 * `trainDesignBase()` once a run, for every test file that measures on it: the first file to ask
 * trains it (~20 s of both cores) and saves it as a checkpoint in the run's folder
 * (tests/runFolder.ts); a file that asks meanwhile waits for that, and later ones load it. The
 * checkpoint keeps the float32 weights and the tokenizer exactly: each file gets the model it
 * would have trained itself (seeded, on the same backend). `trainedHere` says which happened.
 */
export async function designBase() {
  const dir = path.join(inject('runFolder'), 'design-base');
  const failed = `${dir}.failed`;
  let mine = true;
  try {
    mkdirSync(`${dir}.lock`); // atomic: one file trains
  } catch {
    mine = false;
  }
  if (mine) {
    try {
      const b = await trainDesignBase();
      await saveCheckpoint(fileHandler(`${dir}.part`), { model: b.model, tokenizer: b.tok, train: TRAIN_PRESETS.nano, step: 400 });
      renameSync(`${dir}.part`, dir); // whole, or not there
      return { ...b, trainedHere: true };
    } catch (e) {
      writeFileSync(failed, String(e));
      throw e;
    }
  }
  const t0 = performance.now();
  while (!existsSync(dir)) {
    if (existsSync(failed)) throw new Error(`the design base failed in another file: ${readFileSync(failed, 'utf8')}`);
    await new Promise((done) => setTimeout(done, 250));
  }
  const { model, tokenizer: tok } = await loadCheckpoint(fileHandler(dir));
  const seconds = (performance.now() - t0) / 1000;
  return { tok, model, seconds, corpus: splitTokens(tok.encode(designText()), model.config.blockSize), trainedHere: false };
}

/** The ranked next words after `prompt` (word → probability). */
export async function wordsAfter(model: GPT, tok: Tokenizer, prompt: string): Promise<Record<string, number>> {
  return Object.fromEntries((await predictNext(model, tok, prompt)).words.map((w) => [w.word, w.p]));
}

/** Total variation between two ranked-word lists (a word missing from one counts 0 there). */
export function wordsTv(a: Record<string, number>, b: Record<string, number>): number {
  const words = new Set([...Object.keys(a), ...Object.keys(b)]);
  return 0.5 * [...words].reduce((s, w) => s + Math.abs((a[w] ?? 0) - (b[w] ?? 0)), 0);
}

/** The top word of a ranked list. */
export const topWord = (w: Record<string, number>) => Object.entries(w).sort((x, y) => y[1] - x[1])[0]![0];

/** A list as a short line for the log: "bread 0.706, rolls 0.167, pies 0.096". */
export const wordsLine = (w: Record<string, number>, n = 3) =>
  Object.entries(w)
    .slice(0, n)
    .map(([k, v]) => `${k} ${v.toFixed(3)}`)
    .join(', ');
