/**
 * The attention panel's words (ui/AttentionPanel.tsx, ui/AttentionHeatmap.tsx), in
 * English and Portuguese: the attention map (of the prompt or a sentence of one's own, by
 * tokens or by words), and the two meanings of “bow”.
 */
import { fmtNum } from '../format';

const nEn = (x: number) => fmtNum(x, 'en');
const nPt = (x: number) => fmtNum(x, 'pt-BR');
export const en = {
  attnTitle: 'Attention',
  attnHint:
    'Attention lets each token look back at the earlier ones and decide which matter. Row = the token reading; column = the token it looks at; darker = more attention.',
  layer: 'Layer',
  head: 'Head',
  allHeads: 'mean of heads',
  attnFor: 'for the prompt above',
  attnCell: (q: string, k: string, p: string) => `“${q}” looks at “${k}”: ${p}`,
  attnFuture: (q: string, k: string) => `“${q}” cannot look ahead at “${k}”: later positions are hidden from it (the model only reads what came before).`,
  attnMapLabel: (n: number) => `${n}×${n} attention map (arrow keys move between cells)`,
  attnNone: 'Waiting for the model…',
  // a sentence of one's own, by tokens or by words
  attnSentence: 'Sentence',
  attnSentencePlaceholder: 'the prompt above, or a sentence of your own (bank, bat, light…)',
  attnLevel: 'Show',
  attnLevelTokens: 'token by token',
  attnLevelWords: 'word by word',
  attnByLive: (step: number) => `read by your model now (step ${nEn(step)})`,
  attnByRewound: (step: number) => `read by your model as it was at step ${nEn(step)}`,
  attnWordsRow: (word: string) => `What “${word}” looks at, word by word (press another word to read from it):`,
  attnWordsHint: 'A word’s attention is its tokens’ attention: added up over each word it looks at, averaged over its own tokens.',
  attnWordsDna: 'DNA has no words: the map shows its tokens.',
  attnWordButton: (word: string, p: string) => `“${word}”: ${p}`,
  bowSentence: (n: number) => `Sentence ${n}`,
  // the same word, two meanings: the bow model
  bowTitle: 'The same word, two meanings',
  bowHint:
    'What the last token of “bow” looks at in each sentence (darker = more attention). A tiny model trained for minutes manages this only roughly; big models do it with many layers and heads.',
  bowModelHint:
    'Both sentences are read by a small model trained on sentences where “bow” has both meanings (corpus/bow.txt), not by the model above. The darker a word, the more the last “bow” looks at it.',
  bowMissing: '“bow” is not in this model’s vocabulary: it cannot read the word.',
  bowNext: 'next words',
  bowGoesOn: 'goes on',
  bowLoading: 'Loading the bow model…',
  bowFailed: 'The bow model could not be loaded.',
};

export const pt = {
  attnTitle: 'Atenção',
  attnHint:
    'A atenção deixa cada token olhar para os anteriores e decidir quais importam. Linha = o token que lê; coluna = o token observado; mais escuro = mais atenção.',
  layer: 'Camada',
  head: 'Cabeça',
  allHeads: 'média das cabeças',
  attnFor: 'para o texto acima',
  attnCell: (q, k, p) => `“${q}” olha para “${k}”: ${p}`,
  attnFuture: (q, k) => `“${q}” não pode olhar adiante para “${k}”: as posições seguintes ficam ocultas (o modelo só lê o que veio antes).`,
  attnMapLabel: (n) => `mapa de atenção ${n}×${n} (as setas movem entre as células)`,
  attnNone: 'Aguardando o modelo…',
  // a sentence of one's own, by tokens or by words
  attnSentence: 'Frase',
  attnSentencePlaceholder: 'o prompt acima, ou uma frase sua (banco, manga, pena…)',
  attnLevel: 'Mostrar',
  attnLevelTokens: 'token a token',
  attnLevelWords: 'palavra a palavra',
  attnByLive: (step) => `lida pelo seu modelo agora (passo ${nPt(step)})`,
  attnByRewound: (step) => `lida pelo seu modelo como ele era no passo ${nPt(step)}`,
  attnWordsRow: (word) => `Para onde “${word}” olha, palavra por palavra (clique em outra palavra para ler a partir dela):`,
  attnWordsHint: 'A atenção de uma palavra é a atenção dos seus tokens: somada sobre cada palavra observada, com a média sobre os próprios tokens.',
  attnWordsDna: 'DNA não tem palavras: o mapa mostra os tokens.',
  attnWordButton: (word, p) => `“${word}”: ${p}`,
  bowSentence: (n) => `Frase ${n}`,
  // the same word, two meanings: the bow model
  bowTitle: 'A mesma palavra, dois sentidos',
  bowHint:
    'Para onde olha o último token de “bow” em cada frase (mais escuro = mais atenção). Um modelo minúsculo treinado por minutos faz isso só de forma grosseira; os grandes usam muitas camadas e cabeças.',
  bowModelHint:
    'As duas frases são lidas por um modelo pequeno treinado em frases onde “bow” tem os dois sentidos (corpus/bow.txt), não pelo modelo acima. Quanto mais escura a palavra, mais o último “bow” olha para ela.',
  bowMissing: '“bow” não está no vocabulário deste modelo: ele não consegue ler a palavra.',
  bowNext: 'próximas palavras',
  bowGoesOn: 'continua',
  bowLoading: 'Carregando o modelo do “bow”…',
  bowFailed: 'O modelo do “bow” não pôde ser carregado.',
} satisfies typeof en;
