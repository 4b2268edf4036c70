/**
 * Generates corpus/fox.txt: simple English sentences in which
 * "The quick brown fox jumps over the lazy ___." appears with a known mix of endings.
 *
 * "lazy" appears nowhere else — and no other word ends in "y", so even a model that only
 * looks two characters back ("y ") is not misled — so after "…over the lazy" the true
 * next-word distribution is exactly FOX_ENDINGS — the test trains a model on this file and
 * compares what it predicts with this truth. The mix is exact (fixed counts, shuffled
 * with a seed), not sampled, so the file's own statistics equal the stated truth.
 *
 * Run: npm run corpus:fox   (rewrites corpus/fox.txt; the output is byte-for-byte stable)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/util/rng';

/** P(next word | "the quick brown fox jumps over the lazy"). */
export const FOX_ENDINGS = { dog: 0.55, cat: 0.2, cow: 0.15, pig: 0.1 } as const;

export const FOX_SEED = 2024;
export const FOX_SENTENCES = 1000; // fox sentences; about two in five of all sentences

const ADJ = ['big', 'small', 'old', 'young', 'proud', 'tired', 'brown', 'white', 'black', 'little', 'clever', 'quiet'];
const ANIMALS = ['dog', 'cat', 'cow', 'pig', 'fox', 'horse', 'duck', 'goat', 'hen', 'sheep', 'mouse', 'bird'];
const VERBS = ['runs', 'sleeps', 'sits', 'walks', 'plays', 'waits', 'hides', 'rests', 'eats', 'sings'];
const PREPS = ['in', 'near', 'under', 'behind', 'beside', 'along'];
const PLACES = ['barn', 'field', 'house', 'tree', 'river', 'garden', 'road', 'hill', 'fence', 'pond', 'wall', 'gate'];
const OBJECTS = ['apple', 'ball', 'bone', 'hat', 'stick', 'cake', 'book', 'shoe'];
const NAMES = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)]!;
}

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

/** One of several plain sentence shapes; never contains "lazy". */
function otherSentence(rng: Rng): string {
  switch (rng.int(5)) {
    case 0:
      return `${cap(pick(rng, ['the', 'a']))} ${pick(rng, ADJ)} ${pick(rng, ANIMALS)} ${pick(rng, VERBS)} ${pick(rng, PREPS)} the ${pick(rng, PLACES)}.`;
    case 1:
      return `${pick(rng, NAMES)} has a ${pick(rng, ADJ)} ${pick(rng, ANIMALS)} and a ${pick(rng, OBJECTS)}.`;
    case 2:
      return `The ${pick(rng, ANIMALS)} sees the ${pick(rng, ADJ)} ${pick(rng, OBJECTS)} ${pick(rng, PREPS)} the ${pick(rng, PLACES)}.`;
    case 3:
      return `Where is the ${pick(rng, ADJ)} ${pick(rng, ANIMALS)}? It ${pick(rng, VERBS)} ${pick(rng, PREPS)} the ${pick(rng, PLACES)}.`;
    default:
      return `${pick(rng, NAMES)} and the ${pick(rng, ANIMALS)} go to the ${pick(rng, PLACES)} each morning.`;
  }
}

export function generateFox(seed = FOX_SEED): string {
  const rng = new Rng(seed);
  // Exact counts per ending, shuffled (Fisher–Yates).
  const endings: string[] = [];
  for (const [word, p] of Object.entries(FOX_ENDINGS)) {
    for (let i = 0; i < Math.round(p * FOX_SENTENCES); i++) endings.push(word);
  }
  for (let i = endings.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [endings[i], endings[j]] = [endings[j]!, endings[i]!];
  }
  const lines: string[] = [];
  let line: string[] = [];
  for (const ending of endings) {
    const others = 1 + rng.int(2); // 1–2 other sentences between fox sentences
    for (let k = 0; k < others; k++) {
      line.push(otherSentence(rng));
      if (rng.next() < 0.4) {
        lines.push(line.join(' '));
        line = [];
      }
    }
    line.push(`The quick brown fox jumps over the lazy ${ending}.`);
  }
  lines.push(line.join(' '));
  return lines.filter((l) => l.length > 0).join('\n') + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL('./fox.txt', import.meta.url));
  const text = generateFox();
  writeFileSync(out, text);
  console.log(`wrote ${out}: ${text.length} characters`);
}
