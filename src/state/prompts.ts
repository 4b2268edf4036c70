/** The page's bundled sentences: the fox prompt it opens with, and the article's two "bow" sentences. */

export const DEFAULT_PROMPT = 'The quick brown fox jumps over the lazy';

/**
 * The seed article's two "bow" sentences, cut just after "bow" (attention is causal: what
 * "bow" attends to is all before it). The one source for the attention panel's pair and
 * the example prompts.
 */
export const BOW_SENTENCES = {
  bowShow: 'At the end of the show, the singer took a bow',
  bowTarget: 'Jack wanted to go to the store to buy a new bow',
} as const;
