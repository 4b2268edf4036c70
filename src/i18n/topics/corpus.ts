/**
 * The corpus panel's words (ui/CorpusPanel.tsx, ui/KmerOptions.tsx, ui/corpusTitle.ts),
 * in English and Portuguese: the text the model reads, and the tokenizer that cuts it.
 */
import { fmtNum } from '../format';

const nEn = (x: number) => fmtNum(x, 'en');
const nPt = (x: number) => fmtNum(x, 'pt-BR');

export const en = {
  corpusTitle: 'Corpus',
  corpusHint: 'What the model reads is all it knows. Swap the text and the next words change.',
  bundled: 'Bundled text',
  corpusTitleFox: 'The quick brown fox',
  corpusTitleDna: 'A generated genome (DNA)',
  activeCorpus: 'Active corpus',
  chooseFile: 'Upload a .txt file',
  dropHere: 'or drop a .txt file here',
  notText: 'Drop a plain-text (.txt) file.',
  pasteLabel: 'Or paste text',
  pastePlaceholder: 'Paste a few thousand characters of any text…',
  usePaste: 'Use this text',
  loadingCorpus: 'Reading the corpus…',
  chars: 'characters',
  trainVal: (train: number, val: number) => `${nEn(train)} tokens to train on · ${nEn(val)} held out for validation`,
  // the tokenizer
  tokenizer: 'Tokenizer',
  tokenizerNames: { char: 'characters', word: 'words', bpe: 'BPE (sub-words)' } as Record<string, string>,
  vocabTarget: 'vocabulary size',
  vocabHint: 'the most it may use; a small text needs fewer.',
  applyTokenizer: 'Use this tokenizer',
  vocabulary: 'vocabulary',
  snippet: 'How the tokenizer cuts the text (one chip per token):',
  buildingTokenizer: (done: number, total: number) => `Building the tokenizer: ${nEn(done)} of ${nEn(total)} tokens…`,
  // the k-mer tokenizer for DNA (ui/KmerOptions.tsx)
  dnaKmerName: 'k-mers (DNA)',
  dnaK: 'k (bases per token)',
  dnaOverlap: 'overlapping',
  dnaOverlapHint: 'one token per base: each token is the k-mer that starts there, so the next token adds one new base',
  dnaTilesHint: (k: number) => `tokens tile the DNA: each adds ${k} base${k === 1 ? '' : 's'}`,
  dnaVocabTitle: (n: number, k: number, overlap: boolean) =>
    `Vocabulary: all ${n.toLocaleString('en')} ${k}-mers of A, C, G, T (${overlap ? 'overlapping' : 'side by side'}), plus <unk>`,
  dnaVocabMore: (n: number) => `… and ${n.toLocaleString('en')} more`,
};

export const pt = {
  corpusTitle: 'Corpus',
  corpusHint: 'O que o modelo lê é tudo o que ele sabe. Troque o texto e as próximas palavras mudam.',
  bundled: 'Texto incluído',
  corpusTitleFox: 'A rápida raposa marrom',
  corpusTitleDna: 'Um genoma gerado (DNA)',
  activeCorpus: 'Corpus ativo',
  chooseFile: 'Enviar um arquivo .txt',
  dropHere: 'ou solte um arquivo .txt aqui',
  notText: 'Solte um arquivo de texto simples (.txt).',
  pasteLabel: 'Ou cole um texto',
  pastePlaceholder: 'Cole alguns milhares de caracteres de qualquer texto…',
  usePaste: 'Usar este texto',
  loadingCorpus: 'Lendo o corpus…',
  chars: 'caracteres',
  trainVal: (train, val) => `${nPt(train)} tokens para treinar · ${nPt(val)} separados para validação`,
  // the tokenizer
  tokenizer: 'Tokenizador',
  tokenizerNames: { char: 'caracteres', word: 'palavras', bpe: 'BPE (subpalavras)' },
  vocabTarget: 'tamanho do vocabulário',
  vocabHint: 'o máximo que pode usar; um texto pequeno precisa de menos.',
  applyTokenizer: 'Usar este tokenizador',
  vocabulary: 'vocabulário',
  snippet: 'Como o tokenizador corta o texto (um bloco por token):',
  buildingTokenizer: (done, total) => `Construindo o tokenizador: ${nPt(done)} de ${nPt(total)} tokens…`,
  // the k-mer tokenizer for DNA (ui/KmerOptions.tsx)
  dnaKmerName: 'k-mers (DNA)',
  dnaK: 'k (bases por token)',
  dnaOverlap: 'sobrepostos',
  dnaOverlapHint: 'um token por base: cada token é o k-mer que começa ali, então o próximo token acrescenta uma base nova',
  dnaTilesHint: (k) => `os tokens ladrilham o DNA: cada um acrescenta ${k} base${k === 1 ? '' : 's'}`,
  dnaVocabTitle: (n, k, overlap) =>
    `Vocabulário: todos os ${n.toLocaleString('pt-BR')} ${k}-mers de A, C, G, T (${overlap ? 'sobrepostos' : 'lado a lado'}), mais <unk>`,
  dnaVocabMore: (n) => `… e mais ${n.toLocaleString('pt-BR')}`,
} satisfies typeof en;
