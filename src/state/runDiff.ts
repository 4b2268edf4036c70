/**
 * What a run was (its config as data) and what changed from one run to the next, said in
 * a few words: "lr 0.01 → 0.003", "tokenizer char → BPE", "4 → 2 layers". Pure: no store,
 * no worker; the words come from the dictionaries (both languages).
 */
import type { ModelConfig, TrainConfig } from '../config';
import { fmtRate, STRINGS, type Lang } from '../i18n';
import type { TokenizerKind } from '../tokenizer';

/** Everything needed to say what a run was and to run it again (weights are not part of it). */
export interface RunConfig {
  model: ModelConfig;
  train: TrainConfig;
  tokenizer: { kind: TokenizerKind; vocabSize: number };
  /** The corpus's name; `bundled` when it is one of the page's own (a link can re-run it). */
  corpus: { name: string; bundled?: string };
  /** The steps the run was planned for. */
  steps: number;
}

/** One setting that differs between two runs. */
export type DiffPart =
  | { key: 'lr' | 'minLr' | 'weightDecay' | 'dropout'; from: number; to: number }
  | { key: 'layers' | 'heads' | 'embd' | 'block' | 'batch' | 'steps' | 'vocab' | 'seed' | 'warmup'; from: number; to: number }
  | { key: 'tokenizer' | 'corpus' | 'backend'; from: string; to: string };

/** The settings that differ, in the order a learner thinks of them: data, model, training. */
export function configDiff(prev: RunConfig, cur: RunConfig, backends?: { prev: string; cur: string }): DiffPart[] {
  const out: DiffPart[] = [];
  const num = (key: Extract<DiffPart, { from: number }>['key'], a: number, b: number) => void (a !== b && out.push({ key, from: a, to: b }));
  if (prev.corpus.name !== cur.corpus.name) out.push({ key: 'corpus', from: prev.corpus.name, to: cur.corpus.name });
  if (prev.tokenizer.kind !== cur.tokenizer.kind) out.push({ key: 'tokenizer', from: prev.tokenizer.kind, to: cur.tokenizer.kind });
  // The vocabulary follows from the tokenizer and corpus: only a change on its own is news.
  else if (prev.corpus.name === cur.corpus.name) num('vocab', prev.tokenizer.vocabSize, cur.tokenizer.vocabSize);
  num('layers', prev.model.nLayer, cur.model.nLayer);
  num('heads', prev.model.nHead, cur.model.nHead);
  num('embd', prev.model.nEmbd, cur.model.nEmbd);
  num('block', prev.model.blockSize, cur.model.blockSize);
  num('dropout', prev.model.dropout, cur.model.dropout);
  num('lr', prev.train.learningRate, cur.train.learningRate);
  // The floor follows the peak (withLearningRate): said only when it moved on its own.
  if (prev.train.learningRate === cur.train.learningRate) num('minLr', prev.train.minLearningRate, cur.train.minLearningRate);
  num('batch', prev.train.batchSize, cur.train.batchSize);
  num('warmup', prev.train.warmupSteps, cur.train.warmupSteps);
  num('weightDecay', prev.train.weightDecay, cur.train.weightDecay);
  num('steps', prev.steps, cur.steps);
  num('seed', prev.train.seed, cur.train.seed);
  if (backends && backends.prev !== backends.cur) out.push({ key: 'backend', from: backends.prev, to: backends.cur });
  return out;
}

const TOKENIZER_NAMES: Record<string, string> = { char: 'char', word: 'word', bpe: 'BPE' };

/** One part in words, e.g. "lr 0.01 → 0.003" or "4 → 2 layers". */
export function partText(p: DiffPart, lang: Lang): string {
  const t = STRINGS[lang];
  const locale = lang === 'pt' ? 'pt-BR' : 'en';
  const n = (v: number) => v.toLocaleString(locale);
  switch (p.key) {
    case 'lr':
    case 'minLr':
    case 'weightDecay':
      return t.runsDiffSetting(p.key, fmtRate(p.from, locale), fmtRate(p.to, locale));
    case 'dropout':
      return t.runsDiffSetting(p.key, n(p.from), n(p.to));
    case 'tokenizer':
      return t.runsDiffSetting(p.key, TOKENIZER_NAMES[p.from] ?? p.from, TOKENIZER_NAMES[p.to] ?? p.to);
    case 'corpus':
    case 'backend':
      return t.runsDiffSetting(p.key, p.from, p.to);
    default:
      return t.runsDiffCount(p.key, n(p.from), n(p.to));
  }
}

/**
 * The label of a run: what differs from the run before it ("first run" for the first,
 * "same settings" when nothing does). At most `most` parts, then "+N more".
 */
export function diffLabel(prev: RunConfig | undefined, cur: RunConfig, lang: Lang, backends?: { prev: string; cur: string }, most = 3): string {
  const t = STRINGS[lang];
  if (!prev) return t.runsFirst;
  const parts = configDiff(prev, cur, backends);
  if (parts.length === 0) return t.runsSame;
  const shown = parts.slice(0, most).map((p) => partText(p, lang));
  return parts.length > most ? `${shown.join(', ')} ${t.runsMore(parts.length - most)}` : shown.join(', ');
}
