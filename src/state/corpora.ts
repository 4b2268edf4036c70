/**
 * The corpora bundled with the page. Loaded lazily (dynamic import of the raw text),
 * so the first paint does not wait for a megabyte of Shakespeare.
 */
export const BUNDLED_CORPORA = {
  shakespeare: { title: 'Tiny Shakespeare', file: 'tinyshakespeare.txt', load: () => import('../../corpus/tinyshakespeare.txt?raw') },
  fox: { title: 'The quick brown fox', file: 'fox.txt', load: () => import('../../corpus/fox.txt?raw') },
  dna: { title: 'A generated genome (DNA)', file: 'dna.txt', load: () => import('../../corpus/dna.txt?raw') },
} as const;

export type BundledCorpus = keyof typeof BUNDLED_CORPORA;

export function isBundledCorpus(s: string | null): s is BundledCorpus {
  return s !== null && Object.prototype.hasOwnProperty.call(BUNDLED_CORPORA, s);
}

export async function loadBundledCorpus(name: BundledCorpus): Promise<{ name: string; text: string }> {
  const c = BUNDLED_CORPORA[name];
  return { name: c.title, text: (await c.load()).default };
}
