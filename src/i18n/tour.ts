/**
 * The guided tour's chapters, one per idea of the article Folio grew from, in the
 * article's order, in English and Brazilian Portuguese (Folio's own words, not the
 * article's), and the tour's own buttons and labels (ui/Tour.tsx). The `en` and `pt` at the
 * end are this topic's part of the page's dictionaries (strings.ts), chapters under `tour`,
 * so the i18n test walks them too.
 * Pure data: what each chapter sets up is in src/state/tour.ts (showPlan), run by src/ui/tourShow.ts.
 */

/** The chapters, in the article's order. */
export const TOUR_CHAPTERS = ['predict', 'corpus', 'params', 'training', 'feedback', 'attention', 'gpu', 'dna'] as const;
export type TourChapterId = (typeof TOUR_CHAPTERS)[number];

export function isTourChapter(s: unknown): s is TourChapterId {
  return typeof s === 'string' && (TOUR_CHAPTERS as readonly string[]).includes(s);
}

export interface TourChapterText {
  title: string;
  /** A few sentences: the idea. */
  body: string;
  /** What *Show me* does to the page. */
  show: string;
  /** One thing to try. */
  try: string;
}

export const tourEn: Record<TourChapterId, TourChapterText> = {
  predict: {
    title: 'Guessing the next word',
    body: 'A language model does one thing, over and over: it reads the text so far and gives every possible next word a probability. It does not know that the fox sentence ends in “dog”; it has only seen that “dog” tends to come next. The bars are that list of guesses, most likely first.',
    show: 'Puts the fox sentence in the prompt, on the model that read the fox text, and points at its guesses.',
    try: 'Change the last word of the prompt, or click a bar to add that word, and watch the guesses reshuffle.',
  },
  corpus: {
    title: 'What it reads is what it writes',
    body: 'A model can only echo the text it learned from. Fed the whole web, it picks up a bit of everything; fed only Shakespeare’s plays, it sounds like them: names in capitals, short lines, “thou”. Folio ships two small texts and learns from yours too.',
    show: 'Switches to the Tiny Shakespeare model (asking first if you trained the one you have) and points at the choice of text.',
    try: 'Keep the fox prompt and compare Shakespeare’s guesses with the fox model’s. Then paste a page of your own writing and train on it.',
  },
  params: {
    title: '“Large” means parameters',
    body: 'A model is a pile of adjustable numbers, its parameters. A straight line has two: slope and intercept. GPT-3 had 175 billion; Folio’s models have from a few thousand to a few million. The ruler is logarithmic: each tick is ten times the one before it.',
    show: 'Points at the ruler that runs from the two-parameter line to GPT-3, with this model’s dot on it.',
    try: 'Pick another size in the preset list: a dashed ring shows where it would sit on the ruler before you build it.',
  },
  training: {
    title: 'Training: guess, measure, nudge',
    body: 'All those parameters start out random. Training shows the model a stretch of text, compares each of its guesses with the character that really came next and measures the error, the loss. Backpropagation then works out which way to nudge every parameter so the same guess is a little less wrong next time. Thousands of nudges later, the loss has fallen.',
    show: 'Goes back to the fox model and its sentence (asking first if you trained the one you have), opens “One step of backpropagation” under Inside the model and points at it.',
    try: 'Press “Step” there to watch a single nudge raise the chance of “dog”. Then press “Train from scratch”: the fox bars go flat, the loss curve falls, and the chance of “dog” climbs back by itself.',
  },
  feedback: {
    title: 'From autocomplete to assistant',
    body: 'Learning to predict the next word is pre-training: it makes a model that continues text, not one that answers. A chatbot is tuned further, first on example instructions with good answers, then on human feedback: people mark the better of two answers and the model is trained again on their choices (RLHF).',
    show: 'Points at the stages this model has been through, from pre-training to human feedback.',
    try: 'Ask for two samples, pick the better one a few times, train on your choices, then compare the words before and after.',
  },
  attention: {
    title: 'Attention: a word in its context',
    body: 'A transformer reads the whole text at once rather than word by word, which is what lets it use parallel hardware. Its key step, attention, lets each word look back at the words before it and refine what it means. The “bow” a singer takes is not the “bow” bought for target practice, and attention is how a model can tell them apart.',
    show: 'Puts the singer’s “bow” sentence in the prompt and points at the two “bow” sentences side by side.',
    try: 'Change the layer and the head, and see which earlier letters each “bow” looks at. A model this small gets only part of the way; the shading shows how far.',
  },
  gpu: {
    title: 'Why GPUs',
    body: 'Training is mostly multiplying big tables of numbers, the same linear algebra that draws a video game. A GPU does thousands of these small sums at the same time, where a CPU does a handful. Transformers were built so that almost every step can run in parallel, and that pairing is what let language models grow so large.',
    show: 'Points at the race between this browser’s backends, timed on your own machine.',
    try: 'Run the race, or open the backend badge to see which engine trains here and why the others were skipped.',
  },
  dna: {
    title: 'Beyond words: DNA',
    body: 'Nothing in a language model is tied to English. Trained on DNA, a text of four letters, A, C, G and T, a genomic language model (gLM) learns the patterns of genomes, such as the signals that come just before a gene, and helps scientists study how DNA works.',
    show: 'Switches to the bundled genome (asking first if you trained the model you have) and puts a stretch of DNA in the prompt.',
    try: 'After a TATA box and a short gap, see whether the start of a gene, “ATG”, ranks high.',
  },
};

export const tourPt: Record<TourChapterId, TourChapterText> = {
  predict: {
    title: 'Adivinhar a próxima palavra',
    body: 'Um modelo de linguagem faz uma coisa só, várias e várias vezes: lê o texto até aqui e dá uma probabilidade a cada palavra que pode vir depois. Ele não sabe que a frase da raposa termina em “dog”; só viu que “dog” costuma vir em seguida. As barras são essa lista de palpites, do mais provável para o menos.',
    show: 'Coloca a frase da raposa no texto de entrada, no modelo que leu o texto da raposa, e aponta para os palpites.',
    try: 'Troque a última palavra do texto, ou clique numa barra para acrescentar a palavra, e veja os palpites se reorganizarem.',
  },
  corpus: {
    title: 'O que ele lê é o que ele escreve',
    body: 'Um modelo só consegue ecoar o texto com que aprendeu. Alimentado com a web inteira, aprende um pouco de tudo; alimentado só com as peças de Shakespeare, fala como elas: nomes em maiúsculas, versos curtos, “thou”. O Folio traz dois textos pequenos e também aprende com o seu.',
    show: 'Troca para o modelo do Tiny Shakespeare (perguntando antes, se você treinou o modelo atual) e aponta para a escolha do texto.',
    try: 'Mantenha a frase da raposa e compare os palpites do Shakespeare com os do modelo da raposa. Depois cole uma página escrita por você e treine com ela.',
  },
  params: {
    title: '“Grande” quer dizer parâmetros',
    body: 'Um modelo é um monte de números ajustáveis, os parâmetros. Uma reta tem dois: a inclinação e o intercepto. O GPT-3 tinha 175 bilhões; os modelos do Folio têm de alguns milhares a alguns milhões. A régua é logarítmica: cada marca vale dez vezes a anterior.',
    show: 'Aponta para a régua que vai da reta de dois parâmetros até o GPT-3, com o ponto deste modelo nela.',
    try: 'Escolha outro tamanho na lista de predefinições: um anel tracejado mostra onde ele ficaria na régua antes de você construí-lo.',
  },
  training: {
    title: 'Treinar: palpitar, medir, ajustar',
    body: 'Todos esses parâmetros começam aleatórios. O treino mostra ao modelo um trecho de texto, compara cada palpite com o caractere que de fato veio depois e mede o erro, a perda. A retropropagação calcula então para que lado ajustar cada parâmetro, para que o mesmo palpite erre um pouco menos da próxima vez. Milhares de ajustes depois, a perda caiu.',
    show: 'Volta ao modelo da raposa e à sua frase (perguntando antes, se você treinou o modelo atual), abre “Um passo de retropropagação” em Dentro do modelo e aponta para ele.',
    try: 'Aperte “Passo” ali para ver um único ajuste aumentar a chance de “dog”. Depois aperte “Treinar do zero”: as barras da raposa ficam planas, a curva da perda cai e a chance de “dog” volta a subir sozinha.',
  },
  feedback: {
    title: 'Do autocompletar ao assistente',
    body: 'Aprender a prever a próxima palavra é o pré-treino: ele gera um modelo que continua textos, não um que responde. Um chatbot passa por mais ajustes: primeiro com exemplos de instruções e boas respostas, depois com feedback humano, em que pessoas marcam a melhor de duas respostas e o modelo é treinado de novo com essas escolhas (RLHF).',
    show: 'Aponta para as etapas por que este modelo passou, do pré-treino ao feedback humano.',
    try: 'Peça duas amostras, escolha a melhor algumas vezes, treine com as suas escolhas e compare as palavras de antes e de depois.',
  },
  attention: {
    title: 'Atenção: a palavra no seu contexto',
    body: 'Um transformer lê o texto inteiro de uma vez, e não palavra por palavra, e é isso que permite usar hardware paralelo. O passo central dele, a atenção, deixa cada palavra olhar para as anteriores e refinar o que ela significa. O “bow” de quem agradece no palco não é o “bow” comprado para tiro ao alvo, e a atenção é o que permite ao modelo separar os dois.',
    show: 'Coloca a frase do “bow” da cantora no texto de entrada e aponta para as duas frases com “bow”, lado a lado.',
    try: 'Mude a camada e a cabeça e veja para quais letras anteriores cada “bow” olha. Um modelo tão pequeno vai só até certo ponto; o sombreado mostra até onde.',
  },
  gpu: {
    title: 'Por que GPUs',
    body: 'Treinar é, quase todo o tempo, multiplicar grandes tabelas de números: a mesma álgebra linear que desenha um videogame. Uma GPU faz milhares dessas pequenas contas ao mesmo tempo, enquanto uma CPU faz umas poucas. Os transformers foram pensados para que quase todo passo possa rodar em paralelo, e essa combinação deixou os modelos de linguagem crescerem tanto.',
    show: 'Aponta para a corrida entre os backends deste navegador, cronometrada na sua própria máquina.',
    try: 'Rode a corrida, ou abra o selo do backend para ver qual motor treina aqui e por que os outros foram pulados.',
  },
  dna: {
    title: 'Além das palavras: DNA',
    body: 'Nada em um modelo de linguagem é preso ao inglês. Treinado com DNA, um texto de quatro letras, A, C, G e T, um modelo de linguagem genômica (gLM) aprende os padrões dos genomas, como os sinais que vêm logo antes de um gene, e ajuda cientistas a estudar como o DNA funciona.',
    show: 'Troca para o genoma que vem com a página (perguntando antes, se você treinou o modelo atual) e coloca um trecho de DNA no texto de entrada.',
    try: 'Depois de uma caixa TATA e um pequeno intervalo, veja se o começo de um gene, “ATG”, fica entre os primeiros.',
  },
};

/** The tour's buttons and labels, and its chapters under `tour`, as the page's dictionaries hold them. */
export const en = {
  tour: tourEn,
  tourOpen: 'Tour',
  tourResume: (n: number, of: number) => `Tour ${n}/${of}`,
  tourOpenLabel: 'Open the guided tour of the article',
  tourLabel: 'Guided tour',
  tourChapters: 'Chapters',
  tourChapterOf: (n: number, of: number) => `Chapter ${n} of ${of}`,
  tourShow: 'Show me',
  tourTry: 'Try it',
  tourShown: 'Highlighted on the page.',
  tourKept: 'Nothing changed: you kept the model you trained.',
  tourPrev: 'Previous',
  tourNext: 'Next',
  tourClose: 'Close the tour',
  tourKeys: '← → change chapter · Esc closes',
};

export const pt = {
  tour: tourPt,
  tourOpen: 'Tour',
  tourResume: (n, of) => `Tour ${n}/${of}`,
  tourOpenLabel: 'Abrir o tour guiado pelo artigo',
  tourLabel: 'Tour guiado',
  tourChapters: 'Capítulos',
  tourChapterOf: (n, of) => `Capítulo ${n} de ${of}`,
  tourShow: 'Mostre-me',
  tourTry: 'Experimente',
  tourShown: 'Destacado na página.',
  tourKept: 'Nada mudou: você ficou com o modelo que treinou.',
  tourPrev: 'Anterior',
  tourNext: 'Próximo',
  tourClose: 'Fechar o tour',
  tourKeys: '← → mudam de capítulo · Esc fecha',
} satisfies typeof en;
