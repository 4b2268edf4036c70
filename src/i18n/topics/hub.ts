/**
 * The words of GPT-2 from the Hugging Face Hub (ui/hub/HubPanel.tsx, ui/nextWords/GuestWords.tsx),
 * in English and Portuguese: the repo field, the size before downloading, progress, the two
 * ranked lists side by side.
 */
import { fmtFixed, fmtNum } from '../format';

const mb = (bytes: number, locale: string) => `${fmtNum(Math.round(bytes / 1024 ** 2), locale)} MB`;
const mParams = (n: number, locale: string) => `${fmtNum(Math.round(n / 1e6), locale)} M`;

export const en = {
  hubTitle: 'Meet a real LLM: GPT-2',
  hubHint:
    'GPT-2 small (2019) has 124 million parameters and was trained on 8 million web pages; its architecture is exactly your model’s, only bigger. Load it from the Hugging Face Hub and ask it the same prompt: its guesses appear beside your model’s under What comes next?',
  hubRepo: 'Hub model (owner/name)',
  hubCheck: 'Check size',
  hubFolder: 'or load a folder…',
  hubWillDownload: (repo: string, bytes: number, files: string) =>
    `${repo}: ${mb(bytes, 'en')} to download (${files}), then kept in this browser for offline use.`,
  hubDownload: 'Download',
  hubCancel: 'Cancel',
  hubSizing: 'Asking the Hub for the sizes…',
  hubDownloading: (done: number, total: number) => `Downloading: ${mb(done, 'en')} of ${mb(total, 'en')}`,
  hubBuilding: 'Building the model in the worker…',
  hubLoaded: (name: string, params: number, layers: number, heads: number, dtype: string) =>
    `${name} is loaded: ${mParams(params, 'en')} parameters, ${layers} layers × ${heads} heads, weights in ${dtype}.`,
  hubLoadTime: (ms: number) => `Loaded in ${fmtFixed(ms / 1000, 1, 'en')} s.`,
  hubUnload: 'Unload',
  yourModel: 'Your model',
  guestColumn: (name: string, params: number) => `${name} (${mParams(params, 'en')})`,
  guestThinking: 'thinking…',
  scaleLoaded: 'loaded',
};

export const pt = {
  hubTitle: 'Conheça um LLM de verdade: o GPT-2',
  hubHint:
    'O GPT-2 pequeno (2019) tem 124 milhões de parâmetros e foi treinado com 8 milhões de páginas da web; sua arquitetura é exatamente a do seu modelo, só que maior. Carregue-o do Hugging Face Hub e faça a ele o mesmo prompt: os palpites dele aparecem ao lado dos do seu modelo em O que vem depois?',
  hubRepo: 'Modelo do Hub (dono/nome)',
  hubCheck: 'Ver o tamanho',
  hubFolder: 'ou carregue uma pasta…',
  hubWillDownload: (repo, bytes, files) => `${repo}: ${mb(bytes, 'pt-BR')} para baixar (${files}), depois guardados neste navegador para uso offline.`,
  hubDownload: 'Baixar',
  hubCancel: 'Cancelar',
  hubSizing: 'Perguntando os tamanhos ao Hub…',
  hubDownloading: (done, total) => `Baixando: ${mb(done, 'pt-BR')} de ${mb(total, 'pt-BR')}`,
  hubBuilding: 'Montando o modelo no worker…',
  hubLoaded: (name, params, layers, heads, dtype) =>
    `${name} está carregado: ${mParams(params, 'pt-BR')} de parâmetros, ${layers} camadas × ${heads} cabeças, pesos em ${dtype}.`,
  hubLoadTime: (ms) => `Carregado em ${fmtFixed(ms / 1000, 1, 'pt-BR')} s.`,
  hubUnload: 'Descarregar',
  yourModel: 'Seu modelo',
  guestColumn: (name, params) => `${name} (${mParams(params, 'pt-BR')})`,
  guestThinking: 'pensando…',
  scaleLoaded: 'carregado',
} satisfies typeof en;
