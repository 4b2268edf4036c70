/**
 * Folio's k-mer tokenizer (tokenizer/kmer.ts) as pieces of a `tokenizer.json` that give the
 * model's own ids for any text, overlapping k-mers included.
 *
 * Every model type of the `tokenizers` library cuts a piece of text into tokens that do not
 * overlap, and so does every pre-tokenizer. Overlapping k-mers (a token at every base) are
 * therefore written by the *normalizer*, which may rewrite the text: a Sequence of Replace
 * steps turns `acgtac` into `ACGCGTGTATAC` — each k-mer spelled out in turn — and a Split
 * cuts that into k-letter pieces that a WordLevel model looks up. Replace puts a fixed string
 * where its regex matches and cannot copy what it matched, so the k-mers are built one base
 * at a time, with case telling the text's bases (lower case) from the letters written so far
 * (upper case, skipped by every lookahead):
 *
 *   1. drop every character that is not a base (Folio skips whitespace and other letters)
 *      and lower-case the rest;
 *   2. before each base that has k − 1 bases after it, write its capital
 *      (`x(?=…)` → `Xx`, one step for each of a, c, g, t);
 *   3. for j = 1 … k − 1: after the capitals in front of each such base, write the capital of
 *      the base j places further on (`(?<=[ACGT])x(?=…y)` → `Yx`, a step per pair x, y);
 *   4. drop the lower-case bases: what is left is the k-mers, k letters each.
 *
 * That is 4 + 16 (k − 1) + 3 steps (39 for 3-mers). The regexes use only lookahead, a
 * one-character lookbehind and counted groups, which Oniguruma (the Rust library), Python's
 * `re` and JavaScript read alike. The decoder undoes it: Fuse joins the tokens, then a Replace
 * keeps the first k-mer whole and the last base of each one after it, so decode gives the
 * genome back. Tiled k-mers need only step 1 with capitals (four String Replaces); a tail of
 * fewer than k bases is dropped, as Folio drops it, by splitting with the k-mer pattern
 * inverted (`invert: true`, `Removed`: what the pattern does not match goes).
 */

/** The k-mer pieces that Split keeps (and that fromHfTokenizer recognises). */
export const kmerPattern = (k: number) => `[ACGT]{${k}}`;

const replace = (regex: string, content: string) => ({ type: 'Replace', pattern: { Regex: regex }, content });
const LOWER = 'acgt';
/** Skips the capitals written so far. */
const CAPS = '[ACGT]*';

export function kmerNormalizer(k: number, overlap: boolean): { type: 'Sequence'; normalizers: unknown[] } {
  const steps: unknown[] = [replace('[^ACGTacgt]', '')];
  if (!overlap) {
    for (const x of LOWER) steps.push({ type: 'Replace', pattern: { String: x }, content: x.toUpperCase() });
    return { type: 'Sequence', normalizers: steps };
  }
  steps.push({ type: 'Lowercase' });
  // Step 2: the first letter of the k-mer that starts at each base with k − 1 bases after it.
  for (const x of LOWER) steps.push(replace(`${x}(?=(?:${CAPS}[acgt]){${k - 1}})`, x.toUpperCase() + x));
  // Step 3: its letter j, the base j places on (skipping the capitals written before each base).
  for (let j = 1; j < k; j++)
    for (const x of LOWER) for (const y of LOWER) steps.push(replace(`(?<=[ACGT])${x}(?=(?:${CAPS}[acgt]){${j - 1}}${CAPS}${y})`, y.toUpperCase() + x));
  steps.push(replace('[acgt]', ''));
  return { type: 'Sequence', normalizers: steps };
}

export function kmerPreTokenizer(k: number) {
  return { type: 'Split', pattern: { Regex: kmerPattern(k) }, behavior: 'Removed', invert: true };
}

export function kmerDecoder(k: number, overlap: boolean): unknown {
  if (!overlap || k === 1) return { type: 'Fuse' };
  // After Fuse the text is whole k-mers; drop the first k − 1 letters of every k-mer but the
  // first: a run of k − 1 that starts a k-mer (the letters after it are a whole number of
  // k-mers plus one) and is not at the start.
  return { type: 'Sequence', decoders: [{ type: 'Fuse' }, replace(`(?<=[ACGT])[ACGT]{${k - 1}}(?=[ACGT](?:[ACGT]{${k}})*$)`, '')] };
}

/** Whether a tokenizer.json normalizer is kmerNormalizer's overlapping one (it lower-cases; the tiled one does not). */
export function isOverlapNormalizer(n: unknown): boolean {
  const steps = (n as { normalizers?: { type?: unknown }[] } | null)?.normalizers;
  return Array.isArray(steps) && steps.some((s) => s?.type === 'Lowercase');
}
