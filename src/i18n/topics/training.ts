/**
 * The training panel's words (ui/TrainingPanel.tsx, ui/LossChart.tsx, ui/SamplesFeed.tsx,
 * ui/CheckpointTools.tsx), in English and Portuguese: the buttons and counters of a run,
 * the learning rate, the loss curve, the samples, and saving the model.
 */
import { fmtNum } from '../format';

const nEn = (x: number) => fmtNum(x, 'en');
const nPt = (x: number) => fmtNum(x, 'pt-BR');

export const en = {
  trainTitle: 'Training',
  trainHint:
    'Each step shows the model a batch of text and nudges every parameter a little to make the real next tokens more likely (backpropagation). The loss measures how surprised the model is: lower is better.',
  freshModel: 'This model has random weights, so its guesses are noise. Press “Train” and watch them turn into words.',
  demoModel: (corpus: string, steps: number, loss?: string) =>
    `This model was already trained for ${nEn(steps)} steps on “${corpus}”${loss ? ` (loss ${loss})` : ''}, so it has something to say. Press “Train from scratch” to watch it learn from random weights.`,
  trainFirst: 'Train',
  trainFromScratch: 'Train from scratch',
  trainFromScratchTitle: 'New random weights, then train',
  pause: 'Pause',
  resume: 'Resume',
  continueTraining: 'Continue training',
  stepOnce: 'One step',
  targetSteps: 'Steps to train',
  stepsInvalid: 'Enter a whole number from 1 to 1,000,000.',
  stepOf: 'step',
  tuneStepOf: (stage: string) => `${stage} step`,
  tokensPerSec: 'tokens/s',
  elapsed: 'elapsed',
  eta: 'left',
  stateNames: { idle: 'ready', running: 'training', paused: 'paused', done: 'done' } as Record<string, string>,
  stateTrained: 'trained',
  stateLoading: 'loading…',
  stateNoModel: 'no model',
  preparing: 'Preparing the model…',
  noRun: 'no training run yet',
  runProgress: (done: number, of: number) => `this run: ${nEn(done)} of ${nEn(of)} steps`,
  trainWaitsForExperiment:
    'The backend race or the size sweep is using the worker: training waits, and a run that was going on resumes by itself when it ends.',
  // the learning rate and its schedule
  lr: 'learning rate',
  lrLabel: 'Learning rate',
  lrHint:
    'How big each nudge is, used by the next “Train from scratch” and by “Resume”. Too high (try 10) and the loss blows up; Folio then pauses and goes back to the last good weights: lower it here and press Resume.',
  lrInUse: (now: string) => `Learning rate in use: ${now}`,
  lrWarmup: (peak: string, x: number) => `warming up to ${peak} over the first ${nEn(x)} steps`,
  lrDecay: (peak: string, min: string, at: number) => `falling from ${peak} to ${min} by step ${nEn(at)}`,
  lrFloor: (at: number) => `the floor of this model’s schedule, reached at step ${nEn(at)}`,
  lrTyped: (typed: string) =>
    `Your ${typed} is used when you press “Resume” (the schedule goes on from this step at that peak) or “Train from scratch” (a new schedule).`,
  // the loss curve (ui/LossChart.tsx)
  loss: 'loss',
  valLoss: 'val loss',
  trainLoss: 'train loss',
  step: 'step',
  smoothed: 'smoothed',
  logScale: 'log scale',
  chartLabel: 'Loss over training steps',
  chartEmpty: 'The loss curve appears when training starts.',
  chartNoHistory: (steps: number) =>
    `This model was trained for ${nEn(steps)} steps before it was loaded; its loss curve was not saved with it. Train on to draw the curve from here.`,
  lossExplain: 'Train loss: on the text it learns from. Val loss: on held-out text it never trains on — if only train loss falls, it is memorising.',
  // the unit of every loss (ui/LossUnitToggle.tsx, state/lossUnit.ts)
  unitLabel: 'Losses in',
  unitAuto: (now: string) => `automatic (${now} now)`,
  unitName: (u: 'nats' | 'bits', text: 'char' | 'base'): string => (u === 'nats' ? 'nats per token' : text === 'base' ? 'bits per base' : 'bits per character'),
  unitShort: (u: 'nats' | 'bits', text: 'char' | 'base'): string => (u === 'nats' ? 'nats/token' : text === 'base' ? 'bits/base' : 'bits/char'),
  unitExplain: (cpt: string, text: 'char' | 'base') =>
    `Nats per token is what the model minimises, and it depends on how the tokenizer cuts the text: a token of two characters is harder to guess than one of one. Bits per ${text === 'base' ? 'base' : 'character'} divides by the ${text === 'base' ? 'bases' : 'characters'} each token stands for (${cpt} here, measured on the val text) and by ln 2, so runs with different tokenizers compare. Automatic shows it while other runs are drawn.`,
  unitNotDrawn: (n: number) =>
    `${nEn(n)} ticked ${n === 1 ? 'run is' : 'runs are'} not drawn: kept before Folio measured characters per token, ${n === 1 ? 'it has' : 'they have'} no bits per character (switch to nats per token to see ${n === 1 ? 'it' : 'them'}).`,
  chanceLineBits: (v: string, unit: string) => `random guessing: log₂(vocabulary) ÷ characters per token = ${v} ${unit}`,
  // the samples written while it learns (ui/SamplesFeed.tsx)
  samplesTitle: 'What the model writes as it learns',
  samplesEmpty: (x: number) => `Every ${nEn(x)} steps the model writes a short sample here.`,
  // keeping the model (ui/CheckpointTools.tsx)
  checkpointsTitle: 'Keep your model',
  exportFiles: 'Save to files',
  importFiles: 'Load from files',
  importHint: 'the .json and the .weights.bin you saved, or the Hugging Face .zip',
  savedHere: (step: number) => `Saved in this browser at step ${nEn(step)}.`,
  autosaveHint: 'Folio saves your model in this browser while it trains and when you pause; a reload offers to resume.',
  hfExport: 'Save for Python / Hugging Face',
  hfExportHint:
    'Save for Python / Hugging Face downloads one .zip of a GPT-2 folder (config.json, model.safetensors, tokenizer.json, tokenizer_config.json, folio.json, and a README.md with the Python that loads it): unzip it and load the folder with transformers. Load from files reads the .zip back too.',
};

export const pt = {
  trainTitle: 'Treino',
  trainHint:
    'Cada passo mostra ao modelo um lote de texto e ajusta um pouco cada parâmetro para tornar os próximos tokens reais mais prováveis (retropropagação). A perda mede a surpresa do modelo: quanto menor, melhor.',
  freshModel: 'Este modelo tem pesos aleatórios, então seus palpites são ruído. Clique em “Treinar” e veja-os virar palavras.',
  demoModel: (corpus, steps, loss) =>
    `Este modelo já foi treinado por ${nPt(steps)} passos em “${corpus}”${loss ? ` (perda ${loss})` : ''} para ter algo a dizer. Clique em “Treinar do zero” para vê-lo aprender a partir de pesos aleatórios.`,
  trainFirst: 'Treinar',
  trainFromScratch: 'Treinar do zero',
  trainFromScratchTitle: 'Pesos aleatórios novos, depois treinar',
  pause: 'Pausar',
  resume: 'Retomar',
  continueTraining: 'Continuar treinando',
  stepOnce: 'Um passo',
  targetSteps: 'Passos de treino',
  stepsInvalid: 'Digite um número inteiro de 1 a 1.000.000.',
  stepOf: 'passo',
  tuneStepOf: (stage) => `passo de ${stage.charAt(0).toLowerCase()}${stage.slice(1)}`,
  tokensPerSec: 'tokens/s',
  elapsed: 'decorrido',
  eta: 'faltam',
  stateNames: { idle: 'pronto', running: 'treinando', paused: 'pausado', done: 'concluído' },
  stateTrained: 'treinado',
  stateLoading: 'carregando…',
  stateNoModel: 'sem modelo',
  preparing: 'Preparando o modelo…',
  noRun: 'nenhum treino ainda',
  runProgress: (done, of) => `este treino: ${nPt(done)} de ${nPt(of)} passos`,
  trainWaitsForExperiment:
    'A corrida de backends ou a varredura de tamanhos está usando o worker: o treino espera, e um treino que estava em andamento continua sozinho quando ela termina.',
  // the learning rate and its schedule
  lr: 'taxa de aprendizado',
  lrLabel: 'Taxa de aprendizado',
  lrHint:
    'O tamanho de cada ajuste, usado no próximo “Treinar do zero” e em “Retomar”. Alta demais (tente 10) e a perda explode; o Folio então pausa e volta aos últimos pesos bons: diminua-a aqui e clique em Retomar.',
  lrInUse: (now) => `Taxa de aprendizado em uso: ${now}`,
  lrWarmup: (peak, x) => `aquecendo até ${peak} nos primeiros ${nPt(x)} passos`,
  lrDecay: (peak, min, at) => `caindo de ${peak} para ${min} até o passo ${nPt(at)}`,
  lrFloor: (at) => `o piso do cronograma deste modelo, atingido no passo ${nPt(at)}`,
  lrTyped: (typed) =>
    `Seu ${typed} vale quando você clicar em “Retomar” (o cronograma segue deste passo com esse pico) ou em “Treinar do zero” (um cronograma novo).`,
  // the loss curve (ui/LossChart.tsx)
  loss: 'perda',
  valLoss: 'perda de validação',
  trainLoss: 'perda de treino',
  step: 'passo',
  smoothed: 'suavizada',
  logScale: 'escala log',
  chartLabel: 'Perda ao longo dos passos de treino',
  chartEmpty: 'A curva de perda aparece quando o treino começa.',
  chartNoHistory: (steps) =>
    `Este modelo foi treinado por ${nPt(steps)} passos antes de ser carregado; sua curva de perda não foi salva junto. Continue treinando para desenhar a curva daqui em diante.`,
  lossExplain:
    'Perda de treino: no texto com que aprende. Perda de validação: em texto separado, que ele nunca vê no treino — se só a de treino cai, o modelo está decorando.',
  // the unit of every loss (ui/LossUnitToggle.tsx, state/lossUnit.ts)
  unitLabel: 'Perdas em',
  unitAuto: (now) => `automático (agora ${now})`,
  unitName: (u, text) => (u === 'nats' ? 'nats por token' : text === 'base' ? 'bits por base' : 'bits por caractere'),
  unitShort: (u, text) => (u === 'nats' ? 'nats/token' : text === 'base' ? 'bits/base' : 'bits/car.'),
  unitExplain: (cpt, text) =>
    `Nats por token é o que o modelo minimiza, e depende de como o tokenizador corta o texto: um token de dois caracteres é mais difícil de adivinhar que um de um. Bits por ${text === 'base' ? 'base' : 'caractere'} divide pelos ${text === 'base' ? 'bases' : 'caracteres'} que cada token representa (${cpt} aqui, medido no texto de validação) e por ln 2, e assim execuções com tokenizadores diferentes se comparam. O automático mostra essa unidade enquanto outras execuções estão desenhadas.`,
  unitNotDrawn: (n) =>
    `${nPt(n)} ${n === 1 ? 'execução marcada não está desenhada' : 'execuções marcadas não estão desenhadas'}: guardada${n === 1 ? '' : 's'} antes de o Folio medir caracteres por token, não ${n === 1 ? 'tem' : 'têm'} bits por caractere (mude para nats por token para vê-la${n === 1 ? '' : 's'}).`,
  chanceLineBits: (v, unit) => `chute aleatório: log₂(vocabulário) ÷ caracteres por token = ${v} ${unit}`,
  // the samples written while it learns (ui/SamplesFeed.tsx)
  samplesTitle: 'O que o modelo escreve enquanto aprende',
  samplesEmpty: (x) => `A cada ${nPt(x)} passos o modelo escreve uma pequena amostra aqui.`,
  // keeping the model (ui/CheckpointTools.tsx)
  checkpointsTitle: 'Guarde seu modelo',
  exportFiles: 'Salvar em arquivos',
  importFiles: 'Carregar de arquivos',
  importHint: 'o .json e o .weights.bin que você salvou, ou o .zip do Hugging Face',
  savedHere: (step) => `Salvo neste navegador no passo ${nPt(step)}.`,
  autosaveHint: 'O Folio salva seu modelo neste navegador enquanto treina e quando você pausa; ao recarregar, oferece retomar.',
  hfExport: 'Salvar para Python / Hugging Face',
  hfExportHint:
    'Salvar para Python / Hugging Face baixa um .zip de uma pasta GPT-2 (config.json, model.safetensors, tokenizer.json, tokenizer_config.json, folio.json e um README.md com o Python que a carrega): descompacte-o e carregue a pasta com o transformers. Carregar de arquivos também lê o .zip de volta.',
} satisfies typeof en;
