/**
 * Small checkpoints shipped with the page, so the first screen already says something
 * (ranked next words from a model that has read the corpus, not a uniform mush from
 * random weights). They are made by Folio's own CLI — the commands are in
 * corpus/README.md — and loaded like any checkpoint; only their URLs live here.
 */
import type { ModelPresetName } from '../config';
import type { BundledCorpus } from './corpora';
import type { TokenizerKind } from '../tokenizer';
import foxJson from '../../corpus/pretrained/fox-nano/model.json?url';
import foxWeights from '../../corpus/pretrained/fox-nano/weights.bin?url';
import shakespeareJson from '../../corpus/pretrained/shakespeare-nano/model.json?url';
import shakespeareWeights from '../../corpus/pretrained/shakespeare-nano/weights.bin?url';
import dnaJson from '../../corpus/pretrained/dna-nano/model.json?url';
import dnaWeights from '../../corpus/pretrained/dna-nano/weights.bin?url';

interface Pretrained {
  corpus: BundledCorpus;
  preset: ModelPresetName;
  tokenizer: TokenizerKind;
  json: string;
  weights: string;
  /** A k-mer model's k and overlap (it matches only those). */
  kmer?: { k: number; overlap: boolean };
}

const PRETRAINED: Pretrained[] = [
  { corpus: 'fox', preset: 'nano', tokenizer: 'char', json: foxJson, weights: foxWeights },
  { corpus: 'shakespeare', preset: 'nano', tokenizer: 'char', json: shakespeareJson, weights: shakespeareWeights },
  { corpus: 'dna', preset: 'nano', tokenizer: 'kmer', kmer: { k: 3, overlap: true }, json: dnaJson, weights: dnaWeights },
];

export function findPretrained(
  corpus: BundledCorpus,
  preset: string,
  tokenizer: TokenizerKind,
  kmer?: { k: number; overlap: boolean },
): Pretrained | undefined {
  return PRETRAINED.find(
    (p) => p.corpus === corpus && p.preset === preset && p.tokenizer === tokenizer && (!p.kmer || (p.kmer.k === kmer?.k && p.kmer.overlap === kmer.overlap)),
  );
}

export async function fetchPretrained(p: Pretrained): Promise<{ json: string; weights: ArrayBuffer }> {
  const get = async (url: string) => {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return r;
  };
  const [json, weights] = await Promise.all([get(p.json).then((r) => r.text()), get(p.weights).then((r) => r.arrayBuffer())]);
  return { json, weights };
}
