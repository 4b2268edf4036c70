/**
 * DNA in the page: example prompts built from the genome's planted rules (data/genome.ts),
 * and keeping the prompt and the tracked word fitting the corpus when the person switches
 * to the genome or away from it (a fox sentence means nothing to a DNA model).
 */
import { PROMOTER, SPACER, START_CODON } from '../data/genome';
import { BUNDLED_CORPORA, type BundledCorpus } from './corpora';
import { DEFAULT_PROMPT } from './store';
import type { TokenizerKind } from '../tokenizer';
import { dnaShare, MIN_DNA_SHARE } from '../tokenizer/kmer';

const LEAD = 'GCTAGCATTACG'; // random DNA before the promoter (no TATA box in it)
const SPACE = 'GCAGTCCTAGCG'.slice(0, SPACER); // a spacer of exactly SPACER bases

/** The prompts the next-base panel offers for a DNA model, in the order of `dnaPresetNames`. */
export const DNA_PROMPTS = [
  // TATA box + the right spacing: the gene starts here, "ATG" should rank first.
  LEAD + PROMOTER + SPACE,
  // Three bases short: the next bases are still spacer, random.
  LEAD + PROMOTER + SPACE.slice(0, SPACER - 3),
  // Inside a gene, on a codon boundary: a sense codon comes next, hardly ever a stop.
  PROMOTER + SPACE + START_CODON + 'GCACTT',
  // No promoter anywhere: every codon about equally likely.
  LEAD + 'GCAGTCCTAGCATT',
];

/** The codon a DNA model's tracked-word chart follows. */
export const DNA_TRACK = START_CODON;
const FOX_TRACK = 'dog';

export function isDnaText(s: string): boolean {
  return /^[ACGTacgt\s]+$/.test(s);
}

/** Is this the bundled genome (by the model summary's corpus name)? */
export function isGenomeName(corpusName: string | undefined): boolean {
  return corpusName === BUNDLED_CORPORA.dna.title;
}

/** The tokenizer to switch to with a bundled corpus: k-mers for the genome, characters when leaving it ({} = keep). */
export function tokenizerForCorpus(id: BundledCorpus, current: TokenizerKind): { tokenizer?: TokenizerKind } {
  if (id === 'dna' && current !== 'kmer') return { tokenizer: 'kmer' };
  if (id !== 'dna' && current === 'kmer') return { tokenizer: 'char' };
  return {};
}

/** After choosing a bundled corpus: a DNA prompt for the genome, the fox sentence back for a text. */
export function fitPromptToCorpus(id: BundledCorpus, prompt: string, track: string, set: { prompt: (p: string) => void; track: (w: string) => void }): void {
  if (id === 'dna' && !isDnaText(prompt)) {
    set.prompt(DNA_PROMPTS[0]!);
    if (track === FOX_TRACK || track === '') set.track(DNA_TRACK);
  } else if (id !== 'dna' && isDnaText(prompt)) {
    set.prompt(DEFAULT_PROMPT);
    if (track === DNA_TRACK) set.track(FOX_TRACK);
  }
}

/**
 * On opening the page (a shared link, remembered settings) without a prompt in the URL:
 * the prompt and tracked word fit the corpus the settings name, as choosing it in the list does.
 */
export function fitStartToCorpus(
  s: { settings: { corpus: string; track: string }; prompt: string },
  set: { prompt: (p: string) => void; track: (w: string) => void },
): void {
  const id = s.settings.corpus;
  if (id in BUNDLED_CORPORA) fitPromptToCorpus(id as BundledCorpus, s.prompt, s.settings.track, set);
}

/**
 * The tokenizer for a person's text (pasted or uploaded): k-mers read only DNA, so a
 * text that is not switches to characters, as choosing a bundled text does ({} = keep).
 * `bytes` are read from their start (a sample is enough to tell prose from bases).
 */
export function tokenizerForText(bytes: ArrayBuffer, current: TokenizerKind): { tokenizer?: TokenizerKind } {
  if (current !== 'kmer') return {};
  const text = new TextDecoder().decode(bytes.slice(0, 200_000));
  return dnaShare(text) < MIN_DNA_SHARE ? { tokenizer: 'char' } : {};
}
