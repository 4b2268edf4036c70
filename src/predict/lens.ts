/**
 * The logit lens: what the model would predict if it stopped after layer l. Each layer
 * adds its output to the residual stream; reading the stream at layer l through the final
 * LayerNorm and the tied head (the same path the real output takes) gives that layer's
 * best guesses for the next token — showing where in the network the answer appears.
 *
 * Layer 0 is the stream before any block (token + position embeddings); layer nLayer is
 * the model's real prediction. The stream after l blocks is exactly what `forward` computes
 * on a model with only its first l blocks, so that is how it is read: no second copy of
 * the model's maths to drift from the first.
 */
import * as tf from '@tensorflow/tfjs';
import { forward, type GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer/tokenizer';
import { cropContext, PromptError, type TokenPrediction } from './predictor';
import { asLogits, softmax, topK, type Probs } from './probs';
import { notice } from '../i18n';

export interface LensRow {
  /** 0 = the embeddings, l = after block l. */
  layer: number;
  /** This layer's best guesses, most likely first. */
  top: TokenPrediction[];
  /** The probability this layer gives the model's final top token. */
  pFinal: number;
}

export interface LensResult {
  /** The prompt's tokens the model read (after cropping to the context), for display. */
  tokens: string[];
  rows: LensRow[];
  /** The model's real next-token choice (the last row's top). */
  finalTop: TokenPrediction;
}

/** The model cut after its first `layers` blocks (same parameters, shared, not copied). */
export function firstLayers(model: GPT, layers: number): GPT {
  return { ...model, config: { ...model.config, nLayer: layers }, params: { ...model.params, h: model.params.h.slice(0, layers) } };
}

/** Each layer's next-token distribution after `prompt`, as plain arrays: [layer][token]. */
export async function lensProbs(model: GPT, ids: number[]): Promise<Probs[]> {
  const ctx = cropContext(ids, model.config.blockSize);
  const T = ctx.length;
  const V = model.config.vocabSize;
  const L = model.config.nLayer;
  const last = tf.tidy(() => {
    const idx = tf.tensor2d(Int32Array.from(ctx), [1, T], 'int32');
    const rows = Array.from({ length: L + 1 }, (_, l) => tf.slice(forward(firstLayers(model, l), idx).logits, [0, T - 1, 0], [1, 1, V]).reshape([V]));
    return tf.stack(rows); // (L + 1, V)
  });
  const data = (await last.data()) as Float32Array;
  last.dispose();
  return Array.from({ length: L + 1 }, (_, l) => softmax(asLogits(data.slice(l * V, (l + 1) * V))));
}

export async function logitLens(model: GPT, tok: Tokenizer, prompt: string, top = 5): Promise<LensResult> {
  const ids = tok.encode(prompt);
  if (ids.length === 0)
    throw new PromptError(prompt.length === 0 ? notice('promptEmpty') : notice('promptUnknown', { chars: tok.unknownChars(prompt).join(' ') }));
  const probs = await lensProbs(model, ids);
  const pred = (id: number, p: number): TokenPrediction => ({ id, p, token: tok.tokenText(id), display: tok.tokenDisplay(id) });
  const final = topK(probs[probs.length - 1]!, 1)[0]!;
  const rows = probs.map((p, layer) => ({
    layer,
    top: topK(p, top).map(({ id, p: q }) => pred(id, q)),
    pFinal: p[final.id]!,
  }));
  return { tokens: cropContext(ids, model.config.blockSize).map((i) => tok.tokenDisplay(i)), rows, finalTop: pred(final.id, final.p) };
}
