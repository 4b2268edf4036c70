/**
 * Notices: what the engine, the worker and the bridge have to tell the person, in English
 * and Brazilian Portuguese. They send a code and its values ({code, params}, see index.ts);
 * the page says it in the chosen language, and the CLI prints the English.
 */

/** Bytes in MB (1024²) or GB (1024³), one decimal, in the language's own form. */
const bytesIn = (bytes: number, unit: 'MB' | 'GB', locale: string) =>
  `${(bytes / 1024 ** (unit === 'MB' ? 2 : 3)).toLocaleString(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} ${unit}`;
const mbEn = (bytes: number) => bytesIn(bytes, 'MB', 'en');
const mbPt = (bytes: number) => bytesIn(bytes, 'MB', 'pt-BR');
const gbEn = (bytes: number) => bytesIn(bytes, 'GB', 'en');
const gbPt = (bytes: number) => bytesIn(bytes, 'GB', 'pt-BR');
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

export const enNotice = {
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
    `The text is too short for this model: it gives ${nEn(p.tokens)} tokens, but a context of ${nEn(p.context)} needs at least ${nEn(p.min)} ` +
    `(so that the ${p.heldOut}% held out for validation still holds one window). Add more text or pick a smaller context.`,
  fileTooLargeMb: (p: { mb: number }) => `That file is larger than ${p.mb} MB; Folio trains on small texts. Choose a smaller file.`,
  emptyPaste: () => 'The text box is empty: paste some text first.',
  notPlainText: (p: { kind: string }) => `That is a ${p.kind} file, not plain text. Save it as .txt first (in most editors: “Save as… → Plain text”).`,
  // model settings
  wholeNumber: (p: { field: ModelField; got: string }) => `${FIELD_EN[p.field]} must be a whole number ≥ 1${p.got ? ` (got ${p.got})` : ''}.`,
  atMost: (p: { field: ModelField; max: number; got: number }) => `${FIELD_EN[p.field]} must be at most ${nEn(p.max)} (got ${nEn(p.got)}).`,
  headsDivide: (p: { embd: number; heads: number }) => `Embedding size (${p.embd}) must be divisible by the number of heads (${p.heads}).`,
  tooLargeToTrain: (p: { need: number; limit: number }) =>
    `This model cannot train in a browser tab: it needs at least ${gbEn(p.need)} (weights, gradients, Adam's two moments and one layer's attention), and a tab holds at most ${gbEn(p.limit)}. Use fewer layers, a smaller embedding or a shorter context.`,
  dropoutRange: (p: { got: string }) => `Dropout must be in [0, 1) (got ${p.got}).`,
  // checkpoints
  ckptCannotSave: () => 'This destination cannot save checkpoints.',
  ckptCannotLoad: () => 'This source cannot load checkpoints.',
  ckptUnreadable: (p: { reason: Reason }) => `Could not read the checkpoint: ${p.reason}`,
  ckptTokenizerDamaged: (p: { reason: Reason }) => `The checkpoint's tokenizer is damaged: ${p.reason}`,
  ckptVocabMismatch: (p: { tokens: number; expects: number }) => `The checkpoint's tokenizer has ${nEn(p.tokens)} tokens but its model expects ${nEn(p.expects)}.`,
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
    `so training paused and the weights went back to step ${nEn(p.back)}, the last good ones. The learning rate (${p.lr}) is probably too high: lower it, then ${p.back > 0 ? 'press Resume' : 'press Train again'}.`, // back at step 0 there is nothing to resume: the page shows only Train
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
    `The training worker stopped answering (no progress for ${nEn(p.seconds)} s) and was restarted; ${p.step >= 0 ? `your model was reloaded from its last save, step ${nEn(p.step)}.` : 'training starts again from the beginning.'}`,
  stalled: (p: { seconds: number }) => `Training stalled: the worker has sent no progress for ${nEn(p.seconds)} s. Restart it from the last save?`,
  noAnswer: (p: { what: string; seconds: number }) =>
    `The worker has not answered for ${nEn(p.seconds)} s (waiting for ${({ backend: 'the backend', model: 'the model to be built', corpus: 'the corpus check', save: 'a save', prediction: 'the next words', step: 'a training step' } as Record<string, string>)[p.what] ?? p.what}). Restart it from the last save?`,
  // fine-tuning data
  jsonlEmpty: () => 'The file has no examples: write one JSON object per line.',
  jsonlNotJson: (p: { line: number }) => `Line ${nEn(p.line)} is not a JSON object.`,
  jsonlMissing: (p: { line: number; field: string }) => `Line ${nEn(p.line)} has no text in "${p.field}".`,
  // Examples are checked against the model when a stage starts, after several files may have been added: numbered in the list, and quoted.
  jsonlUnknownChars: (p: { line: number; chars: string; prompt: string }) => `Example ${nEn(p.line)} (“${p.prompt}”) has characters this model's tokenizer cannot encode (${p.chars}).`,
  jsonlPromptLength: (p: { line: number; tokens: number; context: number; prompt: string }) =>
    `Example ${nEn(p.line)} (“${p.prompt}”): the prompt is ${nEn(p.tokens)} tokens, but it must be at least 1 and shorter than the context (${nEn(p.context)}) to leave room for the answer.`,
  noPairs: () => 'There are no preference pairs yet: pick the better of two samples, or load the examples.',
  noExamples: () => 'There are no instruction examples yet: load the bundled set, a file, or type a pair.',
  // backends: why one was skipped, and what runs
  bkNoWebGpu: () => 'this browser has no WebGPU (navigator.gpu is missing)',
  bkAdapterFailed: (p: { error: string }) => `requesting a WebGPU adapter failed: ${p.error}`,
  bkNoAdapter: () => 'no WebGPU adapter is available (no supported GPU, or WebGPU is disabled)',
  bkNoOffscreen: () => 'no OffscreenCanvas here, so no WebGL',
  bkNoWebGl2: () => 'WebGL2 is not available',
  bkFailedBefore: () => 'it failed during this session',
  bkSoftwareGpu: () => 'the only WebGPU adapter is software emulation (SwiftShader), much slower than wasm',
  bkWebGpuLoad: (p: { error: string }) => `the WebGPU backend could not load: ${p.error}`,
  bkNotBundled: () => 'the WebGPU backend is not bundled here',
  bkStartFailed: (p: { backend: string; error: string }) => `${p.backend} it failed to start${p.error ? `: ${p.error}` : ''}`,
  bkSoftwareGl: (p: { renderer: string }) => `WebGL runs on a software renderer (${p.renderer}), slower than wasm`,
  bkNoWasm: () => 'this environment has no WebAssembly',
  lblWebGpu: (p: { adapter: string }) => `WebGPU — ${p.adapter}`,
  lblSoftware: (p: { backend: string }) => `${p.backend} — software emulation, slow`,
  lblWebGl: (p: { renderer: string }) => `WebGL — ${p.renderer}`,
  lblWasm: (p: { threads: number; why: string }) => `wasm (CPU) — ${p.threads} thread${p.threads === 1 ? '' : 's'}${p.why === 'isolation' ? ' (page not cross-origin isolated)' : p.why ? `: ${p.why}` : ''}`,
  lblCpu: () => 'CPU (plain JavaScript) — slowest',
  // Inside the model (embeddings, logit lens, one step of backpropagation)
  insideNoWord: () => 'Type the word that truly comes next.',
  insideCannotSpell: (p: { word: string }) => `This model's tokenizer cannot spell “${p.word}”.`,
  insideWordTooLong: (p: { word: string; tokens: number; blockSize: number }) => `“${p.word}” takes ${p.tokens} tokens, more than the model's context of ${p.blockSize}.`,
  // dna: the k-mer tokenizer and DNA prompts
  dnaNotDna: (p: { percent: number }) => `The k-mer tokenizer reads DNA (A, C, G, T), but only ${nEn(p.percent)}% of this text is bases. Choose the genome, or another tokenizer.`,
  dnaKmerK: (p: { k: string; min: number; max: number }) => `A k-mer has ${p.min} to ${p.max} bases (got ${p.k}).`,
  dnaPromptShort: (p: { k: number }) => `Type at least ${p.k} bases (A, C, G, T): this model reads DNA in ${p.k}-base tokens.`,
  // the backend race and the size sweep (worker/raceJob.ts, worker/sweepJob.ts)
  raceEmulated: () => 'emulated on the CPU (a software GPU): tick “include emulated” to race it',
  raceNotStarted: () => 'it did not start here',
  raceOneThread: () => 'wasm already runs on one thread here, in the row above',
  raceFailed: (p: { error: string }) => `it failed during the race: ${p.error}`,
  raceStopped: () => 'the race was stopped before its turn',
  experimentBusy: () => 'A race or sweep is already running: wait for it, or stop it.',
  experimentFailed: (p: { error: string }) => `The experiment stopped: ${p.error}`,
  // host: Hugging Face export and import
  hfInvalid: (p: { reason: string }) => `This Hugging Face folder cannot be read: ${p.reason}.`,
  hfNotGpt2: (p: { type: string }) => `config.json describes a "${p.type}" model; Folio reads GPT-2 models (model_type "gpt2") that it exported.`,
  hfNoTokenizer: () => 'The folder has no tokenizer Folio can read: add the folio.json or the tokenizer.json that was exported with the model.',
  hfMissingFile: (p: { name: string }) => `${p.name} is missing: choose all the files of the Hugging Face folder together.`,
};

export type NoticeTable = typeof enNotice;

export const ptNotice: NoticeTable = {
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
    `O texto é curto demais para este modelo: ele dá ${nPt(p.tokens)} tokens, mas um contexto de ${nPt(p.context)} precisa de pelo menos ${nPt(p.min)} ` +
    `(para que os ${p.heldOut}% reservados para validação ainda tenham uma janela). Acrescente texto ou escolha um contexto menor.`,
  fileTooLargeMb: (p) => `Esse arquivo tem mais de ${p.mb} MB; o Folio treina em textos pequenos. Escolha um arquivo menor.`,
  emptyPaste: () => 'A caixa de texto está vazia: cole algum texto antes.',
  notPlainText: (p) => `Esse é um arquivo ${p.kind}, não texto simples. Salve-o como .txt antes (na maioria dos editores: “Salvar como… → Texto simples”).`,
  wholeNumber: (p) => `${FIELD_PT[p.field]} deve ser um número inteiro ≥ 1${p.got ? ` (recebido: ${p.got})` : ''}.`,
  atMost: (p) => `${FIELD_PT[p.field]} deve ser no máximo ${nPt(p.max)} (recebido: ${nPt(p.got)}).`,
  headsDivide: (p) => `O tamanho do embedding (${p.embd}) deve ser divisível pelo número de cabeças (${p.heads}).`,
  tooLargeToTrain: (p) =>
    `Este modelo não consegue treinar em uma aba do navegador: ele precisa de pelo menos ${gbPt(p.need)} (pesos, gradientes, os dois momentos do Adam e a atenção de uma camada), e uma aba comporta no máximo ${gbPt(p.limit)}. Use menos camadas, um embedding menor ou um contexto mais curto.`,
  dropoutRange: (p) => `O dropout deve estar em [0, 1) (recebido: ${p.got}).`,
  ckptCannotSave: () => 'Este destino não consegue salvar checkpoints.',
  ckptCannotLoad: () => 'Esta origem não consegue carregar checkpoints.',
  ckptUnreadable: (p) => `Não foi possível ler o checkpoint: ${p.reason}`,
  ckptTokenizerDamaged: (p) => `O tokenizador do checkpoint está danificado: ${p.reason}`,
  ckptVocabMismatch: (p) => `O tokenizador do checkpoint tem ${nPt(p.tokens)} tokens, mas o modelo espera ${nPt(p.expects)}.`,
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
    `então o treino pausou e os pesos voltaram ao passo ${nPt(p.back)}, os últimos bons. A taxa de aprendizado (${p.lr.toLocaleString('pt-BR')}) provavelmente está alta demais: diminua-a e ${p.back > 0 ? 'clique em Retomar' : 'clique em Treinar de novo'}.`,
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
    `O worker de treino parou de responder (sem progresso há ${nPt(p.seconds)} s) e foi reiniciado; ${p.step >= 0 ? `seu modelo foi recarregado do último salvamento, passo ${nPt(p.step)}.` : 'o treino recomeça do início.'}`,
  stalled: (p) => `O treino travou: o worker não envia progresso há ${nPt(p.seconds)} s. Reiniciá-lo a partir do último salvamento?`,
  noAnswer: (p) =>
    `O worker não responde há ${nPt(p.seconds)} s (esperando ${({ backend: 'o backend', model: 'o modelo ser construído', corpus: 'a verificação do corpus', save: 'um salvamento', prediction: 'as próximas palavras', step: 'um passo de treino' } as Record<string, string>)[p.what] ?? p.what}). Reiniciá-lo a partir do último salvamento?`,
  jsonlEmpty: () => 'O arquivo não tem exemplos: escreva um objeto JSON por linha.',
  jsonlNotJson: (p) => `A linha ${nPt(p.line)} não é um objeto JSON.`,
  jsonlMissing: (p) => `A linha ${nPt(p.line)} não tem texto em "${p.field}".`,
  jsonlUnknownChars: (p) => `O exemplo ${nPt(p.line)} (“${p.prompt}”) tem caracteres que o tokenizador deste modelo não codifica (${p.chars}).`,
  jsonlPromptLength: (p) =>
    `Exemplo ${nPt(p.line)} (“${p.prompt}”): o prompt tem ${nPt(p.tokens)} tokens, mas deve ter pelo menos 1 e ser menor que o contexto (${nPt(p.context)}) para sobrar espaço para a resposta.`,
  noPairs: () => 'Ainda não há pares de preferência: escolha a melhor de duas amostras ou carregue os exemplos.',
  noExamples: () => 'Ainda não há exemplos de instrução: carregue o conjunto incluído, um arquivo, ou digite um par.',
  bkNoWebGpu: () => 'este navegador não tem WebGPU (navigator.gpu não existe)',
  bkAdapterFailed: (p) => `pedir um adaptador WebGPU falhou: ${p.error}`,
  bkNoAdapter: () => 'nenhum adaptador WebGPU disponível (GPU não suportada, ou WebGPU desligado)',
  bkNoOffscreen: () => 'sem OffscreenCanvas aqui, então sem WebGL',
  bkNoWebGl2: () => 'WebGL2 não está disponível',
  bkFailedBefore: () => 'falhou durante esta sessão',
  bkSoftwareGpu: () => 'o único adaptador WebGPU é emulação em software (SwiftShader), bem mais lento que wasm',
  bkWebGpuLoad: (p) => `o backend WebGPU não pôde carregar: ${p.error}`,
  bkNotBundled: () => 'o backend WebGPU não vem incluído aqui',
  bkStartFailed: (p) => `${p.backend} não conseguiu iniciar${p.error ? `: ${p.error}` : ''}`,
  bkSoftwareGl: (p) => `o WebGL roda num renderizador em software (${p.renderer}), mais lento que wasm`,
  bkNoWasm: () => 'este ambiente não tem WebAssembly',
  lblWebGpu: (p) => `WebGPU — ${p.adapter}`,
  lblSoftware: (p) => `${p.backend} — emulação em software, lenta`,
  lblWebGl: (p) => `WebGL — ${p.renderer}`,
  lblWasm: (p) => `wasm (CPU) — ${p.threads} ${p.threads === 1 ? 'linha de execução' : 'linhas de execução'}${p.why === 'isolation' ? ' (página sem isolamento de origem cruzada)' : p.why ? `: ${p.why}` : ''}`,
  lblCpu: () => 'CPU (JavaScript puro) — o mais lento',
  // Dentro do modelo (embeddings, lente de logits, um passo de retropropagação)
  insideNoWord: () => 'Digite a palavra que de fato vem a seguir.',
  insideCannotSpell: (p) => `O tokenizador deste modelo não consegue escrever “${p.word}”.`,
  insideWordTooLong: (p) => `“${p.word}” ocupa ${p.tokens} tokens, mais que o contexto de ${p.blockSize} do modelo.`,
  dnaNotDna: (p) => `O tokenizador de k-mers lê DNA (A, C, G, T), mas só ${nPt(p.percent)}% deste texto são bases. Escolha o genoma, ou outro tokenizador.`,
  dnaKmerK: (p) => `Um k-mer tem de ${p.min} a ${p.max} bases (veio ${p.k}).`,
  dnaPromptShort: (p) => `Digite pelo menos ${p.k} bases (A, C, G, T): este modelo lê DNA em tokens de ${p.k} bases.`,
  // a corrida de backends e a varredura de tamanhos (worker/raceJob.ts, worker/sweepJob.ts)
  raceEmulated: () => 'emulado na CPU (uma GPU em software): marque “incluir emulados” para incluí-lo na corrida',
  raceNotStarted: () => 'não iniciou aqui',
  raceOneThread: () => 'o wasm já roda numa linha de execução aqui, na linha acima',
  raceFailed: (p) => `falhou durante a corrida: ${p.error}`,
  raceStopped: () => 'a corrida foi interrompida antes da vez dele',
  experimentBusy: () => 'Já há uma corrida ou varredura em andamento: espere por ela ou interrompa-a.',
  experimentFailed: (p) => `O experimento parou: ${p.error}`,
  hfInvalid: (p) => `Esta pasta do Hugging Face não pode ser lida: ${p.reason}.`,
  hfNotGpt2: (p) => `O config.json descreve um modelo "${p.type}"; o Folio lê modelos GPT-2 (model_type "gpt2") que ele mesmo exportou.`,
  hfNoTokenizer: () => 'A pasta não tem um tokenizador que o Folio saiba ler: inclua o folio.json ou o tokenizer.json exportados com o modelo.',
  hfMissingFile: (p) => `Falta o ${p.name}: escolha juntos todos os arquivos da pasta do Hugging Face.`,
};
