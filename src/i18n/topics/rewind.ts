/**
 * Rewind's words (issue 27; ui/rewind/, and the rewound views of the next-words, attention
 * and inside panels), in English and Portuguese: the scrubber on the loss chart, the bar
 * that says which step the page shows, the film strip, a snapshot's sample, what the
 * snapshots take, and the export that carries them.
 */
import { fmtNum, fmtPct } from '../format';

const nEn = (x: number) => fmtNum(x, 'en');
const nPt = (x: number) => fmtNum(x, 'pt-BR');
const mb = (bytes: number, locale: string) => `${(bytes / 1024 ** 2).toLocaleString(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;

export const en = {
  rewindLabel: 'Rewind',
  rewindHint:
    'Drag along the loss curve (or use the arrow keys here) to see the model as it was at an earlier step: its next words, a sample, attention and embeddings. Training goes on underneath.',
  rewindNowText: (step: number) => `now (step ${nEn(step)})`,
  rewindAtText: (step: number) => `step ${nEn(step)}`,
  rewindNone: 'Snapshots for rewinding are taken as the model trains (at steps 0, 10, 20, 30, 50, 70, 100, 200, …).',
  rewindMemory: (count: number, bytes: number, limit: number) => `${nEn(count)} snapshots, ${mb(bytes, 'en')} (at most ${nEn(limit)} kept)`,
  rewindBar: (step: number, now: number) => `You are looking at the model as it was at step ${nEn(step)} (it has trained ${nEn(now)} steps now).`,
  rewindNow: 'Back to now',
  rewindChartLabel: 'Snapshots along the loss curve: press or drag to rewind',
  rewindSampleAt: (step: number) => `At step ${nEn(step)} it goes on:`,
  rewindTrackAt: (word: string, step: number, p: string) => `P(${word}) at step ${nEn(step)}: ${p}`,
  rewindBackpropNow: (now: number) =>
    `One step of backpropagation is taken on a copy of the model as it is now (step ${nEn(now)}), not as it was at the step you rewound to.`,
  // the film strip
  filmTitle: 'What it said, step by step',
  filmHint: (prompt: string) => `The top next word after “${prompt}” at every snapshot. Press a frame to rewind to it.`,
  filmFrame: (step: number, word: string, p: number) => `step ${nEn(step)}: “${word}” ${fmtPct(p, 'en')}`,
  filmStale: 'updating for the new prompt…',
  // export
  exportSnapshots: (count: number, bytes: number) => `with the ${nEn(count)} snapshots for rewinding (+${mb(bytes, 'en')})`,
};

export const pt = {
  rewindLabel: 'Voltar no tempo',
  rewindHint:
    'Arraste ao longo da curva de perda (ou use as setas aqui) para ver o modelo como ele era num passo anterior: as próximas palavras, uma amostra, a atenção e os embeddings. O treino continua por baixo.',
  rewindNowText: (step) => `agora (passo ${nPt(step)})`,
  rewindAtText: (step) => `passo ${nPt(step)}`,
  rewindNone: 'Os instantâneos para voltar no tempo são guardados enquanto o modelo treina (nos passos 0, 10, 20, 30, 50, 70, 100, 200, …).',
  rewindMemory: (count, bytes, limit) => `${nPt(count)} instantâneos, ${mb(bytes, 'pt-BR')} (no máximo ${nPt(limit)} guardados)`,
  rewindBar: (step, now) => `Você está vendo o modelo como ele era no passo ${nPt(step)} (agora ele já treinou ${nPt(now)} passos).`,
  rewindNow: 'Voltar para agora',
  rewindChartLabel: 'Instantâneos ao longo da curva de perda: clique ou arraste para voltar no tempo',
  rewindSampleAt: (step) => `No passo ${nPt(step)} ele continua:`,
  rewindTrackAt: (word, step, p) => `P(${word}) no passo ${nPt(step)}: ${p}`,
  rewindBackpropNow: (now) =>
    `Um passo de retropropagação é dado numa cópia do modelo como ele está agora (passo ${nPt(now)}), não como era no passo para onde você voltou.`,
  // the film strip
  filmTitle: 'O que ele disse, passo a passo',
  filmHint: (prompt) => `A palavra seguinte mais provável depois de “${prompt}” em cada instantâneo. Clique num quadro para voltar até ele.`,
  filmFrame: (step, word, p) => `passo ${nPt(step)}: “${word}” ${fmtPct(p, 'pt-BR')}`,
  filmStale: 'atualizando para o novo prompt…',
  // export
  exportSnapshots: (count, bytes) => `com os ${nPt(count)} instantâneos para voltar no tempo (+${mb(bytes, 'pt-BR')})`,
} satisfies typeof en;
