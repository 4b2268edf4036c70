/**
 * The two units a loss is read in: nats per token (what the model minimises, and what a
 * run's curves store) and bits per character of the corpus text (bits per base for DNA
 * read in k-mers): the unit in which runs with different tokenizers compare. Pure maths and
 * one measurement over a token stream; no tensors, no page. The derivation is in
 * src/train/README.md, *Bits per character*.
 *
 * A loss L is the mean −ln p over the tokens predicted. Over N tokens that spell C
 * characters the model spends N·L nats, so per character it spends N·L / C nats, and
 * N·L / (C·ln 2) bits: bits/char = L / (charsPerToken · ln 2), with charsPerToken = C / N.
 */
import { KmerTokenizer, type Tokenizer } from '../tokenizer';
import { codePoints } from '../tokenizer/tokenizer';

export type LossUnit = 'nats' | 'bits';

/**
 * Characters per token of each split: a train loss is read with the train split's, a val
 * loss with the val split's (they differ: BPE-512 cuts Tiny Shakespeare's last tenth into
 * 3 % shorter pieces than the rest).
 */
export interface CharsPerToken {
  train: number;
  val: number;
}

/** What one character of the text is: a character, or (k-mers on DNA) a base. */
export type TextUnit = 'char' | 'base';

export function textUnitOf(tokenizer: string): TextUnit {
  return tokenizer === 'kmer' ? 'base' : 'char';
}

/**
 * Characters of text each token of `ids` adds, on average: the code points of each token's
 * text (a character tokenizer's 1, a BPE token's whole piece, a tiled k-mer's k), except
 * overlapping k-mers, where each token after the first adds one base and shares k − 1 with
 * the one before: predicting it is predicting that base, so it counts 1.
 *
 * Measured on a split's tokens (the page and the CLI use the val split, where the val loss
 * is measured), it is exact for that split: the tokens concatenate back to its text.
 */
export function charsPerToken(tokenizer: Tokenizer, ids: ArrayLike<number>): number {
  if (ids.length === 0) return 1;
  if (tokenizer instanceof KmerTokenizer && tokenizer.overlap) return 1;
  // Each id's length once: a stream of 100 k tokens has a few hundred distinct ones.
  const lengths = new Map<number, number>();
  let chars = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    let n = lengths.get(id);
    if (n === undefined) lengths.set(id, (n = codePoints(tokenizer.tokenText(id)).length));
    chars += n;
  }
  return chars / ids.length;
}

/** A loss in nats per token, read in bits per character; NaN where the characters per token are unknown. */
export function bitsPerChar(natsPerToken: number, charsPerToken: number | undefined): number {
  if (charsPerToken === undefined || !(charsPerToken > 0)) return NaN;
  return natsPerToken / (charsPerToken * Math.LN2);
}

/** A loss in nats per token, in `unit`. */
export function inUnit(natsPerToken: number, unit: LossUnit, charsPerToken: number | undefined): number {
  return unit === 'nats' ? natsPerToken : bitsPerChar(natsPerToken, charsPerToken);
}

/**
 * The characters per token of a run stored before they were measured, where its tokenizer
 * alone says: 1 for a character tokenizer. A BPE or word run's depends on its text, and an
 * old k-mer run did not keep whether its k-mers overlapped: unknown.
 */
export function knownCharsPerToken(tokenizer: string): CharsPerToken | undefined {
  return tokenizer === 'char' ? { train: 1, val: 1 } : undefined;
}
