/**
 * Every string a person reads, in English and in Brazilian Portuguese (the language of
 * the article Folio grew from): the page's words (components call `useT()` and read from
 * one dictionary) and the notices that the engine, the worker and the bridge send as
 * {code, params}. The Portuguese tables must have every key the English ones have (the
 * types say so). Pure data and formatting: no React, no tfjs, so every layer may use it.
 */
/** The page's languages: English and Brazilian Portuguese (the article's). */
export type Lang = 'en' | 'pt';
export const LANGS: readonly Lang[] = ['en', 'pt'];
export function isLang(s: string | null): s is Lang {
  return s === 'en' || s === 'pt';
}


// ---------------------------------------------------------------------------------
// Notices: what the engine, the worker and the bridge have to tell the person. They
// send a code and its values ({code, params}); the page renders it in the chosen
// language, and `FolioError`'s English text is what the CLI and logs print.

const mbEn = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString('en', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;
const mbPt = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString('pt-BR', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;
const nEn = (n: number) => n.toLocaleString('en');
const nPt = (n: number) => n.toLocaleString('pt-BR');

/** A notice inside another (the reason a save failed, …): rendered in the same language. */
export interface InnerNotice {
  code: string;
  params?: unknown;
}
type Reason = InnerNotice | string;

/** The model settings a validation message can name. */
export type ModelField = 'nLayer' | 'nHead' | 'nEmbd' | 'blockSize';
const FIELD_EN: Record<ModelField, string> = { nLayer: 'Layers', nHead: 'Heads', nEmbd: 'Embedding size', blockSize: 'Context length' };
const FIELD_PT: Record<ModelField, string> = { nLayer: 'Camadas', nHead: 'Cabeças', nEmbd: 'Tamanho do embedding', blockSize: 'Tamanho do contexto' };

const enNotice = {
  /** An error nobody wrote a sentence for (a browser or tfjs failure): shown as it came. */
  raw: (p: { text: string }) => p.text,
  // corpus
  fileTooLarge: (p: { size: number; limit: number }) => `This file is ${mbEn(p.size)}; the limit is ${mbEn(p.limit)}. Use a shorter excerpt.`,
  textTooLarge: (p: { size: number; limit: number }) => `This text is ${mbEn(p.size)}; the limit is ${mbEn(p.limit)}. Use a shorter excerpt.`,
  fileEmpty: () => 'This file is empty: there is no text to learn from.',
  utf16: () => 'This file is encoded as UTF-16. Save it as UTF-8 text (most editors: “Save as… → UTF-8”) and try again.',
  binaryFile: () => 'This looks like a binary file (it contains NUL bytes), not text. Choose a plain .txt file.',
  invalidUtf8: () => 'This file is not valid UTF-8 text. Re-save it as UTF-8 (for example from a text editor) and try again.',
  textEmpty: () => 'The text is empty: paste or choose some text to learn from.',
  whitespace: () => 'The text is only spaces and line breaks: there are no words to learn from.',
  binaryText: () => 'This looks like binary data (it contains NUL characters), not text.',
  controlChars: () => 'This looks like binary data (mostly control characters), not text. Choose a plain .txt file.',
  singleChar: (p: { char: string; repeated: number }) => `The text is one character (“${p.char}”)${p.repeated ? ' repeated' : ''}: there is nothing to predict. Use real sentences.`,
  tooShort: (p: { tokens: number; context: number; min: number; heldOut: number }) =>
    `The text is too short for this model: it gives ${nEn(p.tokens)} tokens, but a context of ${p.context} needs at least ${nEn(p.min)} ` +
    `(so that the ${p.heldOut}% held out for validation still holds one window). Add more text or pick a smaller context.`,
  fileTooLargeMb: (p: { mb: number }) => `That file is larger than ${p.mb} MB; Folio trains on small texts. Choose a smaller file.`,
  emptyPaste: () => 'The text box is empty: paste some text first.',
  notPlainText: (p: { kind: string }) => `That is a ${p.kind} file, not plain text. Save it as .txt first (in most editors: “Save as… → Plain text”).`,
  // model settings
  wholeNumber: (p: { field: ModelField; got: string }) => `${FIELD_EN[p.field]} must be a whole number ≥ 1${p.got ? ` (got ${p.got})` : ''}.`,
  atMost: (p: { field: ModelField; max: number; got: number }) => `${FIELD_EN[p.field]} must be at most ${nEn(p.max)} (got ${nEn(p.got)}).`,
  headsDivide: (p: { embd: number; heads: number }) => `Embedding size (${p.embd}) must be divisible by the number of heads (${p.heads}).`,
  dropoutRange: (p: { got: string }) => `Dropout must be in [0, 1) (got ${p.got}).`,
  // checkpoints
  ckptCannotSave: () => 'This destination cannot save checkpoints.',
  ckptCannotLoad: () => 'This source cannot load checkpoints.',
  ckptUnreadable: (p: { reason: Reason }) => `Could not read the checkpoint: ${p.reason}`,
  ckptTokenizerDamaged: (p: { reason: Reason }) => `The checkpoint's tokenizer is damaged: ${p.reason}`,
  ckptVocabMismatch: (p: { tokens: number; expects: number }) => `The checkpoint's tokenizer has ${p.tokens} tokens but its model expects ${p.expects}.`,
  ckptNoWeights: () => 'The checkpoint has no weights.',
  ckptWeightsTruncated: (p: { got: number; expected: number }) => `The checkpoint's weights are damaged: weights are truncated (${nEn(p.got)} of ${nEn(p.expected)} bytes)`,
  ckptWeightsDamaged: (p: { reason: Reason }) => `The checkpoint's weights are damaged: ${p.reason}`,
  ckptMissingWeight: (p: { name: string }) => `The checkpoint is missing weight "${p.name}".`,
  ckptWeightShape: (p: { name: string; has: string; needs: string }) => `Weight "${p.name}" has shape [${p.has}] but the model needs [${p.needs}].`,
  ckptOptimizerShape: (p: { name: string }) => `Optimizer state "${p.name}" has the wrong shape.`,
  ckptNotFolio: () => 'This is not a Folio checkpoint.',
  ckptVersion: (p: { version: string; reads: number }) => `This checkpoint is format version ${p.version}; this Folio reads version ${p.reads}.`,
  ckptIncomplete: () => 'The checkpoint is incomplete (missing model, training or tokenizer settings).',
  ckptInvalidModel: (p: { reason: Reason }) => `The checkpoint's model settings are invalid: ${p.reason}`,
  ckptJsonInvalid: () => 'model.json is not valid JSON (the file is damaged or not a checkpoint).',
  ckptNoWeightList: () => 'model.json lists no weights.',
  ckptNoFiles: () => 'No checkpoint files were given.',
  ckptNoCorpus: () => 'The checkpoint does not include its corpus, so training cannot resume.',
  chooseBothFiles: () => 'Choose both files of a checkpoint: the .json and the .weights.bin.',
  filesTooLarge: () => 'These files are too large to be a Folio checkpoint.',
  pretrainedFailed: (p: { why: Reason }) => `The bundled trained model could not be loaded (${p.why}), so this model starts from random weights: train it to see it learn.`,
  // prompts
  promptEmpty: () => 'Type a prompt to see what the model predicts next.',
  promptUnknown: (p: { chars: string }) => `None of the prompt's characters are in this model's vocabulary (${p.chars}).`,
  promptNoTokens: () => 'The prompt has no tokens the model knows; type some text first.',
  attentionPrompt: () => 'Type a prompt to see attention.',
  generatePrompt: () => 'Type a prompt (at least one known character) to generate from.',
  // training
  noModel: () => 'No model yet: choose a corpus and a model first.',
  lrInvalid: (p: { got: string }) => `The learning rate must be a positive number (got ${p.got}).`,
  stepsInvalid: (p: { got: string }) => `The number of steps must be a whole number ≥ 1 (got ${p.got}).`,
  atTarget: (p: { target: number }) => `Training already reached its target of ${nEn(p.target)} steps; raise the target or reset.`,
  diverged: (p: { loss: number; uniform: number; step: number; back: number; lr: number }) =>
    `The loss became ${Number.isFinite(p.loss) ? `${nEn(Math.round(p.loss))} (guessing at random scores ${p.uniform.toFixed(1)})` : String(p.loss)} at step ${nEn(p.step)}, ` +
    `so training paused and the weights went back to step ${nEn(p.back)}, the last good ones. The learning rate (${p.lr}) is probably too high: lower it, then resume.`,
  // saving
  noIndexedDb: () => 'This browser offers no IndexedDB storage.',
  saveFailed: (p: { reason: Reason }) => `Could not save the model: ${p.reason}`,
  storageFull: () => 'The browser’s storage is full, so this model is not saved for the next visit. Training goes on; export the model to keep it.',
  storeFailed: (p: { reason: Reason }) => `Saving for the next visit failed (${p.reason}). Training goes on; export the model to keep it.`,
  // the machine under the session
  backendSwitched: (p: { failed: string; reason: string; to: string; step: number }) =>
    `${p.failed || 'The backend'} failed during training (${p.reason}). Switched to ${p.to} and resumed from the last save, step ${nEn(p.step)}.`,
  backendNoSave: (p: { failed: string; reason: string }) => `${p.failed || 'The backend'} failed during training (${p.reason}); there was no saved model to resume from, so please set the model up again.`,
  backendFailed: (p: { failed: string; reason: string; error: Reason }) => `${p.failed || 'The backend'} failed during training (${p.reason}); ${p.error}.`,
  workerCrashed: (p: { reason: string; step: number }) =>
    `The training worker crashed (${p.reason}) and was restarted; ${p.step >= 0 ? `your model was reloaded from its last save, step ${nEn(p.step)}.` : 'training starts again from the beginning.'}`,
  workerStalled: (p: { seconds: number; step: number }) =>
    `The training worker stopped answering (no progress for ${p.seconds} s) and was restarted; ${p.step >= 0 ? `your model was reloaded from its last save, step ${nEn(p.step)}.` : 'training starts again from the beginning.'}`,
  stalled: (p: { seconds: number }) => `Training stalled: the worker has sent no progress for ${p.seconds} s. Restart it from the last save?`,
};

type NoticeTable = typeof enNotice;

const ptNotice: NoticeTable = {
  raw: (p) => p.text,
  fileTooLarge: (p) => `Este arquivo tem ${mbPt(p.size)}; o limite é ${mbPt(p.limit)}. Use um trecho menor.`,
  textTooLarge: (p) => `Este texto tem ${mbPt(p.size)}; o limite é ${mbPt(p.limit)}. Use um trecho menor.`,
  fileEmpty: () => 'Este arquivo está vazio: não há texto para aprender.',
  utf16: () => 'Este arquivo está codificado em UTF-16. Salve-o como texto UTF-8 (na maioria dos editores: “Salvar como… → UTF-8”) e tente de novo.',
  binaryFile: () => 'Isto parece um arquivo binário (contém bytes NUL), não texto. Escolha um arquivo .txt simples.',
  invalidUtf8: () => 'Este arquivo não é texto UTF-8 válido. Salve-o de novo como UTF-8 (por exemplo, num editor de texto) e tente outra vez.',
  textEmpty: () => 'O texto está vazio: cole ou escolha algum texto para aprender.',
  whitespace: () => 'O texto só tem espaços e quebras de linha: não há palavras para aprender.',
  binaryText: () => 'Isto parece dados binários (contém caracteres NUL), não texto.',
  controlChars: () => 'Isto parece dados binários (quase só caracteres de controle), não texto. Escolha um arquivo .txt simples.',
  singleChar: (p) => `O texto é um único caractere (“${p.char}”)${p.repeated ? ' repetido' : ''}: não há nada para prever. Use frases de verdade.`,
  tooShort: (p) =>
    `O texto é curto demais para este modelo: ele dá ${nPt(p.tokens)} tokens, mas um contexto de ${p.context} precisa de pelo menos ${nPt(p.min)} ` +
    `(para que os ${p.heldOut}% reservados para validação ainda tenham uma janela). Acrescente texto ou escolha um contexto menor.`,
  fileTooLargeMb: (p) => `Esse arquivo tem mais de ${p.mb} MB; o Folio treina em textos pequenos. Escolha um arquivo menor.`,
  emptyPaste: () => 'A caixa de texto está vazia: cole algum texto antes.',
  notPlainText: (p) => `Esse é um arquivo ${p.kind}, não texto simples. Salve-o como .txt antes (na maioria dos editores: “Salvar como… → Texto simples”).`,
  wholeNumber: (p) => `${FIELD_PT[p.field]} deve ser um número inteiro ≥ 1${p.got ? ` (recebido: ${p.got})` : ''}.`,
  atMost: (p) => `${FIELD_PT[p.field]} deve ser no máximo ${nPt(p.max)} (recebido: ${nPt(p.got)}).`,
  headsDivide: (p) => `O tamanho do embedding (${p.embd}) deve ser divisível pelo número de cabeças (${p.heads}).`,
  dropoutRange: (p) => `O dropout deve estar em [0, 1) (recebido: ${p.got}).`,
  ckptCannotSave: () => 'Este destino não consegue salvar checkpoints.',
  ckptCannotLoad: () => 'Esta origem não consegue carregar checkpoints.',
  ckptUnreadable: (p) => `Não foi possível ler o checkpoint: ${p.reason}`,
  ckptTokenizerDamaged: (p) => `O tokenizador do checkpoint está danificado: ${p.reason}`,
  ckptVocabMismatch: (p) => `O tokenizador do checkpoint tem ${p.tokens} tokens, mas o modelo espera ${p.expects}.`,
  ckptNoWeights: () => 'O checkpoint não tem pesos.',
  ckptWeightsTruncated: (p) => `Os pesos do checkpoint estão danificados: estão truncados (${nPt(p.got)} de ${nPt(p.expected)} bytes)`,
  ckptWeightsDamaged: (p) => `Os pesos do checkpoint estão danificados: ${p.reason}`,
  ckptMissingWeight: (p) => `Falta no checkpoint o peso "${p.name}".`,
  ckptWeightShape: (p) => `O peso "${p.name}" tem forma [${p.has}], mas o modelo precisa de [${p.needs}].`,
  ckptOptimizerShape: (p) => `O estado do otimizador "${p.name}" tem a forma errada.`,
  ckptNotFolio: () => 'Isto não é um checkpoint do Folio.',
  ckptVersion: (p) => `Este checkpoint está na versão de formato ${p.version}; este Folio lê a versão ${p.reads}.`,
  ckptIncomplete: () => 'O checkpoint está incompleto (faltam as configurações do modelo, do treino ou do tokenizador).',
  ckptInvalidModel: (p) => `As configurações do modelo no checkpoint são inválidas: ${p.reason}`,
  ckptJsonInvalid: () => 'model.json não é JSON válido (o arquivo está danificado ou não é um checkpoint).',
  ckptNoWeightList: () => 'model.json não lista pesos.',
  ckptNoFiles: () => 'Nenhum arquivo de checkpoint foi dado.',
  ckptNoCorpus: () => 'O checkpoint não inclui o seu corpus, então o treino não pode continuar.',
  chooseBothFiles: () => 'Escolha os dois arquivos de um checkpoint: o .json e o .weights.bin.',
  filesTooLarge: () => 'Esses arquivos são grandes demais para serem um checkpoint do Folio.',
  pretrainedFailed: (p) => `O modelo treinado que vem com o Folio não pôde ser carregado (${p.why}); este modelo começa com pesos aleatórios: treine-o para vê-lo aprender.`,
  promptEmpty: () => 'Digite um prompt para ver o que o modelo prevê a seguir.',
  promptUnknown: (p) => `Nenhum caractere do prompt está no vocabulário deste modelo (${p.chars}).`,
  promptNoTokens: () => 'O prompt não tem tokens que o modelo conheça; digite algum texto antes.',
  attentionPrompt: () => 'Digite um prompt para ver a atenção.',
  generatePrompt: () => 'Digite um prompt (com pelo menos um caractere conhecido) para gerar texto.',
  noModel: () => 'Ainda não há modelo: escolha um corpus e um modelo antes.',
  lrInvalid: (p) => `A taxa de aprendizado deve ser um número positivo (recebido: ${p.got}).`,
  stepsInvalid: (p) => `O número de passos deve ser um inteiro ≥ 1 (recebido: ${p.got}).`,
  atTarget: (p) => `O treino já chegou à meta de ${nPt(p.target)} passos; aumente a meta ou recomece.`,
  diverged: (p) =>
    `A perda chegou a ${Number.isFinite(p.loss) ? `${nPt(Math.round(p.loss))} (chutar ao acaso dá ${p.uniform.toLocaleString('pt-BR', { maximumFractionDigits: 1, minimumFractionDigits: 1 })})` : String(p.loss)} no passo ${nPt(p.step)}, ` +
    `então o treino pausou e os pesos voltaram ao passo ${nPt(p.back)}, os últimos bons. A taxa de aprendizado (${p.lr.toLocaleString('pt-BR')}) provavelmente está alta demais: diminua-a e continue.`,
  noIndexedDb: () => 'Este navegador não oferece armazenamento IndexedDB.',
  saveFailed: (p) => `Não foi possível salvar o modelo: ${p.reason}`,
  storageFull: () => 'O armazenamento do navegador está cheio, então este modelo não fica salvo para a próxima visita. O treino continua; exporte o modelo para guardá-lo.',
  storeFailed: (p) => `Salvar para a próxima visita falhou (${p.reason}). O treino continua; exporte o modelo para guardá-lo.`,
  backendSwitched: (p) => `${p.failed || 'O backend'} falhou durante o treino (${p.reason}). Mudamos para ${p.to} e retomamos do último salvamento, passo ${nPt(p.step)}.`,
  backendNoSave: (p) => `${p.failed || 'O backend'} falhou durante o treino (${p.reason}); não havia modelo salvo para retomar, então configure o modelo de novo.`,
  backendFailed: (p) => `${p.failed || 'O backend'} falhou durante o treino (${p.reason}); ${p.error}.`,
  workerCrashed: (p) =>
    `O worker de treino travou (${p.reason}) e foi reiniciado; ${p.step >= 0 ? `seu modelo foi recarregado do último salvamento, passo ${nPt(p.step)}.` : 'o treino recomeça do início.'}`,
  workerStalled: (p) =>
    `O worker de treino parou de responder (sem progresso há ${p.seconds} s) e foi reiniciado; ${p.step >= 0 ? `seu modelo foi recarregado do último salvamento, passo ${nPt(p.step)}.` : 'o treino recomeça do início.'}`,
  stalled: (p) => `O treino travou: o worker não envia progresso há ${p.seconds} s. Reiniciá-lo a partir do último salvamento?`,
};

export type NoticeCode = keyof NoticeTable;
/** A message as data: its code and the values it needs. Crosses the worker boundary as is. */
export type Notice = { [C in NoticeCode]: { code: C; params: Parameters<NoticeTable[C]>[0] } }[NoticeCode];

const NOTICES: Record<Lang, NoticeTable> = { en: enNotice, pt: ptNotice };

/** A notice, typed by its code: `notice('tooShort', { tokens, context, min, heldOut })`. */
export function notice<C extends NoticeCode>(code: C, ...params: Parameters<NoticeTable[C]>): Notice {
  return { code, params: params[0] } as Notice;
}

/** The notice as a sentence in `lang` (an unknown code — from a newer worker — shows its English). */
export function noticeText(lang: Lang, n: Notice | InnerNotice): string {
  const fn = (NOTICES[lang][n.code as NoticeCode] ?? enNotice[n.code as NoticeCode]) as ((p: unknown) => string) | undefined;
  if (!fn) return n.code;
  // Inner notices (a reason, a cause) are said in the same language.
  const params = n.params && typeof n.params === 'object' ? Object.fromEntries(Object.entries(n.params).map(([k, v]) => [k, isNotice(v) ? noticeText(lang, v) : v])) : n.params;
  return fn(params);
}

function isNotice(v: unknown): v is InnerNotice {
  return typeof v === 'object' && v !== null && typeof (v as InnerNotice).code === 'string';
}

/** An error that carries a notice; its message is the English sentence (for the CLI and logs). */
export class FolioError extends Error {
  constructor(readonly notice: Notice) {
    super(noticeText('en', notice));
    this.name = 'FolioError';
  }
}

/** Any thrown value as a notice: a FolioError's own, otherwise its text as it came. */
export function noticeOf(e: unknown): Notice {
  if (e instanceof FolioError) return e.notice;
  return notice('raw', { text: e instanceof Error ? e.message : String(e) });
}

const en = {
  notice: enNotice,
  tagline: 'a tiny language model that learns in your browser',
  language: 'Language',
  // Prompt & next words
  nextTitle: 'What comes next?',
  nextHint: 'A language model does one thing: given some text, it gives every possible next word a probability. Type, and watch the guesses change.',
  prompt: 'Prompt',
  presetPrompts: 'Example prompts',
  presetNames: ['the fox', '“bow” (the show)', '“bow” (the target)', 'Shakespeare'] as string[],
  showWords: 'words',
  showTokens: 'tokens',
  showWhat: 'Show next words or next tokens',
  atStep: (n: number) => `model at step ${n}`,
  rankedNext: (what: string) => `ranked next ${what}`,
  append: (w: string) => `Append “${w}” to the prompt`,
  otherWords: 'other words',
  uncovered: 'too unlikely to spell out',
  unknownChars: 'characters this model has never seen (ignored)',
  cropped: (n: number) => `the model only sees the last part of the prompt (${n} tokens were cut off)`,
  tokensExplain: 'The model really predicts tokens (here: pieces of text). A word’s probability is the product of its tokens’ probabilities.',
  trackTitle: 'Track a word',
  trackHint: 'Its probability after the prompt, at every step of training: watch it rise as the model learns.',
  trackWord: 'Word to track',
  trackNow: (w: string, p: string) => `P(“${w}”) now: ${p}`,
  trackEmpty: 'Train the model to see the curve.',
  probability: 'probability',
  step: 'step',
  // Training
  trainTitle: 'Training',
  trainHint: 'Each step shows the model a batch of text and nudges every parameter a little to make the real next tokens more likely (backpropagation). The loss measures how surprised the model is: lower is better.',
  trainFirst: 'Train',
  trainFromScratch: 'Train from scratch',
  trainFromScratchTitle: 'New random weights, then train',
  pause: 'Pause',
  resume: 'Resume',
  continueTraining: 'Continue training',
  stepOnce: 'One step',
  targetSteps: 'Steps to train',
  stepOf: 'step',
  tokensPerSec: 'tokens/s',
  elapsed: 'elapsed',
  eta: 'left',
  lr: 'learning rate',
  loss: 'loss',
  valLoss: 'val loss',
  trainLoss: 'train loss',
  smoothed: 'smoothed',
  logScale: 'log scale',
  chartLabel: 'Loss over training steps',
  chartEmpty: 'The loss curve appears when training starts.',
  lossExplain: 'Train loss: on the text it learns from. Val loss: on held-out text it never trains on — if only train loss falls, it is memorising.',
  samplesTitle: 'What the model writes as it learns',
  samplesEmpty: (n: number) => `Every ${n} steps the model writes a short sample here.`,
  stateNames: { idle: 'ready', running: 'training', paused: 'paused', done: 'done' } as Record<string, string>,
  preparing: 'Preparing the model…',
  demoModel: (corpus: string, steps: number) => `This model was already trained for ${steps} steps on “${corpus}” so it has something to say. Press “Train from scratch” to watch it learn from random weights.`,
  // Model
  modelTitle: 'Model',
  modelHint: 'A model is a big function with adjustable numbers — parameters. Large language models have billions; Folio’s have thousands to millions, so they train in a browser.',
  preset: 'Size',
  custom: 'custom',
  layers: 'Layers',
  heads: 'Heads',
  width: 'Embedding size',
  context: 'Context length',
  dropout: 'Dropout',
  parameters: 'parameters',
  vocabulary: 'vocabulary',
  buildModel: 'Build this model',
  suggested: (preset: string, backend: string) => `Suggested on ${backend}: ${preset}`,
  scaleTitle: 'Parameters, on a log scale',
  scaleLinear: 'straight line (slope + intercept): 2',
  scaleFolio: 'this model',
  scaleGpt2: 'GPT-2 small: 124 M',
  scaleGpt3: 'GPT-3: 175 B',
  modelLine: (l: number, h: number, c: number, t: number) => `${l} layer${l === 1 ? '' : 's'} × ${h} head${h === 1 ? '' : 's'} × ${c} wide, context ${t}`,
  // Corpus
  corpusTitle: 'Corpus',
  corpusHint: 'What the model reads is all it knows. Swap the text and the next words change.',
  bundled: 'Bundled text',
  activeCorpus: 'Active corpus',
  chooseFile: 'Upload a .txt file',
  dropHere: 'or drop a .txt file here',
  pasteLabel: 'Or paste text',
  pastePlaceholder: 'Paste a few thousand characters of any text…',
  usePaste: 'Use this text',
  tokenizer: 'Tokenizer',
  tokenizerNames: { char: 'characters', word: 'words', bpe: 'BPE (sub-words)' } as Record<string, string>,
  vocabTarget: 'vocabulary size',
  applyTokenizer: 'Use this tokenizer',
  chars: 'characters',
  trainVal: (train: number, val: number) => `${train.toLocaleString('en')} tokens to train on · ${val.toLocaleString('en')} held out for validation`,
  snippet: 'How the tokenizer cuts the text (one chip per token):',
  loadingCorpus: 'Reading the corpus…',
  // Dialog
  confirmTitle: 'Replace the trained model?',
  confirmBody: (steps: number) => `Your model has trained ${steps} steps. A new corpus or size starts a new model from random weights.`,
  confirmSave: 'Save a checkpoint first',
  confirmReplace: 'Replace it',
  cancel: 'Cancel',
  // Generate
  genTitle: 'Generate',
  genHint: 'Writing is just predicting the next token again and again, each time adding the chosen one to the prompt.',
  temperature: 'Temperature',
  topK: 'Top-k (0 = off)',
  topP: 'Top-p',
  length: 'Length (tokens)',
  greedy: 'Greedy',
  genGreedyExplain: 'Greedy: always the single most likely token — the same text every time.',
  genSampledExplain: (t: number) => `Sampled: each token is drawn at random by its probability (temperature ${t}); underlined tokens were not the model’s first choice.`,
  generate: 'Generate',
  generating: 'Writing…',
  genFrom: 'from the prompt above',
  genEmpty: 'Press Generate to let the model write.',
  tokenTip: (p: string) => `chosen with probability ${p}; the model’s top choices were:`,
  tokenHover: 'Point at a token (or Tab to it) to see its probability and the alternatives.',
  // Attention
  attnTitle: 'Attention',
  attnHint: 'Attention lets each token look back at the earlier ones and decide which matter. Row = the token reading; column = the token it looks at; darker = more attention.',
  layer: 'Layer',
  head: 'Head',
  allHeads: 'mean of heads',
  attnFor: 'for the prompt above',
  bowTitle: 'The same word, two meanings',
  bowHint: 'What the last token of “bow” looks at in each sentence (darker = more attention). A tiny model trained for minutes manages this only roughly; big models do it with many layers and heads.',
  attnCell: (q: string, k: string, p: string) => `“${q}” looks at “${k}”: ${p}`,
  attnNone: 'Waiting for the model…',
  // Backend
  backendChoosing: 'choosing a backend…',
  backendTitle: 'Which tfjs backend runs the model',
  adapter: 'Adapter',
  renderer: 'Renderer',
  software: ' — software emulation on the CPU, not a real GPU',
  threads: 'Threads',
  runOn: 'Run on',
  runOnLabel: 'Backend to run on (reloads the page)',
  bestAvailable: 'best available',
  skipped: 'skipped',
  gpuExplain: 'GPUs do thousands of multiplications at once; a model’s training is mostly such multiplications.',
  // Errors
  dismiss: 'Dismiss',
  restartWorker: 'Restart from the last save',
  notText: 'Drop a plain-text (.txt) file.',
  freshModel: 'This model has random weights, so its guesses are noise. Press “Train” and watch them turn into words.',
  continues: (w: string) => `continues “${w}”`,
  rareWord: '‹rare word›',
  oneWord: 'Type one word (no spaces).',
  stepsInvalid: 'Enter a whole number from 1 to 1,000,000.',
  bowMissing: '“bow” is not in this model’s vocabulary: it cannot read the word.',
  bigModel: (m: string) => `Large for this backend: ${m} parameters may take many seconds per step.`,
  vocabHint: 'the most it may use; a small text needs fewer.',
  num: (n: number) => n.toLocaleString('en'),
  lrLabel: 'Learning rate',
  lrHint: 'How big each nudge is, used by the next “Train from scratch”. Too high (try 10) and the loss blows up; Folio then pauses and goes back to the last good weights.',
  resumeOffer: (step: number, corpus: string, when: string) => `You have a model saved in this browser: step ${step} on “${corpus}” (${when}).`,
  resumeSaved: 'Resume it',
  checkpointsTitle: 'Keep your model',
  exportFiles: 'Save to files',
  importFiles: 'Load from files',
  importHint: 'the .json and the .weights.bin you saved',
  savedHere: (step: number) => `Saved in this browser at step ${step}.`,
  autosaveHint: 'Folio saves your model in this browser while it trains and when you pause; a reload offers to resume.',
};

export type Dict = typeof en;

const pt: Dict = {
  notice: ptNotice,
  tagline: 'um pequeno modelo de linguagem que aprende no seu navegador',
  language: 'Idioma',
  nextTitle: 'O que vem depois?',
  nextHint: 'Um modelo de linguagem faz uma coisa só: dado um texto, dá a cada próxima palavra possível uma probabilidade. Digite e veja os palpites mudarem.',
  prompt: 'Texto de entrada',
  presetPrompts: 'Exemplos',
  presetNames: ['a raposa', '“bow” (o show)', '“bow” (o alvo)', 'Shakespeare'],
  showWords: 'palavras',
  showTokens: 'tokens',
  showWhat: 'Mostrar próximas palavras ou próximos tokens',
  atStep: (n) => `modelo no passo ${n}`,
  rankedNext: (what) => `próximas ${what} em ordem`,
  append: (w) => `Acrescentar “${w}” ao texto`,
  otherWords: 'outras palavras',
  uncovered: 'improvável demais para soletrar',
  unknownChars: 'caracteres que este modelo nunca viu (ignorados)',
  cropped: (n) => `o modelo só vê o fim do texto (${n} tokens foram cortados)`,
  tokensExplain: 'O modelo na verdade prevê tokens (aqui: pedaços de texto). A probabilidade de uma palavra é o produto das probabilidades dos seus tokens.',
  trackTitle: 'Acompanhe uma palavra',
  trackHint: 'Sua probabilidade depois do texto, a cada passo do treino: veja-a subir conforme o modelo aprende.',
  trackWord: 'Palavra acompanhada',
  trackNow: (w, p) => `P(“${w}”) agora: ${p}`,
  trackEmpty: 'Treine o modelo para ver a curva.',
  probability: 'probabilidade',
  step: 'passo',
  trainTitle: 'Treino',
  trainHint: 'Cada passo mostra ao modelo um lote de texto e ajusta um pouco cada parâmetro para tornar os próximos tokens reais mais prováveis (retropropagação). A perda mede a surpresa do modelo: quanto menor, melhor.',
  trainFirst: 'Treinar',
  trainFromScratch: 'Treinar do zero',
  trainFromScratchTitle: 'Pesos aleatórios novos, depois treinar',
  pause: 'Pausar',
  resume: 'Retomar',
  continueTraining: 'Continuar treinando',
  stepOnce: 'Um passo',
  targetSteps: 'Passos de treino',
  stepOf: 'passo',
  tokensPerSec: 'tokens/s',
  elapsed: 'decorrido',
  eta: 'faltam',
  lr: 'taxa de aprendizado',
  loss: 'perda',
  valLoss: 'perda de validação',
  trainLoss: 'perda de treino',
  smoothed: 'suavizada',
  logScale: 'escala log',
  chartLabel: 'Perda ao longo dos passos de treino',
  chartEmpty: 'A curva de perda aparece quando o treino começa.',
  lossExplain: 'Perda de treino: no texto com que aprende. Perda de validação: em texto separado, que ele nunca vê no treino — se só a de treino cai, o modelo está decorando.',
  samplesTitle: 'O que o modelo escreve enquanto aprende',
  samplesEmpty: (n) => `A cada ${n} passos o modelo escreve uma pequena amostra aqui.`,
  stateNames: { idle: 'pronto', running: 'treinando', paused: 'pausado', done: 'concluído' },
  preparing: 'Preparando o modelo…',
  demoModel: (corpus, steps) => `Este modelo já foi treinado por ${steps} passos em “${corpus}” para ter algo a dizer. Clique em “Treinar do zero” para vê-lo aprender a partir de pesos aleatórios.`,
  modelTitle: 'Modelo',
  modelHint: 'Um modelo é uma grande função com números ajustáveis — os parâmetros. Grandes modelos de linguagem têm bilhões; os do Folio têm de milhares a milhões, para treinar num navegador.',
  preset: 'Tamanho',
  custom: 'personalizado',
  layers: 'Camadas',
  heads: 'Cabeças',
  width: 'Tamanho do embedding',
  context: 'Tamanho do contexto',
  dropout: 'Dropout',
  parameters: 'parâmetros',
  vocabulary: 'vocabulário',
  buildModel: 'Criar este modelo',
  suggested: (preset, backend) => `Sugerido em ${backend}: ${preset}`,
  scaleTitle: 'Parâmetros, em escala logarítmica',
  scaleLinear: 'reta (inclinação + intercepto): 2',
  scaleFolio: 'este modelo',
  scaleGpt2: 'GPT-2 pequeno: 124 M',
  scaleGpt3: 'GPT-3: 175 bi',
  modelLine: (l, h, c, t) => `${l} camada${l === 1 ? '' : 's'} × ${h} cabeça${h === 1 ? '' : 's'} × largura ${c}, contexto ${t}`,
  corpusTitle: 'Corpus',
  corpusHint: 'O que o modelo lê é tudo o que ele sabe. Troque o texto e as próximas palavras mudam.',
  bundled: 'Texto incluído',
  activeCorpus: 'Corpus ativo',
  chooseFile: 'Enviar um arquivo .txt',
  dropHere: 'ou solte um arquivo .txt aqui',
  pasteLabel: 'Ou cole um texto',
  pastePlaceholder: 'Cole alguns milhares de caracteres de qualquer texto…',
  usePaste: 'Usar este texto',
  tokenizer: 'Tokenizador',
  tokenizerNames: { char: 'caracteres', word: 'palavras', bpe: 'BPE (subpalavras)' },
  vocabTarget: 'tamanho do vocabulário',
  applyTokenizer: 'Usar este tokenizador',
  chars: 'caracteres',
  trainVal: (train, val) => `${train.toLocaleString('pt-BR')} tokens para treinar · ${val.toLocaleString('pt-BR')} separados para validação`,
  snippet: 'Como o tokenizador corta o texto (um bloco por token):',
  loadingCorpus: 'Lendo o corpus…',
  confirmTitle: 'Substituir o modelo treinado?',
  confirmBody: (steps) => `Seu modelo treinou ${steps} passos. Um novo corpus ou tamanho começa um novo modelo com pesos aleatórios.`,
  confirmSave: 'Salvar um checkpoint antes',
  confirmReplace: 'Substituir',
  cancel: 'Cancelar',
  genTitle: 'Gerar',
  genHint: 'Escrever é só prever o próximo token de novo e de novo, acrescentando cada escolhido ao texto.',
  temperature: 'Temperatura',
  topK: 'Top-k (0 = desligado)',
  topP: 'Top-p',
  length: 'Tamanho (tokens)',
  greedy: 'Guloso',
  genGreedyExplain: 'Guloso: sempre o token mais provável — o mesmo texto toda vez.',
  genSampledExplain: (t) => `Amostrado: cada token é sorteado pela sua probabilidade (temperatura ${t}); os sublinhados não eram a primeira escolha do modelo.`,
  generate: 'Gerar',
  generating: 'Escrevendo…',
  genFrom: 'a partir do texto acima',
  genEmpty: 'Clique em Gerar para o modelo escrever.',
  tokenTip: (p) => `escolhido com probabilidade ${p}; as principais opções do modelo eram:`,
  tokenHover: 'Aponte para um token (ou use Tab) para ver sua probabilidade e as alternativas.',
  attnTitle: 'Atenção',
  attnHint: 'A atenção deixa cada token olhar para os anteriores e decidir quais importam. Linha = o token que lê; coluna = o token observado; mais escuro = mais atenção.',
  layer: 'Camada',
  head: 'Cabeça',
  allHeads: 'média das cabeças',
  attnFor: 'para o texto acima',
  bowTitle: 'A mesma palavra, dois sentidos',
  bowHint: 'Para onde olha o último token de “bow” em cada frase (mais escuro = mais atenção). Um modelo minúsculo treinado por minutos faz isso só de forma grosseira; os grandes usam muitas camadas e cabeças.',
  attnCell: (q, k, p) => `“${q}” olha para “${k}”: ${p}`,
  attnNone: 'Aguardando o modelo…',
  backendChoosing: 'escolhendo um backend…',
  backendTitle: 'Qual backend do tfjs executa o modelo',
  adapter: 'Adaptador',
  renderer: 'Renderizador',
  software: ' — emulação em software na CPU, não uma GPU real',
  threads: 'Threads',
  runOn: 'Executar em',
  runOnLabel: 'Backend de execução (recarrega a página)',
  bestAvailable: 'melhor disponível',
  skipped: 'ignorado',
  gpuExplain: 'GPUs fazem milhares de multiplicações ao mesmo tempo; treinar um modelo é principalmente isso.',
  dismiss: 'Fechar',
  restartWorker: 'Reiniciar do último salvamento',
  notText: 'Solte um arquivo de texto simples (.txt).',
  freshModel: 'Este modelo tem pesos aleatórios, então seus palpites são ruído. Clique em “Treinar” e veja-os virar palavras.',
  continues: (w) => `continua “${w}”`,
  rareWord: '‹palavra rara›',
  oneWord: 'Digite uma palavra só (sem espaços).',
  stepsInvalid: 'Digite um número inteiro de 1 a 1.000.000.',
  bowMissing: '“bow” não está no vocabulário deste modelo: ele não consegue ler a palavra.',
  bigModel: (m) => `Grande para este backend: ${m} parâmetros podem levar muitos segundos por passo.`,
  vocabHint: 'o máximo que pode usar; um texto pequeno precisa de menos.',
  num: (n) => n.toLocaleString('pt-BR'),
  lrLabel: 'Taxa de aprendizado',
  lrHint: 'O tamanho de cada ajuste, usado no próximo “Treinar do zero”. Alta demais (tente 10) e a perda explode; o Folio então pausa e volta aos últimos pesos bons.',
  resumeOffer: (step, corpus, when) => `Você tem um modelo salvo neste navegador: passo ${step} em “${corpus}” (${when}).`,
  resumeSaved: 'Retomar',
  checkpointsTitle: 'Guarde seu modelo',
  exportFiles: 'Salvar em arquivos',
  importFiles: 'Carregar de arquivos',
  importHint: 'o .json e o .weights.bin que você salvou',
  savedHere: (step) => `Salvo neste navegador no passo ${step}.`,
  autosaveHint: 'O Folio salva seu modelo neste navegador enquanto treina e quando você pausa; ao recarregar, oferece retomar.',
};

export const STRINGS: Record<Lang, Dict> = { en, pt };


/** A probability as a percentage a person reads at a glance. */
export function pct(p: number): string {
  return p >= 0.1 ? `${(p * 100).toFixed(0)}%` : p >= 0.001 ? `${(p * 100).toFixed(1)}%` : p > 0 ? '<0.1%' : '0%';
}
