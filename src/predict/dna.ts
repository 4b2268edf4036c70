/**
 * Next *bases* from a model that predicts DNA tokens (characters, or k-mers): the
 * probability of each next base (A, C, G, T) and of each next run of `n` bases — a codon
 * for n = 3, so after a TATA box and its spacer one reads P(ATG) off a bar.
 *
 * Tokens add bases differently: a character adds itself; a non-overlapping k-mer adds its
 * k bases; an overlapping k-mer adds only its last base, and only if its first k − 1 agree
 * with the token before it (KmerTokenizer.addedBases). The search expands tokens until
 * each branch holds `n` bases (exhaustively while the beam is wide enough: 4 + 16 model
 * contexts for a codon) and sums a run's probability over every way of spelling it. Mass
 * on tokens that add no base (an inconsistent k-mer, a non-base character) is `other`;
 * mass the beam dropped is `uncovered` — never silently lost.
 *
 * Pure logic on plain arrays, like words.ts: the model comes in as a function.
 */
import { KmerTokenizer } from '../tokenizer/kmer';
import type { Tokenizer } from '../tokenizer/tokenizer';
import type { NextTokenFn } from './words';

export interface BaseProb {
  bases: string;
  p: number;
}

export interface NextBases {
  /** P(next base = A, C, G, T), in that order. */
  next: BaseProb[];
  /** The most likely next runs of `n` bases, most likely first. */
  runs: BaseProb[];
  /** Bases per run (3: codons). */
  n: number;
  /** Mass on tokens that add no base (inconsistent k-mers, other characters). */
  other: number;
  /** Mass the beam did not follow to `n` bases. */
  uncovered: number;
}

const BASES = ['A', 'C', 'G', 'T'];
const IS_BASES = /^[ACGT]+$/;

/** Does this tokenizer read DNA: k-mers, or characters that are only bases (and whitespace)? */
export function isDnaTokenizer(tok: Tokenizer): boolean {
  if (tok instanceof KmerTokenizer) return true;
  if (tok.kind !== 'char' || tok.vocabSize > 8) return false;
  let bases = 0;
  for (let id = 0; id < tok.vocabSize; id++) {
    const t = tok.tokenText(id);
    if (IS_BASES.test(t)) bases++;
    else if (!/^\s$/.test(t)) return false;
  }
  return bases === 4;
}

/** The bases token `id` adds after token `prev`, or undefined when it adds none. */
export function addedBases(tok: Tokenizer, prev: number | undefined, id: number): string | undefined {
  if (tok instanceof KmerTokenizer) return tok.addedBases(prev, id);
  const t = tok.tokenText(id).toUpperCase();
  return IS_BASES.test(t) ? t : undefined;
}

/**
 * The tokens that may follow token `prev` when writing DNA in overlapping k-mers: the four
 * k-mers whose first k − 1 bases are the last k − 1 of `prev` (a k-mer's id is its base-4
 * number, so they are (prev mod 4^(k−1))·4 + 0…3). Undefined for other tokenizers, and after
 * the unknown token: any token may follow.
 */
export function consistentNext(tok: Tokenizer, prev: number): number[] | undefined {
  if (!(tok instanceof KmerTokenizer) || !tok.overlap || tok.k === 1 || prev < 0 || prev >= tok.unkId) return undefined;
  const tail = prev % 4 ** (tok.k - 1);
  return [0, 1, 2, 3].map((b) => tail * 4 + b);
}

interface Branch {
  ids: number[];
  bases: string;
  p: number;
}

export async function rankNextBases(
  next: NextTokenFn,
  tok: Tokenizer,
  context: number[],
  o: { n?: number; top?: number; beamWidth?: number } = {},
): Promise<NextBases> {
  const n = o.n ?? 3;
  const beamWidth = o.beamWidth ?? 64;
  const runs = new Map<string, number>();
  const first = new Map<string, number>(BASES.map((b) => [b, 0]));
  let other = 0;
  let uncovered = 0;
  let frontier: Branch[] = [{ ids: context, bases: '', p: 1 }];
  for (let depth = 0; frontier.length > 0 && depth < n; depth++) {
    const probs = await next(frontier.map((b) => b.ids));
    const grown: Branch[] = [];
    frontier.forEach((b, i) => {
      const pr = probs[i]!;
      for (let id = 0; id < pr.length; id++) {
        const q = b.p * pr[id]!;
        const add = addedBases(tok, b.ids[b.ids.length - 1], id);
        if (add === undefined || add === '') {
          other += q;
          continue;
        }
        if (depth === 0) first.set(add[0]!, first.get(add[0]!)! + q);
        const bases = b.bases + add;
        if (bases.length >= n) runs.set(bases.slice(0, n), (runs.get(bases.slice(0, n)) ?? 0) + q);
        else grown.push({ ids: [...b.ids, id], bases, p: q });
      }
    });
    grown.sort((a, b) => b.p - a.p);
    for (const g of grown.slice(beamWidth)) uncovered += g.p;
    frontier = grown.slice(0, beamWidth);
  }
  for (const b of frontier) uncovered += b.p;
  const ranked = [...runs.entries()].map(([bases, p]) => ({ bases, p })).sort((a, b) => b.p - a.p);
  return { next: BASES.map((b) => ({ bases: b, p: first.get(b)! })), runs: ranked.slice(0, o.top ?? 10), n, other, uncovered };
}
