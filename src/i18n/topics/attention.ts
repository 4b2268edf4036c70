/**
 * The attention panel's words (ui/AttentionPanel.tsx, ui/AttentionHeatmap.tsx), in
 * English and Portuguese: the attention map, and the two meanings of “bow”.
 */
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
