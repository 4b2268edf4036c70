/**
 * The README.md of an exported Hugging Face folder, in the page's language: what the files
 * are, the Python that unzips the export and writes with the model (transformers'
 * AutoTokenizer and GPT2LMHeadModel), and what the tokenizer does — for DNA in overlapping
 * k-mers, how tokenizer.json gives the model's own ids (hfKmer.ts) and the same ids in plain
 * Python. The page shows the same snippet next to its export button.
 *
 * Text only: no tfjs, so the page may import it. The sentences are in i18n/topics/hfExport.ts.
 */
import { STRINGS, type Lang } from '../i18n';
import type { TokenizerJSON } from '../tokenizer';
import type { CheckpointMeta } from './checkpoint';

type TokenizerFacts = Pick<TokenizerJSON, 'kind' | 'k' | 'overlap'>;

export interface SnippetFacts {
  /** The folder's name: the zip holds `<folder>/config.json`, …, and is `<folder>.zip`. */
  folder: string;
  prompt: string;
  tokenizer: TokenizerFacts;
  lang: Lang;
}

/** A Python string literal (JSON's escapes are Python's too). */
const py = (s: string) => JSON.stringify(s);

const overlapping = (t: TokenizerFacts) => t.kind === 'kmer' && t.overlap === true && (t.k ?? 1) > 1;

/** A prompt for the snippet when none is given: the corpus's first words, or a DNA or English start. */
export function examplePrompt(meta: Pick<CheckpointMeta, 'tokenizer' | 'extra'>): string {
  const text = meta.extra?.session?.corpus.text;
  if (text) {
    const head = text.slice(0, 40);
    const cut = meta.tokenizer.kind === 'kmer' ? head.replace(/\s+/g, '') : head.slice(0, Math.max(head.lastIndexOf(' ') + 1, 12));
    if (cut.trim()) return cut;
  }
  return defaultPrompt(meta.tokenizer.kind);
}

/** A prompt any model of this tokenizer kind reads: some DNA, or an English start. */
export const defaultPrompt = (kind: TokenizerJSON['kind']) => (kind === 'kmer' ? 'GATTACATATAAAGGCGCAT' : 'The ');

/** Python that unzips the export, loads it with transformers and writes 40 tokens after the prompt. */
export function pythonSnippet(f: SnippetFacts): string {
  const t = STRINGS[f.lang];
  // Overlapping k-mers: a next k-mer must begin with the last k − 1 bases, or it is no genome (Folio's page samples the same way).
  const dna = overlapping(f.tokenizer);
  return [
    'import zipfile',
    'import torch',
    'from transformers import AutoTokenizer, GPT2LMHeadModel',
    '',
    `zipfile.ZipFile(${py(`${f.folder}.zip`)}).extractall(".")  # ${t.hfPyUnzip(f.folder)}`,
    `folder = ${py(f.folder)}`,
    'tok = AutoTokenizer.from_pretrained(folder)',
    'model = GPT2LMHeadModel.from_pretrained(folder)',
    `ids = tok(${py(f.prompt)}, return_tensors="pt").input_ids`,
    ...(dna ? ['kmers = tok.convert_ids_to_tokens(list(range(model.config.vocab_size)))'] : []),
    'with torch.no_grad():',
    '    for _ in range(40):',
    `        logits = model(ids[:, -model.config.n_positions:]).logits[0, -1]  # ${t.hfPyContext}`,
    ...(dna
      ? ['        last = kmers[ids[0, -1].item()]', `        logits[torch.tensor([s[:-1] != last[1:] for s in kmers])] = -float("inf")  # ${t.hfPyFollows}`]
      : []),
    '        ids = torch.cat([ids, torch.multinomial(torch.softmax(logits / 0.8, -1), 1)[None]], dim=1)',
    'print(tok.decode(ids[0]))',
  ].join('\n');
}

/** Folio's k-mer ids in plain Python (tokenizer/kmer.ts's encode). */
function plainKmerIds(folder: string, prompt: string, k: number, overlap: boolean): string {
  return [
    'import json',
    `vocab = json.load(open(${py(`${folder}/tokenizer.json`)}))["model"]["vocab"]`,
    `text = ${py(prompt)}`,
    'bases = [c.upper() for c in text if c in "ACGTacgt"]',
    `ids = [vocab["".join(bases[i:i + ${k}])] for i in range(0, len(bases) - ${k - 1}, ${overlap ? 1 : k})]`,
  ].join('\n');
}

const fence = (code: string) => '```python\n' + code + '\n```';

export function hfReadme(meta: CheckpointMeta, o: { folder: string; lang: Lang; prompt?: string }): string {
  const t = STRINGS[o.lang];
  const m = meta.model;
  const tok = meta.tokenizer;
  const k = tok.k ?? 1;
  const corpus = meta.extra?.session?.corpus.name ?? meta.extra?.corpus ?? o.folder;
  const prompt = o.prompt ?? examplePrompt(meta);
  const about: Record<TokenizerJSON['kind'], string> = {
    char: t.hfReadmeTokChar,
    bpe: t.hfReadmeTokBpe,
    word: t.hfReadmeTokWord,
    bytebpe: t.hfReadmeTokByteBpe,
    kmer: tok.overlap ? t.hfReadmeTokOverlap(k) : t.hfReadmeTokKmer(k),
  };
  const files: [string, string][] = [
    ['model.safetensors', t.hfReadmeFileWeights],
    ['config.json', t.hfReadmeFileConfig],
    ['tokenizer.json', t.hfReadmeFileTokenizer],
    ['tokenizer_config.json', t.hfReadmeFileTokConfig],
    ['folio.json', t.hfReadmeFileFolio],
  ];
  const parts = [
    `# ${t.hfReadmeTitle(corpus, meta.step)}`,
    t.hfReadmeIntro({ layers: m.nLayer, heads: m.nHead, embd: m.nEmbd, context: m.blockSize, vocab: m.vocabSize }),
    `## ${t.hfReadmeFiles}`,
    files.map(([name, what]) => `- \`${name}\`: ${what}`).join('\n'),
    `## ${t.hfReadmePython}`,
    t.hfReadmeInstall,
    fence(pythonSnippet({ folder: o.folder, prompt, tokenizer: tok, lang: o.lang })),
    `## ${t.hfReadmeTokenizer}`,
    about[tok.kind],
    ...(overlapping(tok) ? [t.hfReadmeOverlapCost] : []),
    ...(tok.kind === 'kmer' ? [t.hfReadmePlain, fence(plainKmerIds(o.folder, prompt, k, tok.overlap === true))] : []),
    t.hfReadmeLoadBack,
  ];
  return parts.join('\n\n') + '\n';
}
