/**
 * The notices about rewinding a run (issue 27), in English and Portuguese: a snapshot the
 * page asked for that the run no longer keeps, and snapshots the browser could not store.
 */
import { nEn, nPt } from './common';

export const en = {
  rewindNoSnapshot: (p: { step: number }) => `This run keeps no snapshot at step ${nEn(p.step)} any more: pick another point on the loss curve.`,
  rewindNoRun: () => 'This model has no snapshots to rewind to yet: train it a few steps first.',
  rewindNotStored: () => 'The snapshots for rewinding could not be stored in this browser (it is full): they stay until you reload.',
};

export const pt = {
  rewindNoSnapshot: (p) => `Este treino não guarda mais um instantâneo no passo ${nPt(p.step)}: escolha outro ponto da curva de perda.`,
  rewindNoRun: () => 'Este modelo ainda não tem instantâneos para voltar no tempo: treine alguns passos antes.',
  rewindNotStored: () => 'Os instantâneos para voltar no tempo não couberam neste navegador (ele está cheio): ficam até você recarregar a página.',
} satisfies typeof en;
