/**
 * The planted structure of Folio's generated genome (corpus/dna.txt, written by
 * corpus/generate-dna.ts): the rules a genomic language model trained on it can learn,
 * in one place for the generator, the tests and the page's example prompts.
 *
 * A gene unit, repeated with random DNA between units:
 *
 *   TATAAA  NNNNNNNNNN  ATG  (sense codon) × 4…8  TAA|TAG|TGA
 *   promoter  spacer     start        body            stop
 *
 * - The promoter (a TATA box) is always exactly SPACER bases before the start codon, and
 *   appears nowhere else (random DNA, spacers and gene bodies are drawn without it).
 * - A gene is read in codons (triplets) from its ATG; no stop codon occurs in frame until
 *   the one that ends it.
 * - Everything else is uniform random A/C/G/T.
 * Genes and the DNA between them are short on purpose: a promoter, its gene and its stop fit
 * in a 48-base context, and a small model sees many genes per batch.
 */

export const BASES = ['A', 'C', 'G', 'T'] as const;
export type Base = (typeof BASES)[number];

/** The TATA box: the promoter motif planted before every gene. */
export const PROMOTER = 'TATAAA';
/** Bases between the promoter's last base and the gene's first (the A of ATG). */
export const SPACER = 10;
export const START_CODON = 'ATG';
export const STOP_CODONS = ['TAA', 'TAG', 'TGA'] as const;
/** Sense codons between ATG and the stop codon: at least this many… */
export const MIN_BODY_CODONS = 4;
/** …and at most this many. */
export const MAX_BODY_CODONS = 8;
/** Random DNA between a stop codon and the next promoter. */
export const MIN_GAP = 8;
export const MAX_GAP = 24;

/** The 61 codons that are not stop codons, in A, C, G, T order. */
export const SENSE_CODONS: readonly string[] = (() => {
  const out: string[] = [];
  for (const a of BASES) for (const b of BASES) for (const c of BASES) if (!(STOP_CODONS as readonly string[]).includes(a + b + c)) out.push(a + b + c);
  return out;
})();

export function isStopCodon(s: string): boolean {
  return (STOP_CODONS as readonly string[]).includes(s);
}
