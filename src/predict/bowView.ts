/**
 * One sentence as the "bow" view shows it: its tokens, what each attends to (every layer
 * and head), the ranked next words after it, and how the model goes on (greedy, to the
 * end of the sentence). Used with the bundled bow model (corpus/bow.txt), whose two senses
 * of "bow" should give two different futures.
 */
import type { GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer/tokenizer';
import { attentionMaps, cropContext, generate, predictNext, type Prediction } from './predictor';

export interface SentenceView {
  sentence: string;
  /** The tokens the model read (cropped to its context), made readable. */
  tokens: string[];
  /** [layer][head][query][key] */
  maps: number[][][][];
  prediction: Prediction;
  /** The model's greedy continuation, up to the end of the sentence. */
  continuation: string;
}

export async function viewSentence(model: GPT, tok: Tokenizer, sentence: string, maxTokens = 16): Promise<SentenceView> {
  const ids = cropContext(tok.encode(sentence), model.config.blockSize);
  const maps = await attentionMaps(model, ids);
  const prediction = await predictNext(model, tok, sentence, { topTokens: 5, beam: { topWords: 6 } });
  let continuation = '';
  for await (const t of generate(model, tok, sentence, { temperature: 1, topK: 0, topP: 1, greedy: true, maxTokens, seed: 0 })) {
    continuation += t.text;
    if (/[.!?\n]/.test(t.text)) break;
  }
  return { sentence, tokens: ids.map((i) => tok.tokenDisplay(i)), maps, prediction, continuation: continuation.replace(/\n/g, '') };
}
