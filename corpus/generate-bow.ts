/**
 * Generates corpus/bow.txt: short English sentences in which "bow" has two meanings —
 * the bow a performer takes on stage, and the bow an archer buys, strings and shoots
 * arrows with — so a small model must read the words *before* "bow" to guess what comes
 * after it. The seed article's two sentences are in it:
 *
 *   "At the end of the show, the singer took a bow multiple times."
 *   "Jack wanted to go to the store to buy a new bow for target practice."
 *
 * What follows "bow" depends only on the sense (never on the words right before it):
 * stage sentences go on with STAGE_AFTER ("to the audience", "as the crowd cheered", …),
 * archery sentences with ARCHERY_AFTER ("and some arrows", "for target practice", …), and
 * the two lists share no first word. Both senses also use "took a bow" ("The hunter took
 * a bow and ten arrows into the woods"), so "took a" alone does not tell them apart: the
 * show, the singer, the store or the hunter does.
 *
 * Run: npm run corpus:bow   (rewrites corpus/bow.txt; the output is byte-for-byte stable)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/util/rng';

export const BOW_SEED = 1605; // an archery year, near enough: the longbow's heyday
export const BOW_PAIRS = 700; // sentence pairs: one of each sense

/** How a stage bow goes on (first words: multiple, to, as, before, while, again). */
export const STAGE_AFTER = [
  'multiple times',
  'to the audience',
  'to the cheering crowd',
  'as the audience applauded',
  'as the crowd cheered',
  'before the applause ended',
  'while the audience clapped',
  'again and the audience stood',
];
/** How an archer's bow goes on (first words: for, and, with, made). */
export const ARCHERY_AFTER = [
  'for target practice',
  'for hunting in the woods',
  'and some arrows',
  'and a quiver of arrows',
  'with a new string',
  'with ten sharp arrows',
  'made of yew and string',
];

const PERFORMERS = ['singer', 'actor', 'dancer', 'pianist', 'violinist', 'comedian', 'band', 'magician'];
const SHOWS = ['show', 'concert', 'play', 'performance', 'opera', 'recital'];
const NAMES = ['Jack', 'Anna', 'Ben', 'Clara', 'Maya', 'Leo', 'Nina', 'Tom'];
const ARCHERS = ['hunter', 'archer', 'girl', 'boy', 'soldier'];
const SHOPS = ['store', 'shop', 'market'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)]!;
}

/** A sentence where "bow" is the movement a performer makes on stage. */
function stage(rng: Rng): string {
  const who = pick(rng, PERFORMERS);
  const show = pick(rng, SHOWS);
  const after = pick(rng, STAGE_AFTER);
  switch (rng.int(4)) {
    case 0:
      return `At the end of the ${show}, the ${who} took a bow ${after}.`;
    case 1:
      return `After the ${show}, the ${who} took a bow ${after}.`;
    case 2:
      return `The ${who} walked to the front of the stage and took a bow ${after}.`;
    default:
      return `When the ${show} ended, the ${who} gave a deep bow ${after}.`;
  }
}

/** A sentence where "bow" is the archer's weapon: bought, strung, carried. */
function archery(rng: Rng): string {
  const name = pick(rng, NAMES);
  const after = pick(rng, ARCHERY_AFTER);
  switch (rng.int(5)) {
    case 0:
      return `${name} wanted to go to the ${pick(rng, SHOPS)} to buy a new bow ${after}.`;
    case 1:
      return `${name} bought a bow ${after}.`;
    case 2:
      return `The ${pick(rng, ARCHERS)} took a bow ${after}.`;
    case 3:
      return `${name} strung the old bow ${after}.`;
    default:
      return `At the ${pick(rng, SHOPS)}, ${name} tried a long bow ${after}.`;
  }
}

export function generateBow(seed = BOW_SEED): string {
  const rng = new Rng(seed);
  const lines = ['At the end of the show, the singer took a bow multiple times.', 'Jack wanted to go to the store to buy a new bow for target practice.'];
  for (let i = 0; i < BOW_PAIRS; i++) {
    const pair = [stage(rng), archery(rng)];
    if (rng.next() < 0.5) pair.reverse();
    lines.push(...pair);
  }
  return lines.join('\n') + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL('./bow.txt', import.meta.url));
  const text = generateBow();
  writeFileSync(out, text);
  console.log(`wrote ${out}: ${text.length} characters`);
}
