/**
 * What the attention panel reads (issue 27): a sentence the person typed (empty: the prompt
 * above), whether the map is shown token by token or word by word, and the live model's
 * attention for the typed sentence (of model `modelId`: a new model's is asked again). The
 * prompt's own map stays in the main store (promptSlice), a rewound snapshot's in its
 * rewind slice. Commands: commands/attention.ts.
 */
import type { AttentionView } from './store/promptSlice';
import { makeStore } from './store/makeStore';

export type AttentionLevel = 'tokens' | 'words';

export interface AttentionTextState {
  /** The sentence typed for the map ('': the prompt). */
  sentence: string;
  level: AttentionLevel;
  /** The live model's map of the typed sentence. */
  typed?: { modelId: string; text: string; step: number; view: AttentionView };
}

export const useAttentionText = makeStore<AttentionTextState>(() => ({ sentence: '', level: 'tokens' }));

/** The text the map is of: the typed sentence, or the prompt. */
export function attentionTextOf(sentence: string, prompt: string): string {
  return sentence.trim() ? sentence : prompt;
}
