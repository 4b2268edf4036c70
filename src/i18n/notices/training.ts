/**
 * The notices about training, in English and Portuguese: settings a run refuses, a loss
 * that diverged, the machine under the session failing (backend, worker), and the
 * fine-tuning data.
 */
import { nEn, nPt, type Reason } from './common';

export const en = {
  noModel: () => 'No model yet: choose a corpus and a model first.',
  lrInvalid: (p: { got: string }) => `The learning rate must be a positive number (got ${p.got}).`,
  stepsInvalid: (p: { got: string }) => `The number of steps must be a whole number ≥ 1 (got ${p.got}).`,
  atTarget: (p: { target: number }) => `Training already reached its target of ${nEn(p.target)} steps; raise the target or reset.`,
  diverged: (p: { loss: number; uniform: number; step: number; back: number; lr: number }) =>
    `The loss became ${Number.isFinite(p.loss) ? `${nEn(Math.round(p.loss))} (guessing at random scores ${p.uniform.toFixed(1)})` : String(p.loss)} at step ${nEn(p.step)}, ` +
    `so training paused and the weights went back to step ${nEn(p.back)}, the last good ones. The learning rate (${p.lr}) is probably too high: lower it, then ${p.back > 0 ? 'press Resume' : 'press Train again'}.`, // back at step 0 there is nothing to resume: the page shows only Train
  // the machine under the session
  backendSwitched: (p: { failed: string; reason: string; to: string; step: number }) =>
    `${p.failed || 'The backend'} failed during training (${p.reason}). Switched to ${p.to} and resumed from the last save, step ${nEn(p.step)}.`,
  backendNoSave: (p: { failed: string; reason: string }) =>
    `${p.failed || 'The backend'} failed during training (${p.reason}); there was no saved model to resume from, so please set the model up again.`,
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
  jsonlUnknownChars: (p: { line: number; chars: string; prompt: string }) =>
    `Example ${nEn(p.line)} (“${p.prompt}”) has characters this model's tokenizer cannot encode (${p.chars}).`,
  noPairs: () => 'There are no preference pairs yet: pick the better of two samples, or load the examples.',
  noExamples: () => 'There are no instruction examples yet: load the bundled set, a file, or type a pair.',
};

export const pt = {
  noModel: () => 'Ainda não há modelo: escolha um corpus e um modelo antes.',
  lrInvalid: (p) => `A taxa de aprendizado deve ser um número positivo (recebido: ${p.got}).`,
  stepsInvalid: (p) => `O número de passos deve ser um inteiro ≥ 1 (recebido: ${p.got}).`,
  atTarget: (p) => `O treino já chegou à meta de ${nPt(p.target)} passos; aumente a meta ou recomece.`,
  diverged: (p) =>
    `A perda chegou a ${Number.isFinite(p.loss) ? `${nPt(Math.round(p.loss))} (chutar ao acaso dá ${p.uniform.toLocaleString('pt-BR', { maximumFractionDigits: 1, minimumFractionDigits: 1 })})` : String(p.loss)} no passo ${nPt(p.step)}, ` +
    `então o treino pausou e os pesos voltaram ao passo ${nPt(p.back)}, os últimos bons. A taxa de aprendizado (${p.lr.toLocaleString('pt-BR')}) provavelmente está alta demais: diminua-a e ${p.back > 0 ? 'clique em Retomar' : 'clique em Treinar de novo'}.`,
  // the machine under the session
  backendSwitched: (p) =>
    `${p.failed || 'O backend'} falhou durante o treino (${p.reason}). Mudamos para ${p.to} e retomamos do último salvamento, passo ${nPt(p.step)}.`,
  backendNoSave: (p) =>
    `${p.failed || 'O backend'} falhou durante o treino (${p.reason}); não havia modelo salvo para retomar, então configure o modelo de novo.`,
  backendFailed: (p) => `${p.failed || 'O backend'} falhou durante o treino (${p.reason}); ${p.error}.`,
  workerCrashed: (p) =>
    `O worker de treino travou (${p.reason}) e foi reiniciado; ${p.step >= 0 ? `seu modelo foi recarregado do último salvamento, passo ${nPt(p.step)}.` : 'o treino recomeça do início.'}`,
  workerStalled: (p) =>
    `O worker de treino parou de responder (sem progresso há ${nPt(p.seconds)} s) e foi reiniciado; ${p.step >= 0 ? `seu modelo foi recarregado do último salvamento, passo ${nPt(p.step)}.` : 'o treino recomeça do início.'}`,
  stalled: (p) => `O treino travou: o worker não envia progresso há ${nPt(p.seconds)} s. Reiniciá-lo a partir do último salvamento?`,
  noAnswer: (p) =>
    `O worker não responde há ${nPt(p.seconds)} s (esperando ${({ backend: 'o backend', model: 'o modelo ser construído', corpus: 'a verificação do corpus', save: 'um salvamento', prediction: 'as próximas palavras', step: 'um passo de treino' } as Record<string, string>)[p.what] ?? p.what}). Reiniciá-lo a partir do último salvamento?`,
  // fine-tuning data
  jsonlEmpty: () => 'O arquivo não tem exemplos: escreva um objeto JSON por linha.',
  jsonlNotJson: (p) => `A linha ${nPt(p.line)} não é um objeto JSON.`,
  jsonlMissing: (p) => `A linha ${nPt(p.line)} não tem texto em "${p.field}".`,
  jsonlUnknownChars: (p) => `O exemplo ${nPt(p.line)} (“${p.prompt}”) tem caracteres que o tokenizador deste modelo não codifica (${p.chars}).`,
  noPairs: () => 'Ainda não há pares de preferência: escolha a melhor de duas amostras ou carregue os exemplos.',
  noExamples: () => 'Ainda não há exemplos de instrução: carregue o conjunto incluído, um arquivo, ou digite um par.',
} satisfies typeof en;
