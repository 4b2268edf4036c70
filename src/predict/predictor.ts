/**
 * Asking a trained model questions: the next-token distribution for a prompt, the
 * ranked next words, the attention maps, and generated text. Each model call runs in
 * tf.tidy and reads back only the last position's logits; everything after that is
 * plain arrays (probs.ts, sample.ts, words.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { SampleConfig } from '../config';
import { Rng } from '../util/rng';
import { forward, type GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer/tokenizer';
import { asLogits, softmax, topK, type Logits, type Probs } from './probs';
import { sampleToken } from './sample';
import { rankNextWords, wordProbability, type NextWords, type WordBeamOptions } from './words';
import { addedBases, consistentNext, isDnaTokenizer, rankNextBases, type NextBases } from './dna';
import { FolioError, notice } from '../i18n';
import { CachedLogits } from './kvCache';
import { cropContext } from './crop';

/** A prompt the model cannot answer (empty, or none of its characters known). */
export class PromptError extends FolioError {
  override name = 'PromptError';
}

export { cropContext };

/** Logits for the token after each context. Contexts of equal length share one batch. */
export async function nextTokenLogits(model: GPT, contexts: number[][]): Promise<Logits[]> {
  const V = model.config.vocabSize;
  const out: Logits[] = new Array(contexts.length);
  const groups = new Map<number, number[]>(); // length → context indices
  contexts.forEach((c, i) => {
    const crop = cropContext(c, model.config.blockSize);
    if (crop.length === 0) throw new PromptError(notice('promptNoTokens'));
    const g = groups.get(crop.length) ?? [];
    g.push(i);
    groups.set(crop.length, g);
  });
  for (const [T, members] of groups) {
    const flat = new Int32Array(members.length * T);
    members.forEach((i, row) => flat.set(cropContext(contexts[i]!, model.config.blockSize), row * T));
    // The last position's logits only: a large vocabulary's head costs as much as several blocks.
    const last = tf.tidy(() => forward(model, tf.tensor2d(flat, [members.length, T], 'int32'), { lastOnly: true }).logits.reshape([members.length, V])); // (B, V)
    const data = (await last.data()) as Float32Array;
    last.dispose();
    members.forEach((i, row) => (out[i] = asLogits(data.slice(row * V, (row + 1) * V))));
  }
  return out;
}

export async function nextTokenProbs(model: GPT, contexts: number[][]): Promise<Probs[]> {
  return (await nextTokenLogits(model, contexts)).map((l) => softmax(l));
}

export interface TokenPrediction {
  id: number;
  /** The token's text, raw. */
  token: string;
  /** The token made readable (whitespace visible). */
  display: string;
  p: number;
}

export interface Prediction extends NextWords {
  tokens: TokenPrediction[];
  /** Characters of the prompt the tokenizer does not know (dropped or <unk>). */
  unknown: string[];
  /** Prompt tokens the model actually saw (after cropping to the context). */
  contextTokens: number;
  /** Prompt tokens cut off at the front because the prompt was longer than the context. */
  croppedTokens: number;
  /** P(next word = the tracked word), when one was asked for. */
  tracked?: { word: string; p: number };
  /** DNA models: the next bases and codons (their `words` stay empty: DNA has no words). */
  bases?: NextBases;
}

export interface PredictOptions {
  /** Reuse keys and values across the beam's calls (kvCache.ts); true unless told. Same answers either way. */
  cache?: boolean;
  topTokens?: number;
  beam?: Partial<WordBeamOptions>;
  /** A word whose probability to report even when it is not in the top list (always at temperature 1: the model's own). */
  track?: string;
  /**
   * Reshape the ranked tokens and words as sampling at this temperature would (softmax of
   * logits ÷ T at every token): below 1 the top choices take more, above 1 the tail does.
   */
  temperature?: number;
}

/** Everything the "next word" view needs for one prompt. */
export async function predictNext(model: GPT, tok: Tokenizer, prompt: string, o: PredictOptions = {}): Promise<Prediction> {
  const ids = tok.encode(prompt);
  const unknown = tok.unknownChars(prompt);
  if (ids.length === 0) {
    if (tok.kind === 'kmer' && prompt.trim() !== '' && unknown.length === 0) throw new PromptError(notice('dnaPromptShort', { k: tok.tokenText(0).length }));
    throw new PromptError(prompt.length === 0 ? notice('promptEmpty') : notice('promptUnknown', { chars: unknown.join(' ') }));
  }
  const context = cropContext(ids, model.config.blockSize);
  const cached = o.cache === false ? undefined : new CachedLogits(model);
  try {
    const T = o.temperature !== undefined && o.temperature > 0 && Number.isFinite(o.temperature) ? o.temperature : 1;
    const logitsOf = cached ? (cs: number[][]) => cached.logits(cs) : (cs: number[][]) => nextTokenLogits(model, cs);
    const raw = async (cs: number[][]) => (await logitsOf(cs)).map((l) => softmax(l));
    const next = T === 1 ? raw : async (cs: number[][]) => (await logitsOf(cs)).map((l) => softmax(l, T));
    const [probs] = await next([context]);
    const tokens = topK(probs!, o.topTokens ?? 10).map(({ id, p }) => ({ id, p, token: tok.tokenText(id), display: tok.tokenDisplay(id) }));
    if (isDnaTokenizer(tok)) {
      // DNA has no words: rank the next bases and codons instead.
      const all = await rankNextBases(next, tok, context, { top: 64 });
      const bases = { ...all, runs: all.runs.slice(0, o.beam?.topWords || 10) };
      // A tracked codon ("ATG") is followed like a tracked word.
      const track = o.track?.trim().toUpperCase() ?? '';
      const runs = T === 1 ? all.runs : (await rankNextBases(raw, tok, context, { top: 64 })).runs;
      const tracked = /^[ACGT]{3}$/.test(track) ? { word: track, p: runs.find((r) => r.bases === track)?.p ?? 0 } : undefined;
      return {
        words: [],
        otherWords: 0,
        uncovered: bases.uncovered,
        tokens,
        unknown,
        contextTokens: context.length,
        croppedTokens: ids.length - context.length,
        bases,
        ...(tracked ? { tracked } : {}),
      };
    }
    // topWords 0: tokens only, no word search (the beam costs up to maxDepth model calls).
    const words = o.beam?.topWords === 0 ? { words: [], otherWords: 0, uncovered: 1 } : await rankNextWords(next, tok, context, o.beam);
    const track = o.track?.trim();
    const tracked = track ? { word: track, p: await wordProbability(raw, tok, context, prompt, track) } : undefined;
    return { ...words, tokens, unknown, contextTokens: context.length, croppedTokens: ids.length - context.length, ...(tracked ? { tracked } : {}) };
  } finally {
    cached?.dispose();
  }
}

/** Attention weights for one prompt: [layer][head][query t][key t'] (rows sum to 1). */
export async function attentionMaps(model: GPT, ids: number[]): Promise<number[][][][]> {
  const ctx = cropContext(ids, model.config.blockSize);
  if (ctx.length === 0) throw new PromptError(notice('attentionPrompt'));
  const T = ctx.length;
  const stacked = tf.tidy(() => {
    const { attention } = forward(model, tf.tensor2d(Int32Array.from(ctx), [1, T], 'int32'), { returnAttention: true });
    return tf.stack(attention!.map((a) => a.squeeze([0]))); // (L, nh, T, T)
  });
  const arr = (await stacked.array()) as number[][][][];
  stacked.dispose();
  return arr;
}

export interface GeneratedToken {
  id: number;
  /** What the token adds to the text: the token itself, or — overlapping DNA k-mers — its one new base. */
  text: string;
  /** The token as the vocabulary spells it, where that is not `text` (the k-mer AGG adds only G). */
  token?: string;
  /** Probability the model gave this token (before temperature / cut-offs). */
  p: number;
  /** The most likely alternatives at this position, under the model's own distribution. */
  alternatives: TokenPrediction[];
  /** Milliseconds the model took for this token (its forward pass and the read-back). */
  ms?: number;
}

/** Logits with every token outside `allowed` at −∞: the sampler never draws it. */
function only(logits: Logits, allowed: number[]): Logits {
  const out = new Float32Array(logits.length).fill(-Infinity);
  for (const id of allowed) out[id] = logits[id]!;
  return asLogits(out);
}

/**
 * Generate tokens one at a time, yielding each as soon as it is chosen. With the KV cache
 * (the default) each token costs one position while the text fits the context; past it,
 * the window slides and each token is a full pass over the window (as without the cache).
 *
 * DNA in overlapping k-mers: the next k-mer must begin with the last k − 1 bases written, so
 * only the four that do are drawn from (a trained model gives the others almost nothing; an
 * untrained one would write a k-mer that is no continuation, and read it back as context),
 * and each token adds one base to the text — 200 tokens, 200 bases.
 */
export async function* generate(model: GPT, tok: Tokenizer, prompt: string, cfg: SampleConfig, o: { cache?: boolean } = {}): AsyncGenerator<GeneratedToken> {
  const ids = tok.encode(prompt);
  if (ids.length === 0) throw new PromptError(notice('generatePrompt'));
  const rng = new Rng(cfg.seed);
  const uncached = (cs: number[][]) => nextTokenLogits(model, cs);
  const cached = o.cache === false ? undefined : new CachedLogits(model);
  try {
    for (let i = 0; i < cfg.maxTokens; i++) {
      const t0 = performance.now();
      const [logits] = await (cached ? cached.logits([ids.slice()]) : uncached([ids]));
      const ms = performance.now() - t0;
      const prev = ids[ids.length - 1]!;
      const allowed = consistentNext(tok, prev);
      const id = sampleToken(allowed ? only(logits!, allowed) : logits!, cfg, rng);
      const probs = softmax(logits!);
      ids.push(id);
      const token = tok.tokenText(id);
      const text = allowed ? (addedBases(tok, prev, id) ?? token) : token;
      const ranked = allowed ? allowed.map((a) => ({ id: a, p: probs[a]! })).sort((a, b) => b.p - a.p || a.id - b.id) : topK(probs, 5);
      yield {
        id,
        text,
        ...(text !== token ? { token } : {}),
        p: probs[id]!,
        alternatives: ranked.map(({ id: a, p }) => ({ id: a, p, token: tok.tokenText(a), display: tok.tokenDisplay(a) })),
        ms,
      };
    }
  } finally {
    cached?.dispose();
  }
}
