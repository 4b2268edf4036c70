/**
 * The notices about a model's settings, in English and Portuguese: what config.ts's
 * validation says about layers, heads, width, context and dropout.
 */
import { gbEn, gbPt, nEn, nPt } from './common';

/** The model settings a validation message can name. */
export type ModelField = 'nLayer' | 'nHead' | 'nEmbd' | 'blockSize';
const FIELD_EN: Record<ModelField, string> = { nLayer: 'Layers', nHead: 'Heads', nEmbd: 'Embedding size', blockSize: 'Context length' };
const FIELD_PT: Record<ModelField, string> = { nLayer: 'Camadas', nHead: 'Cabeças', nEmbd: 'Tamanho do embedding', blockSize: 'Tamanho do contexto' };

export const en = {
  wholeNumber: (p: { field: ModelField; got: string }) => `${FIELD_EN[p.field]} must be a whole number ≥ 1${p.got ? ` (got ${p.got})` : ''}.`,
  atMost: (p: { field: ModelField; max: number; got: number }) => `${FIELD_EN[p.field]} must be at most ${nEn(p.max)} (got ${nEn(p.got)}).`,
  headsDivide: (p: { embd: number; heads: number }) => `Embedding size (${p.embd}) must be divisible by the number of heads (${p.heads}).`,
  tooLargeToTrain: (p: { need: number; limit: number }) =>
    `This model cannot train in a browser tab: it needs at least ${gbEn(p.need)} (weights, gradients, Adam's two moments and one layer's attention), and a tab holds at most ${gbEn(p.limit)}. Use fewer layers, a smaller embedding or a shorter context.`,
  dropoutRange: (p: { got: string }) => `Dropout must be in [0, 1) (got ${p.got}).`,
};

export const pt = {
  wholeNumber: (p) => `${FIELD_PT[p.field]} deve ser um número inteiro ≥ 1${p.got ? ` (recebido: ${p.got})` : ''}.`,
  atMost: (p) => `${FIELD_PT[p.field]} deve ser no máximo ${nPt(p.max)} (recebido: ${nPt(p.got)}).`,
  headsDivide: (p) => `O tamanho do embedding (${p.embd}) deve ser divisível pelo número de cabeças (${p.heads}).`,
  tooLargeToTrain: (p) =>
    `Este modelo não consegue treinar em uma aba do navegador: ele precisa de pelo menos ${gbPt(p.need)} (pesos, gradientes, os dois momentos do Adam e a atenção de uma camada), e uma aba comporta no máximo ${gbPt(p.limit)}. Use menos camadas, um embedding menor ou um contexto mais curto.`,
  dropoutRange: (p) => `O dropout deve estar em [0, 1) (recebido: ${p.got}).`,
} satisfies typeof en;
