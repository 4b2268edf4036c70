/**
 * The words of the page's frame, in English and Portuguese: the header (App.tsx, the
 * language toggle, the backend badge), the resume banner and the error banner's button,
 * the dialog that asks before a model is replaced, the offline footer (ui/OfflineStatus.tsx),
 * and the number forms every panel uses (`t.num`, `t.fixed`, `t.pct`, `t.rate`).
 */
import { fmtFixed, fmtNum, fmtPct, fmtRate } from '../format';

const nEn = (x: number) => fmtNum(x, 'en');
const nPt = (x: number) => fmtNum(x, 'pt-BR');

export const en = {
  // the header (App.tsx, ui/LanguageToggle.tsx)
  tagline: 'a tiny language model that learns in your browser',
  tabTitle: 'Folio — a tiny language model that trains in your browser',
  language: 'Language',
  // the backend badge (ui/BackendBadge.tsx)
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
  // banners (App.tsx, ui/ResumeBanner.tsx)
  dismiss: 'Dismiss',
  restartWorker: 'Restart from the last save',
  resumeOffer: (step: number, corpus: string, when: string) => `You have a model saved in this browser: step ${nEn(step)} on “${corpus}” (${when}).`,
  resumeSaved: 'Resume it',
  // before a model is replaced (ui/ConfirmDialog.tsx)
  confirmTitle: 'Replace the trained model?',
  confirmBody: (steps: number) =>
    `Your model has trained ${nEn(steps)} ${steps === 1 ? 'step' : 'steps'}. A new corpus or size starts a new model from random weights.`,
  confirmPretrainedBody: (steps: number, corpus: string) =>
    `Your model has trained ${nEn(steps)} ${steps === 1 ? 'step' : 'steps'}. The model Folio ships already trained on “${corpus}” replaces it.`,
  confirmImportBody: (steps: number, file: string) =>
    `Your model has trained ${nEn(steps)} ${steps === 1 ? 'step' : 'steps'}. The model in “${file}” replaces it.`,
  confirmScratchBody: (steps: number) =>
    `Your model has trained ${nEn(steps)} ${steps === 1 ? 'step' : 'steps'}, fine-tuning included. Training from scratch starts again from random weights: the fine-tuning is lost.`,
  confirmForkBody: (steps: number) =>
    `Your model has trained ${nEn(steps)} ${steps === 1 ? 'step' : 'steps'}. The fork replaces it: it continues from the run’s saved checkpoint, not from these weights.`,
  confirmSave: 'Save a checkpoint first',
  confirmReplace: 'Replace it',
  cancel: 'Cancel',
  // the offline footer (ui/OfflineStatus.tsx)
  hostTitle: 'This page offline',
  hostCached: (size: string, files: number, version: string) =>
    `Kept in this browser for offline use: ${size} in ${files} files, build ${version}. Reload and train with no network.`,
  hostCaching: 'Storing this page for offline use…',
  hostNoWorker: 'This browser cannot keep Folio for offline use (no service worker here).',
  hostDev: 'The development server is not kept offline; the built page is.',
  hostIsolated: (threads?: number) => (threads ? `Cross-origin isolated: wasm trains on ${threads} threads.` : 'Cross-origin isolated: wasm can use threads.'),
  hostNotIsolated: 'Not cross-origin isolated: wasm runs on one thread (about half the speed).',
  hostMb: (mb: number) => `${mb.toLocaleString('en', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`,
  // numbers, in the language's own form (format.ts)
  num: (x: number) => fmtNum(x, 'en'),
  fixed: (x: number, digits: number) => fmtFixed(x, digits, 'en'),
  pct: (p: number) => fmtPct(p, 'en'),
  rate: (x: number) => fmtRate(x, 'en'),
};

export const pt = {
  // the header (App.tsx, ui/LanguageToggle.tsx)
  tagline: 'um pequeno modelo de linguagem que aprende no seu navegador',
  tabTitle: 'Folio — um pequeno modelo de linguagem que treina no seu navegador',
  language: 'Idioma',
  // the backend badge (ui/BackendBadge.tsx)
  backendChoosing: 'escolhendo um backend…',
  backendTitle: 'Qual backend do tfjs executa o modelo',
  adapter: 'Adaptador',
  renderer: 'Renderizador',
  software: ' — emulação em software na CPU, não uma GPU real',
  threads: 'Linhas de execução',
  runOn: 'Executar em',
  runOnLabel: 'Backend de execução (recarrega a página)',
  bestAvailable: 'melhor disponível',
  skipped: 'ignorado',
  gpuExplain: 'GPUs fazem milhares de multiplicações ao mesmo tempo; treinar um modelo é principalmente isso.',
  // banners (App.tsx, ui/ResumeBanner.tsx)
  dismiss: 'Fechar',
  restartWorker: 'Reiniciar do último salvamento',
  resumeOffer: (step, corpus, when) => `Você tem um modelo salvo neste navegador: passo ${nPt(step)} em “${corpus}” (${when}).`,
  resumeSaved: 'Retomar',
  // before a model is replaced (ui/ConfirmDialog.tsx)
  confirmTitle: 'Substituir o modelo treinado?',
  confirmBody: (steps) =>
    `Seu modelo treinou ${nPt(steps)} ${steps === 1 ? 'passo' : 'passos'}. Um novo corpus ou tamanho começa um novo modelo com pesos aleatórios.`,
  confirmPretrainedBody: (steps, corpus) =>
    `Seu modelo treinou ${nPt(steps)} ${steps === 1 ? 'passo' : 'passos'}. O modelo que o Folio traz já treinado em “${corpus}” o substitui.`,
  confirmImportBody: (steps, file) => `Seu modelo treinou ${nPt(steps)} ${steps === 1 ? 'passo' : 'passos'}. O modelo em “${file}” o substitui.`,
  confirmScratchBody: (steps) =>
    `Seu modelo treinou ${nPt(steps)} ${steps === 1 ? 'passo' : 'passos'}, incluindo o ajuste fino. Treinar do zero recomeça com pesos aleatórios: o ajuste fino se perde.`,
  confirmForkBody: (steps) =>
    `Seu modelo treinou ${nPt(steps)} ${steps === 1 ? 'passo' : 'passos'}. A bifurcação o substitui: ela continua do checkpoint salvo da execução, não destes pesos.`,
  confirmSave: 'Salvar um checkpoint antes',
  confirmReplace: 'Substituir',
  cancel: 'Cancelar',
  // the offline footer (ui/OfflineStatus.tsx)
  hostTitle: 'Esta página offline',
  hostCached: (size, files, version) =>
    `Guardada neste navegador para uso offline: ${size} em ${files} arquivos, versão ${version}. Recarregue e treine sem rede.`,
  hostCaching: 'Guardando esta página para uso offline…',
  hostNoWorker: 'Este navegador não consegue guardar o Folio para uso offline (não há service worker aqui).',
  hostDev: 'O servidor de desenvolvimento não fica offline; a página compilada fica.',
  hostIsolated: (threads) =>
    threads
      ? `Com isolamento de origem cruzada: o wasm treina em ${threads} linhas de execução.`
      : 'Com isolamento de origem cruzada: o wasm pode usar várias linhas de execução.',
  hostNotIsolated: 'Sem isolamento de origem cruzada: o wasm roda numa só linha de execução (cerca de metade da velocidade).',
  hostMb: (mb) => `${mb.toLocaleString('pt-BR', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`,
  // numbers, in the language's own form (format.ts)
  num: (x) => fmtNum(x, 'pt-BR'),
  fixed: (x, digits) => fmtFixed(x, digits, 'pt-BR'),
  pct: (p) => fmtPct(p, 'pt-BR'),
  rate: (x) => fmtRate(x, 'pt-BR'),
} satisfies typeof en;
