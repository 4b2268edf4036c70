/**
 * The next-words panel's words (ui/NextWordsPanel.tsx, ui/TrackedWord.tsx, ui/DnaBases.tsx),
 * in English and Portuguese: the prompt, the ranked guesses, a tracked word, and the next
 * bases of a DNA model.
 */
import { fmtNum } from '../format';

const nEn = (x: number) => fmtNum(x, 'en');
const nPt = (x: number) => fmtNum(x, 'pt-BR');

export const en = {
  nextTitle: 'What comes next?',
  nextHint: 'A language model does one thing: given some text, it gives every possible next word a probability. Type, and watch the guesses change.',
  prompt: 'Prompt',
  presetPrompts: 'Example prompts',
  presetNames: ['the fox', '“bow” (the show)', '“bow” (the target)', 'Shakespeare'] as string[],
  emptyPrompt: 'Type a prompt to see what comes next.',
  showWords: 'words',
  showTokens: 'tokens',
  barsTemperature: 'Temperature',
  barsTemperatureHint:
    'Reshapes the bars as sampling at this temperature would draw: 1 is the model’s own probabilities; lower gives the top guesses more, higher spreads the chance over the rest. Generate samples this way at its own temperature.',
  barsTemperatureReset: 'back to 1',
  showWhat: 'Show next words or next tokens',
  atStep: (x: number) => `model at step ${nEn(x)}`,
  rankedNext: (what: string) => `ranked next ${what}`,
  append: (w: string) => `Append “${w}” to the prompt`,
  otherWords: 'other words',
  uncovered: 'too unlikely to spell out',
  unknownChars: 'characters this model has never seen (ignored)',
  cropped: (n: number) => `the model only sees the last part of the prompt (${fmtNum(n, 'en')} tokens were cut off)`,
  continues: (w: string) => `continues “${w}”`,
  rareWord: '‹rare word›',
  completing: (w: string) => `completing “${w}…”: bars that begin with “${w}|” finish this word; the others start a new one`,
  keptInPlace: (w: string) => `“${w}” keeps its place while it has keyboard focus; the others are ranked around it`,
  notInTop: 'no longer among the top words',
  tokensExplain: 'The model really predicts tokens (here: pieces of text). A word’s probability is the product of its tokens’ probabilities.',
  // a tracked word (ui/TrackedWord.tsx)
  trackTitle: 'Track a word',
  trackHint: 'Its probability after the prompt, at every step of training: watch it rise as the model learns.',
  trackWord: 'Word to track',
  trackNow: (w: string, p: string) => `P(“${w}”) now: ${p}`,
  trackEmpty: 'Train the model to see the curve.',
  trackNoPrompt: 'The prompt is empty: with nothing before it, there is nothing to predict.',
  oneWord: 'Type one word (no spaces).',
  probability: 'probability',
  // a DNA model's next bases (ui/DnaBases.tsx)
  dnaShowBases: 'bases',
  dnaHint:
    'A genomic language model reads DNA and predicts the next base. In this genome a TATA box (TATAAA) comes exactly 10 bases before every gene, and a gene starts with ATG: after a TATA box and 10 bases, a trained model should rank ATG first.',
  dnaTokensExplain: 'The model really predicts tokens: here single bases, or k-mers. A codon’s probability is the product of its tokens’ probabilities.',
  dnaNextBase: 'next base',
  dnaRunsExplain: 'The next three bases (a codon, when the prompt ends between codons), summed over every way the tokens can spell them.',
  dnaOther: 'Tokens that add no base',
  dnaPresetNames: ['TATA box + 10 bases', 'TATA box + 7 bases', 'inside a gene', 'no TATA box'] as string[],
};

export const pt = {
  nextTitle: 'O que vem depois?',
  nextHint: 'Um modelo de linguagem faz uma coisa só: dado um texto, dá a cada próxima palavra possível uma probabilidade. Digite e veja os palpites mudarem.',
  prompt: 'Texto de entrada',
  presetPrompts: 'Exemplos',
  presetNames: ['a raposa', '“bow” (o show)', '“bow” (o alvo)', 'Shakespeare'],
  emptyPrompt: 'Digite um texto para ver o que vem depois.',
  showWords: 'palavras',
  showTokens: 'tokens',
  barsTemperature: 'Temperatura',
  barsTemperatureHint:
    'Remodela as barras como amostrar nessa temperatura sortearia: 1 são as probabilidades do próprio modelo; mais baixa dá mais aos primeiros palpites, mais alta espalha a chance pelo resto. O painel Gerar amostra assim, na temperatura dele.',
  barsTemperatureReset: 'voltar a 1',
  showWhat: 'Mostrar próximas palavras ou próximos tokens',
  atStep: (x) => `modelo no passo ${nPt(x)}`,
  rankedNext: (what) => `próximas ${what} em ordem`,
  append: (w) => `Acrescentar “${w}” ao texto`,
  otherWords: 'outras palavras',
  uncovered: 'improvável demais para soletrar',
  unknownChars: 'caracteres que este modelo nunca viu (ignorados)',
  cropped: (n) => `o modelo só vê o fim do texto (${fmtNum(n, 'pt-BR')} tokens foram cortados)`,
  continues: (w) => `continua “${w}”`,
  rareWord: '‹palavra rara›',
  completing: (w) => `completando “${w}…”: as barras que começam com “${w}|” terminam esta palavra; as outras começam uma nova`,
  keptInPlace: (w) => `“${w}” mantém o lugar enquanto tem o foco do teclado; as outras se ordenam ao redor`,
  notInTop: 'não está mais entre as primeiras palavras',
  tokensExplain: 'O modelo na verdade prevê tokens (aqui: pedaços de texto). A probabilidade de uma palavra é o produto das probabilidades dos seus tokens.',
  // a tracked word (ui/TrackedWord.tsx)
  trackTitle: 'Acompanhe uma palavra',
  trackHint: 'Sua probabilidade depois do texto, a cada passo do treino: veja-a subir conforme o modelo aprende.',
  trackWord: 'Palavra acompanhada',
  trackNow: (w, p) => `P(“${w}”) agora: ${p}`,
  trackEmpty: 'Treine o modelo para ver a curva.',
  trackNoPrompt: 'O texto está vazio: sem nada antes, não há o que prever.',
  oneWord: 'Digite uma palavra só (sem espaços).',
  probability: 'probabilidade',
  // a DNA model's next bases (ui/DnaBases.tsx)
  dnaShowBases: 'bases',
  dnaHint:
    'Um modelo de linguagem genômica lê DNA e prevê a próxima base. Neste genoma, uma TATA box (TATAAA) vem exatamente 10 bases antes de cada gene, e um gene começa com ATG: depois de uma TATA box e 10 bases, um modelo treinado deve pôr ATG em primeiro.',
  dnaTokensExplain:
    'O modelo prevê de fato tokens: aqui bases sozinhas, ou k-mers. A probabilidade de um códon é o produto das probabilidades dos seus tokens.',
  dnaNextBase: 'próxima base',
  dnaRunsExplain: 'As próximas três bases (um códon, quando o texto termina entre códons), somadas sobre todas as formas de os tokens as escreverem.',
  dnaOther: 'Tokens que não acrescentam base',
  dnaPresetNames: ['TATA box + 10 bases', 'TATA box + 7 bases', 'dentro de um gene', 'sem TATA box'],
} satisfies typeof en;
