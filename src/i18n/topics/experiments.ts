/**
 * The experiments' words, in English and Portuguese: the backend race (ui/RacePanel.tsx)
 * and the size sweep (ui/SweepView.tsx). Their notices are in notices/backends.ts.
 */
import { fmtDuration, fmtFixed, fmtNum } from '../format';

const nEn = (x: number) => fmtNum(x, 'en');
const nPt = (x: number) => fmtNum(x, 'pt-BR');

export const en = {
  // the backend race (ui/RacePanel.tsx)
  raceTitle: 'Race the backends',
  raceHint:
    'The same model, with the same seed and the same batches, trains a few steps on every backend this browser can start, one after another. Your model is left as it is; training goes on afterwards.',
  raceSteps: 'Steps on each',
  raceEmulated: 'include emulated (software GPUs, slow)',
  raceStart: 'Race',
  raceStop: 'Stop',
  raceRunning: (who: string, step: number, steps: number) => `Racing ${who}: step ${nEn(step)} of ${nEn(steps)}…`,
  raceStarting: 'Starting the race…',
  raceModel: (params: string, steps: number) =>
    `A fresh copy of your model (${params} parameters, dropout off), ${nEn(steps)} steps on each backend; the first steps warm up and are not timed.`,
  raceColBackend: 'Backend',
  raceColMs: 'ms/step',
  raceColTokens: 'tokens/s',
  raceColSpeedup: 'vs cpu',
  raceColLosses: 'first losses',
  raceEmulatedTag: 'emulated on the CPU',
  raceSkippedTitle: 'Not raced',
  raceSame: 'The first losses agree on every backend: the same maths on different hardware.',
  raceDiffer: (d: string) => `The first losses differ by up to ${d}: more than rounding.`,
  raceNames: { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'wasm (all threads)', 'wasm-1': 'wasm, 1 thread', cpu: 'cpu (plain JavaScript)' },
  raceShared: 'Timings vary with what else the machine is doing: compare within one race.',
  times: (x: number) => `${fmtFixed(x, x >= 10 ? 0 : 1, 'en')}×`,
  // the size sweep (ui/SweepView.tsx)
  duration: (ms: number) => fmtDuration(ms, 'en'),
  sweepTitle: 'Bigger models learn more',
  sweepHint: 'Train a few sizes, from tiny up, on this corpus for the same budget, and see where each one’s loss ends.',
  sweepSame: 'Same',
  sweepTokens: 'tokens',
  sweepTime: 'time',
  sweepTokensEach: 'tokens each',
  sweepSecondsEach: 'seconds each',
  sweepStart: 'Run the sweep',
  sweepPlanning: 'Timing two steps of each size to choose the sizes…',
  sweepProgress: (i: number, n: number, left: string) => `Size ${i} of ${n} · about ${left} left`,
  sweepDone: (n: number, took: string) => `${n} sizes in ${took}.`,
  sweepDropped: (sizes: string) => `Too slow on this backend for the budget: ${sizes}.`,
  sweepAxisX: 'parameters (log scale)',
  sweepAxisY: (unit: string) => `final validation loss (${unit})`,
  sweepPoint: (params: string, loss: string) => `${params} parameters: validation loss ${loss}`,
  sweepLargest: 'up to',
  sweepAuto: 'what this backend handles',
  sweepSize: (layers: number, width: number, params: string) => `${layers} × ${width} (${params})`,
  sweepLabel: 'Final validation loss against parameter count',
};

export const pt = {
  // the backend race (ui/RacePanel.tsx)
  raceTitle: 'Corrida de backends',
  raceHint:
    'O mesmo modelo, com a mesma semente e os mesmos lotes, treina alguns passos em cada backend que este navegador consegue iniciar, um depois do outro. Seu modelo fica como está; o treino continua depois.',
  raceSteps: 'Passos em cada',
  raceEmulated: 'incluir emulados (GPUs em software, lentas)',
  raceStart: 'Correr',
  raceStop: 'Parar',
  raceRunning: (who, step, steps) => `Correndo ${who}: passo ${nPt(step)} de ${nPt(steps)}…`,
  raceStarting: 'Iniciando a corrida…',
  raceModel: (params, steps) =>
    `Uma cópia nova do seu modelo (${params} parâmetros, sem dropout), ${nPt(steps)} passos em cada backend; os primeiros aquecem e não são cronometrados.`,
  raceColBackend: 'Backend',
  raceColMs: 'ms/passo',
  raceColTokens: 'tokens/s',
  raceColSpeedup: 'vs cpu',
  raceColLosses: 'primeiras perdas',
  raceEmulatedTag: 'emulado na CPU',
  raceSkippedTitle: 'Fora da corrida',
  raceSame: 'As primeiras perdas coincidem em todos os backends: a mesma matemática em hardware diferente.',
  raceDiffer: (d) => `As primeiras perdas diferem em até ${d}: mais que arredondamento.`,
  raceNames: {
    webgpu: 'WebGPU',
    webgl: 'WebGL',
    wasm: 'wasm (todas as linhas de execução)',
    'wasm-1': 'wasm, 1 linha de execução',
    cpu: 'cpu (JavaScript puro)',
  },
  raceShared: 'Os tempos variam com o que mais a máquina está fazendo: compare dentro de uma mesma corrida.',
  times: (x) => `${fmtFixed(x, x >= 10 ? 0 : 1, 'pt-BR')}×`,
  // the size sweep (ui/SweepView.tsx)
  duration: (ms) => fmtDuration(ms, 'pt-BR'),
  sweepTitle: 'Modelos maiores aprendem mais',
  sweepHint: 'Treine alguns tamanhos, do minúsculo para cima, neste corpus com o mesmo orçamento, e veja onde termina a perda de cada um.',
  sweepSame: 'Mesmo',
  sweepTokens: 'número de tokens',
  sweepTime: 'tempo',
  sweepTokensEach: 'tokens cada',
  sweepSecondsEach: 'segundos cada',
  sweepStart: 'Fazer a varredura',
  sweepPlanning: 'Cronometrando dois passos de cada tamanho para escolher os tamanhos…',
  sweepProgress: (i, n, left) => `Tamanho ${i} de ${n} · faltam cerca de ${left}`,
  sweepDone: (n, took) => `${n} tamanhos em ${took}.`,
  sweepDropped: (sizes) => `Lentos demais neste backend para o orçamento: ${sizes}.`,
  sweepAxisX: 'parâmetros (escala log)',
  sweepAxisY: (unit) => `perda de validação final (${unit})`,
  sweepPoint: (params, loss) => `${params} parâmetros: perda de validação ${loss}`,
  sweepLargest: 'até',
  sweepAuto: 'o que este backend aguenta',
  sweepSize: (layers, width, params) => `${layers} × ${width} (${params})`,
  sweepLabel: 'Perda de validação final em função do número de parâmetros',
} satisfies typeof en;
