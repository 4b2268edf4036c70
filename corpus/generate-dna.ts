/**
 * Generates corpus/dna.txt: a made-up genome with planted structure (see
 * src/data/genome.ts): a TATA box exactly SPACER bases before every gene; genes that start
 * with ATG, run in sense codons and end at a stop codon (TAA, TAG, TGA); uniform random DNA
 * between genes. The TATA box appears nowhere else, so "TATAAA + 10 bases → ATG" holds
 * every time — the rule the DNA tests check a trained model against.
 *
 * The file is one line of A, C, G, T (no line breaks: a char model would otherwise
 * have to learn where the line breaks fall, and a break could split a codon).
 *
 * Run: npm run corpus:dna   (rewrites corpus/dna.txt; the output is byte-for-byte stable)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/util/rng';
import { BASES, MAX_BODY_CODONS, MAX_GAP, MIN_BODY_CODONS, MIN_GAP, PROMOTER, SENSE_CODONS, SPACER, START_CODON, STOP_CODONS } from '../src/data/genome';

export const DNA_SEED = 1953; // Watson and Crick's year
export const DNA_GENES = 2500;

/** Builds the sequence while keeping the promoter out of every place it was not planted. */
class Strand {
  private parts: string[] = [];
  private tail = ''; // the last bases written, to see a promoter forming across a boundary

  /** Append `piece` unless it would complete a TATA box; false when refused. */
  tryAppend(piece: string): boolean {
    const joined = this.tail + piece;
    for (let end = this.tail.length + 1; end <= joined.length; end++) {
      if (end >= PROMOTER.length && joined.slice(end - PROMOTER.length, end) === PROMOTER) return false;
    }
    this.write(piece);
    return true;
  }

  /** Would appending `piece` complete a TATA box? */
  wouldForm(piece: string): boolean {
    return (this.tail + piece).includes(PROMOTER);
  }

  /** Append a planted piece (the promoter itself). */
  write(piece: string): void {
    this.parts.push(piece);
    this.tail = (this.tail + piece).slice(-(PROMOTER.length - 1));
  }

  text(): string {
    return this.parts.join('');
  }
}

/** `n` random bases; the last one also must not complete a TATA box with `next` (what is planted after them). */
function randomBases(rng: Rng, strand: Strand, n: number, next = ''): void {
  for (let i = 0; i < n; i++) {
    for (;;) {
      const b = BASES[rng.int(4)]!;
      if (i === n - 1 && next && strand.wouldForm(b + next)) continue;
      if (strand.tryAppend(b)) break;
    }
  }
}

export function generateDna(seed = DNA_SEED, genes = DNA_GENES): string {
  const rng = new Rng(seed);
  const strand = new Strand();
  randomBases(rng, strand, MIN_GAP + rng.int(MAX_GAP - MIN_GAP + 1));
  for (let g = 0; g < genes; g++) {
    strand.write(PROMOTER);
    randomBases(rng, strand, SPACER, START_CODON); // a spacer ending TATAA would make TATAA|A(TG) a second box
    strand.write(START_CODON);
    const body = MIN_BODY_CODONS + rng.int(MAX_BODY_CODONS - MIN_BODY_CODONS + 1);
    for (let c = 0; c < body; c++) while (!strand.tryAppend(SENSE_CODONS[rng.int(SENSE_CODONS.length)]!));
    strand.write(STOP_CODONS[rng.int(STOP_CODONS.length)]!); // starts with T: cannot end a TATAAA
    randomBases(rng, strand, MIN_GAP + rng.int(MAX_GAP - MIN_GAP + 1));
  }
  return strand.text();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL('./dna.txt', import.meta.url));
  const text = generateDna();
  writeFileSync(out, text);
  console.log(`wrote ${out}: ${text.length} bases`);
}
