/**
 * The colour groups of the embedding map's points (no tfjs here: the page imports this).
 */

/** The groups a map's points are coloured by: kinds of characters, or a k-mer's first base. */
export const TEXT_GROUPS = ['vowel', 'consonant', 'digit', 'space', 'other'] as const;
export const DNA_GROUPS = ['A', 'C', 'G', 'T', 'other'] as const;
export type TokenGroup = (typeof TEXT_GROUPS)[number] | (typeof DNA_GROUPS)[number];

/** Is this a DNA model's map (nearly every token made of A, C, G, T: k-mers or single bases)? */
export function isDnaVocab(tokens: readonly string[]): boolean {
  if (tokens.length === 0) return false;
  return tokens.filter((t) => /^[ACGT]+$/.test(t)).length >= 0.9 * tokens.length;
}

/** The group of one token: for DNA its first base, for text vowel, consonant, digit, space/punctuation, or a longer token. */
export function tokenGroup(token: string, dna: boolean): TokenGroup {
  if (dna) return /^[ACGT]/.test(token) ? (token[0] as 'A' | 'C' | 'G' | 'T') : 'other';
  const t = token.toLowerCase();
  if (/^[aeiouáéíóúâêôãõà]$/u.test(t)) return 'vowel';
  if (/^\p{L}$/u.test(t)) return 'consonant';
  if (/^\p{N}+$/u.test(t)) return 'digit';
  if (/^[\s␣↵⇥␍\p{P}\p{S}]+$/u.test(t)) return 'space';
  return 'other'; // longer tokens (words, BPE pieces)
}
