/**
 * The fine-tuning panel's words (ui/fineTune/: the panel, instruction tuning and the chat
 * box, the feedback pair, the stage's metrics and its cost, before and after), in English
 * and Portuguese: from autocomplete to assistant, instruction tuning, human feedback, and
 * what a stage costs.
 */
import { fmtNum } from '../format';

export const en = {
  tuneTitle: 'From autocomplete to assistant',
  tuneHint:
    'Pre-training only teaches a model to continue text. To answer well it is tuned on instructions, then on human feedback: people mark the better answer, and the model is trained again on their choices.',
  stagePretrain: 'Pre-training',
  stageSft: 'Instruction tuning',
  stageFeedback: 'Human feedback',
  stagesDone: (list: string) => `This model has been through: ${list}.`,
  // instruction tuning
  sftTitle: 'Instruction tuning',
  sftHint: 'Pairs of prompt → answer. The loss counts only the answer: the prompt is context and is never scored.',
  examplesCount: (n: number) => `${fmtNum(n, 'en')} example${n === 1 ? '' : 's'}`,
  loadExamples: 'Add the fox example pairs',
  uploadJsonl: 'Add a .jsonl file',
  promptField: 'Question',
  completionField: 'Answer',
  addPair: 'Add',
  ownPairsHint: (before: string, after: string, end: string) =>
    `Add your own questions about the corpus and their answers: they are written as the pairs above are (${before}question${after}→ answer${end}).`,
  tuneSft: 'Tune on the examples',
  // the chat box (ui/fineTune/ChatBox.tsx)
  chatTitle: 'Ask the model',
  chatHint: (format: string) => `Your question goes in as ${format} — the format the pairs were tuned in — and the model answers with its most likely words.`,
  chatUntuned: 'This model has not been instruction-tuned yet: it continues your question as text. Tune it on the pairs above, then ask again.',
  chatQ: 'Q:',
  chatA: 'A:',
  chatAsk: 'Ask',
  chatWaiting: '…',
  // what a stage keeps and what it costs (ui/fineTune/StageOptions.tsx, ui/fineTune/CostView.tsx)
  keepLabel: 'Keep what it knew (hold its predictions on pre-training text)',
  keepHint:
    'Each step also reads a batch of the corpus the data does not touch and pulls the model’s predictions there back toward the model before the stage. Turn it off and watch the cost climb: the model forgets what it knew (instruction tuning turned “…over the lazy” into “lazye”).',
  klBudget: 'KL budget (nats)',
  klBudgetHint: 'The stage stops once its KL from the model before it, on corpus prompts the data does not touch, passes this. 0: no budget.',
  costTitle: 'What else changed: the cost',
  costHint: (prompts: number) =>
    `Measured every 10 steps on ${fmtNum(prompts, 'en')} prompts from the corpus that the tuning data does not touch: how far the model's next-token odds moved from before the stage.`,
  costKl: 'KL from before',
  costTv: 'probability moved',
  costBudget: 'budget',
  lrStage: 'this fine-tuning stage’s own: it warms up over the stage’s first 10 steps, then stays constant',
  // human feedback (ui/FeedbackPair.tsx)
  feedbackTitle: 'Human feedback',
  feedbackHint:
    'Pick the better of two samples from the model. Your choices train it: a reward model learns them and the model learns from its own samples (RLHF), or the model learns them directly (DPO).',
  feedbackPrompt: 'Prompt for the samples',
  showPair: 'Show two samples',
  better: 'This one is better',
  bothBad: 'Both bad',
  skip: 'Skip',
  ratingsCount: (n: number, pairs: number) =>
    `${fmtNum(n, 'en')} rating${n === 1 ? '' : 's'} kept (${fmtNum(pairs, 'en')} usable pair${pairs === 1 ? '' : 's'}; "both bad" is kept but forms no pair)`,
  loadFeedback: 'Add the fox example feedback',
  method: 'Method',
  methodRlhf: 'RLHF (reward model + policy gradient)',
  methodDpo: 'DPO (direct preference optimisation)',
  beta: 'β (KL weight)',
  betaHint:
    'How strongly the model is held to the reference (the model before this stage). Lower it and watch the KL grow: the model starts to please the reward model rather than you (reward hacking).',
  tuneSteps: 'Steps',
  trainFeedback: 'Train on the feedback',
  review: 'Review ratings',
  deleteRating: 'Delete',
  ratingChosen: 'chosen',
  ratingRejected: 'rejected',
  ratingBad: 'both bad',
  // the stage as it trains (ui/TuneMetricsView.tsx)
  tuneMetrics: 'This stage, as it trains',
  metricLoss: 'loss',
  metricMargin: 'reward margin',
  metricReward: 'reward',
  metricKl: 'KL to reference',
  metricRmAcc: 'reward model accuracy (held-out)',
  metricWinRate: 'win rate vs reference (held-out prompts)',
  metricKeepKl: 'KL on the held pre-training text',
  sameSamples: 'The model wrote the same text every time it was asked: it is sure of this continuation, so there is nothing to compare. Try another prompt.',
  // before and after (ui/BeforeAfter.tsx)
  beforeAfter: 'Before and after, for the prompt above',
  before: 'before (reference)',
  after: 'after (now)',
  noReference: 'No stage has run yet: the reference is the model itself.',
  topWord: (before: string, after: string) => `Top word: ${before} before, ${after} now.`,
};

export const pt = {
  tuneTitle: 'Do autocompletar ao assistente',
  tuneHint:
    'O pré-treino só ensina o modelo a continuar textos. Para responder bem, ele é ajustado com instruções e depois com feedback humano: pessoas marcam a resposta melhor, e o modelo é treinado de novo com essas escolhas.',
  stagePretrain: 'Pré-treino',
  stageSft: 'Ajuste com instruções',
  stageFeedback: 'Feedback humano',
  stagesDone: (list) => `Este modelo passou por: ${list}.`,
  // instruction tuning
  sftTitle: 'Ajuste com instruções',
  sftHint: 'Pares de prompt → resposta. A perda conta só a resposta: o prompt é contexto e nunca é pontuado.',
  examplesCount: (n) => `${fmtNum(n, 'pt-BR')} exemplo${n === 1 ? '' : 's'}`,
  loadExamples: 'Adicionar os pares de exemplo da raposa',
  uploadJsonl: 'Adicionar um arquivo .jsonl',
  promptField: 'Pergunta',
  completionField: 'Resposta',
  addPair: 'Adicionar',
  ownPairsHint: (before, after, end) =>
    `Adicione suas próprias perguntas sobre o corpus e as respostas: elas são escritas como os pares acima (${before}pergunta${after}→ resposta${end}).`,
  tuneSft: 'Ajustar com os exemplos',
  // the chat box (ui/fineTune/ChatBox.tsx)
  chatTitle: 'Pergunte ao modelo',
  chatHint: (format) => `Sua pergunta entra como ${format} — o formato em que os pares foram ajustados — e o modelo responde com as palavras mais prováveis.`,
  chatUntuned: 'Este modelo ainda não foi ajustado com instruções: ele continua sua pergunta como texto. Ajuste-o com os pares acima e pergunte de novo.',
  chatQ: 'P:',
  chatA: 'R:',
  chatAsk: 'Perguntar',
  chatWaiting: '…',
  // what a stage keeps and what it costs (ui/fineTune/StageOptions.tsx, ui/fineTune/CostView.tsx)
  keepLabel: 'Manter o que sabia (segurar as previsões no texto do pré-treino)',
  keepHint:
    'Cada passo também lê um lote do corpus que os dados não tocam e puxa as previsões do modelo ali de volta para o modelo antes da etapa. Desligue e veja o custo subir: o modelo esquece o que sabia (o ajuste com instruções transformou “…over the lazy” em “lazye”).',
  klBudget: 'Orçamento de KL (nats)',
  klBudgetHint: 'A etapa para quando o KL em relação ao modelo antes dela, em prompts do corpus que os dados não tocam, passa disto. 0: sem orçamento.',
  costTitle: 'O que mais mudou: o custo',
  costHint: (prompts) =>
    `Medido a cada 10 passos em ${fmtNum(prompts, 'pt-BR')} prompts do corpus que os dados de ajuste não tocam: quanto as chances do próximo token se moveram desde antes da etapa.`,
  costKl: 'KL desde antes',
  costTv: 'probabilidade movida',
  costBudget: 'orçamento',
  lrStage: 'a desta etapa de ajuste: ela aquece nos primeiros 10 passos da etapa e depois fica constante',
  // human feedback (ui/FeedbackPair.tsx)
  feedbackTitle: 'Feedback humano',
  feedbackHint:
    'Escolha a melhor de duas amostras do modelo. Suas escolhas o treinam: um modelo de recompensa as aprende e o modelo aprende com as próprias amostras (RLHF), ou o modelo as aprende diretamente (DPO).',
  feedbackPrompt: 'Prompt das amostras',
  showPair: 'Mostrar duas amostras',
  better: 'Esta é melhor',
  bothBad: 'As duas ruins',
  skip: 'Pular',
  ratingsCount: (n, pairs) =>
    `${fmtNum(n, 'pt-BR')} avaliaç${n === 1 ? 'ão guardada' : 'ões guardadas'} (${fmtNum(pairs, 'pt-BR')} par${pairs === 1 ? '' : 'es'} utilizáve${pairs === 1 ? 'l' : 'is'}; "as duas ruins" fica guardada mas não forma par)`,
  loadFeedback: 'Adicionar o feedback de exemplo da raposa',
  method: 'Método',
  methodRlhf: 'RLHF (modelo de recompensa + gradiente de política)',
  methodDpo: 'DPO (otimização direta de preferências)',
  beta: 'β (peso do KL)',
  betaHint:
    'Quanto o modelo é segurado perto da referência (o modelo antes desta etapa). Diminua e veja o KL crescer: o modelo passa a agradar o modelo de recompensa em vez de você (reward hacking).',
  tuneSteps: 'Passos',
  trainFeedback: 'Treinar com o feedback',
  review: 'Revisar avaliações',
  deleteRating: 'Apagar',
  ratingChosen: 'escolhida',
  ratingRejected: 'rejeitada',
  ratingBad: 'as duas ruins',
  // the stage as it trains (ui/TuneMetricsView.tsx)
  tuneMetrics: 'Esta etapa, enquanto treina',
  metricLoss: 'perda',
  metricMargin: 'margem de recompensa',
  metricReward: 'recompensa',
  metricKl: 'KL até a referência',
  metricRmAcc: 'acurácia do modelo de recompensa (pares reservados)',
  metricWinRate: 'taxa de vitória contra a referência (prompts reservados)',
  metricKeepKl: 'KL no texto do pré-treino segurado',
  sameSamples: 'O modelo escreveu o mesmo texto todas as vezes: ele tem certeza desta continuação, então não há o que comparar. Tente outro prompt.',
  // before and after (ui/BeforeAfter.tsx)
  beforeAfter: 'Antes e depois, para o prompt acima',
  before: 'antes (referência)',
  after: 'depois (agora)',
  noReference: 'Nenhuma etapa rodou ainda: a referência é o próprio modelo.',
  topWord: (before, after) => `Palavra mais provável: ${before} antes, ${after} agora.`,
} satisfies typeof en;
