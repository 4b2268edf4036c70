/**
 * The notices about saving and loading a model, in English and Portuguese: checkpoint
 * files, the browser's storage, the bundled trained model, and Hugging Face folders.
 */
import { nEn, nPt, type Reason } from './common';

export const en = {
  ckptCannotSave: () => 'This destination cannot save checkpoints.',
  ckptCannotLoad: () => 'This source cannot load checkpoints.',
  ckptUnreadable: (p: { reason: Reason }) => `Could not read the checkpoint: ${p.reason}`,
  ckptTokenizerDamaged: (p: { reason: Reason }) => `The checkpoint's tokenizer is damaged: ${p.reason}`,
  ckptVocabMismatch: (p: { tokens: number; expects: number }) =>
    `The checkpoint's tokenizer has ${nEn(p.tokens)} tokens but its model expects ${nEn(p.expects)}.`,
  ckptNoWeights: () => 'The checkpoint has no weights.',
  ckptWeightsTruncated: (p: { got: number; expected: number }) =>
    `The checkpoint's weights are damaged: weights are truncated (${nEn(p.got)} of ${nEn(p.expected)} bytes)`,
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
  pretrainedFailed: (p: { why: Reason }) =>
    `The bundled trained model could not be loaded (${p.why}), so this model starts from random weights: train it to see it learn.`,
  // saving in the browser
  noIndexedDb: () => 'This browser offers no IndexedDB storage.',
  saveFailed: (p: { reason: Reason }) => `Could not save the model: ${p.reason}`,
  storageFull: () => 'The browser’s storage is full, so this model is not saved for the next visit. Training goes on; export the model to keep it.',
  storeFailed: (p: { reason: Reason }) => `Saving for the next visit failed (${p.reason}). Training goes on; export the model to keep it.`,
  // Hugging Face export and import
  hfInvalid: (p: { reason: string }) => `This Hugging Face folder cannot be read: ${p.reason}.`,
  hfNotGpt2: (p: { type: string }) => `config.json describes a "${p.type}" model; Folio reads GPT-2 models (model_type "gpt2") that it exported.`,
  hfNoTokenizer: () => 'The folder has no tokenizer Folio can read: add the folio.json or the tokenizer.json that was exported with the model.',
  hfMissingFile: (p: { name: string }) => `${p.name} is missing: choose all the files of the Hugging Face folder together.`,
  hfZipUnreadable: (p: { reason: string }): string =>
    p.reason === 'compressed'
      ? 'This .zip is compressed, and Folio reads only the .zip it saves (stored as is): unzip it and choose all its files.'
      : 'This .zip cannot be read (it is damaged, or not a zip): unzip it and choose all its files.',
};

export const pt = {
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
  pretrainedFailed: (p) =>
    `O modelo treinado que vem com o Folio não pôde ser carregado (${p.why}); este modelo começa com pesos aleatórios: treine-o para vê-lo aprender.`,
  // saving in the browser
  noIndexedDb: () => 'Este navegador não oferece armazenamento IndexedDB.',
  saveFailed: (p) => `Não foi possível salvar o modelo: ${p.reason}`,
  storageFull: () =>
    'O armazenamento do navegador está cheio, então este modelo não fica salvo para a próxima visita. O treino continua; exporte o modelo para guardá-lo.',
  storeFailed: (p) => `Salvar para a próxima visita falhou (${p.reason}). O treino continua; exporte o modelo para guardá-lo.`,
  // Hugging Face export and import
  hfInvalid: (p) => `Esta pasta do Hugging Face não pode ser lida: ${p.reason}.`,
  hfNotGpt2: (p) => `O config.json descreve um modelo "${p.type}"; o Folio lê modelos GPT-2 (model_type "gpt2") que ele mesmo exportou.`,
  hfNoTokenizer: () => 'A pasta não tem um tokenizador que o Folio saiba ler: inclua o folio.json ou o tokenizer.json exportados com o modelo.',
  hfMissingFile: (p) => `Falta o ${p.name}: escolha juntos todos os arquivos da pasta do Hugging Face.`,
  hfZipUnreadable: (p) =>
    p.reason === 'compressed'
      ? 'Este .zip está comprimido, e o Folio lê só o .zip que ele salva (guardado como está): descompacte-o e escolha todos os arquivos dele.'
      : 'Este .zip não pode ser lido (está danificado, ou não é um zip): descompacte-o e escolha todos os arquivos dele.',
} satisfies typeof en;
