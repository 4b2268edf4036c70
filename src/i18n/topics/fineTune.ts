/**
 * The fine-tuning panel's words (ui/FineTunePanel.tsx, ui/FeedbackPair.tsx,
 * ui/TuneMetricsView.tsx, ui/BeforeAfter.tsx), in English and Portuguese: from
 * autocomplete to assistant, instruction tuning and human feedback.
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
  promptField: 'Prompt',
  completionField: 'Answer',
  addPair: 'Add',
  tuneSft: 'Tune on the examples',
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
  // before and after (ui/BeforeAfter.tsx)
  beforeAfter: 'Before and after, for the prompt above',
  before: 'before (reference)',
  after: 'after (now)',
  noReference: 'No stage has run yet: the reference is the model itself.',
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
  promptField: 'Prompt',
  completionField: 'Resposta',
  addPair: 'Adicionar',
  tuneSft: 'Ajustar com os exemplos',
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
  // before and after (ui/BeforeAfter.tsx)
  beforeAfter: 'Antes e depois, para o prompt acima',
  before: 'antes (referência)',
  after: 'depois (agora)',
  noReference: 'Nenhuma etapa rodou ainda: a referência é o próprio modelo.',
} satisfies typeof en;
