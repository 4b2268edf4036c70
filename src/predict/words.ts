/**
 * Ranked next *words* from a model that predicts *tokens*.
 *
 * A char model never says "dog" in one go: it says " " then "d", "o", "g", and then a
 * space or a full stop. To rank whole words we expand the token tree with a beam until
 * each branch reaches a word boundary (whitespace or punctuation after the word). A
 * word's probability is the product of its tokens' probabilities, summed over every
 * way of spelling it (e.g. "dog" followed by " " and "dog" followed by ".") — so it is
 * the model's true P(next word = w), up to what the beam pruned. The mass the beam did
 * not reach is reported as `uncovered`, never silently dropped.
 *
 * Pure logic on plain arrays: the model is passed in as a function, which keeps this
 * testable against a hand-written distribution.
 */
import type { Tokenizer } from '../tokenizer/tokenizer';
import type { Probs } from './probs';

/** Next-token distributions for several contexts at once (one batched model call). */
export type NextTokenFn = (contexts: number[][]) => Promise<Probs[]>;

export interface WordProb {
  word: string;
  p: number;
  /** The prompt ends inside a word and this continues it ("window" + "s"), rather than starting a new one. */
  continues?: true;
}

export interface NextWords {
  /** Most likely first; p is P(next word = word). */
  words: WordProb[];
  /** Mass of complete words found but not in the top list. */
  otherWords: number;
  /** Mass the beam did not turn into a complete word (pruned or too long). */
  uncovered: number;
}

export interface WordBeamOptions {
  /** How many words to return. */
  topWords: number;
  /** Unfinished branches kept at each depth. */
  beamWidth: number;
  /** Most tokens spent on one word (a char model needs letters + 2). */
  maxDepth: number;
  /** Branches less likely than this are dropped. */
  minProb: number;
}

export const DEFAULT_WORD_BEAM: WordBeamOptions = { topWords: 10, beamWidth: 24, maxDepth: 16, minProb: 1e-4 };

const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const SPACE = /\s/u;

/**
 * Where is the next word in `text` (what the model wrote after the prompt)?
 * Leading whitespace is skipped; a word is a run of letters/digits that has been
 * followed by a boundary; a punctuation mark is a word of its own.
 * Returns undefined while the word may still go on.
 */
export function completedWord(text: string): string | undefined {
  const chars = Array.from(text);
  let i = 0;
  while (i < chars.length && SPACE.test(chars[i]!)) i++;
  if (i === chars.length) return undefined;
  if (!WORD_CHAR.test(chars[i]!)) return chars[i];
  let j = i;
  while (j < chars.length && WORD_CHAR.test(chars[j]!)) j++;
  return j < chars.length ? chars.slice(i, j).join('') : undefined;
}

interface Branch {
  ids: number[];
  text: string;
  p: number;
}

export async function rankNextWords(next: NextTokenFn, tok: Tokenizer, prompt: number[], opts: Partial<WordBeamOptions> = {}): Promise<NextWords> {
  const o = { ...DEFAULT_WORD_BEAM, ...opts };
  // "+s" (continuing the prompt's last word) and "s" (a new word) are different answers.
  const found = new Map<string, number>();
  const add = (w: string, p: number, cont = false) => {
    const key = (cont ? '+' : ' ') + w;
    found.set(key, (found.get(key) ?? 0) + p);
  };
  const lastChar = Array.from(prompt.length ? tok.decode(prompt.slice(-1)) : '').pop() ?? '';
  // A word tokenizer cuts the text at every word's end: its prompt never ends inside a word,
  // and a word straight after the last one ("lazy" + "Emma") is a spelling it never makes —
  // that mass stays uncovered rather than shown as a word.
  const wordLevel = tok.kind === 'word';
  const promptInWord = !wordLevel && WORD_CHAR.test(lastChar);
  const gluedOn = (b: Branch, id: number) => wordLevel && b.ids.length === 0 && WORD_CHAR.test(lastChar) && WORD_CHAR.test(tok.tokenText(id)[0] ?? '');
  let beam: Branch[] = [{ ids: [], text: '', p: 1 }];

  for (let depth = 0; depth < o.maxDepth && beam.length > 0; depth++) {
    const dists = await next(beam.map((b) => prompt.concat(b.ids)));
    const grow: Branch[] = [];
    beam.forEach((b, k) => {
      const dist = dists[k]!;
      for (let id = 0; id < dist.length; id++) {
        const p = b.p * dist[id]!;
        if (p < o.minProb || gluedOn(b, id)) continue;
        if (id === tok.unkId) {
          add(tok.tokenDisplay(id), p); // an unknown token is a "word" we cannot spell
          continue;
        }
        const text = b.text + tok.tokenText(id);
        const word = completedWord(text);
        if (word !== undefined) add(word, p, promptInWord && WORD_CHAR.test(text[0] ?? ''));
        else grow.push({ ids: [...b.ids, id], text, p });
      }
    });
    grow.sort((a, b) => b.p - a.p);
    beam = grow.slice(0, o.beamWidth);
  }

  const ranked = [...found.entries()]
    .map(([key, p]): WordProb => (key[0] === '+' ? { word: key.slice(1), p, continues: true } : { word: key.slice(1), p }))
    .sort((a, b) => b.p - a.p || (a.word < b.word ? -1 : 1));
  const words = ranked.slice(0, o.topWords);
  const total = ranked.reduce((s, w) => s + w.p, 0);
  const top = words.reduce((s, w) => s + w.p, 0);
  return { words, otherWords: total - top, uncovered: Math.max(0, 1 - total) };
}

/**
 * P(next word = `word`) along its usual spelling: the tokens of " word" (no space after
 * a prompt that ends in whitespace), times the chance that the word then ends (any next
 * token that closes it: a space, a full stop…). This is what "track a word" plots over
 * training. It agrees with `rankNextWords` except where a tokenizer can spell the word in
 * several ways (BPE), in which case only the canonical spelling is counted.
 * Returns 0 for a word the tokenizer cannot spell.
 */
export async function wordProbability(next: NextTokenFn, tok: Tokenizer, prompt: number[], promptText: string, word: string): Promise<number> {
  const w = word.trim();
  if (!w) return 0;
  const lead = promptText === '' || SPACE.test(Array.from(promptText).pop()!) ? '' : ' ';
  const ids = tok.encode(lead + w);
  if (ids.length === 0 || ids.includes(tok.unkId ?? -1) || tok.decode(ids) !== lead + w) return 0;
  const needsEnd = WORD_CHAR.test(Array.from(w)[0]!);
  const contexts = ids.map((_, i) => prompt.concat(ids.slice(0, i)));
  if (needsEnd) contexts.push(prompt.concat(ids));
  const dists = await next(contexts);
  let p = 1;
  ids.forEach((id, i) => (p *= dists[i]![id]!));
  if (!needsEnd) return p;
  const last = dists[ids.length]!;
  let end = 0;
  for (let id = 0; id < last.length; id++) {
    if (id !== tok.unkId && completedWord(lead + w + tok.tokenText(id)) === w) end += last[id]!;
  }
  return p * end;
}
