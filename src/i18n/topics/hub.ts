/**
 * The words of GPT-2 from the Hugging Face Hub (ui/hub/HubPanel.tsx, ui/nextWords/GuestWords.tsx),
 * in English and Portuguese: the repo field, the size before downloading, progress, the two
 * ranked lists side by side, its LoRA section and its full export.
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
  // LoRA on the guest (ui/fineTune/GuestLora.tsx)
  loraTitle: (name: string) => `Fine-tune ${name} with LoRA`,
  loraHint: (name: string) =>
    `${name} is too big to train whole in a tab. LoRA freezes its weights and trains a small low-rank update beside each attention projection (rank r: two thin matrices, r columns wide), with the same data and methods as above. The ranked words beside your model's show what it learned.`,
  loraRank: 'Rank r',
  loraTune: (name: string) => `Fine-tune ${name} (LoRA)`,
  loraStop: 'Stop',
  loraProgress: (step: number, steps: number, loss: number | undefined) =>
    `Step ${fmtNum(step, 'en')} of ${fmtNum(steps, 'en')}${loss === undefined ? '' : ` · loss ${fmtFixed(loss, 3, 'en')}`}`,
  loraTrainable: (n: number, of: number) => `${fmtNum(n, 'en')} numbers train, of ${mParams(of, 'en')} (${fmtFixed((100 * n) / of, 2, 'en')} %).`,
  loraHas: (r: number, alpha: number, targets: string) => `It has LoRA adapters: r ${r}, α ${fmtNum(alpha, 'en')}, on ${targets}.`,
  loraCost: (kl: number) => `cost: its next words on text it was not tuned on moved by KL ${fmtFixed(kl, 3, 'en')} nats`,
  loraSave: 'Save the adapters (PEFT)',
  loraSaveHint: 'Two files Python’s peft loads: put adapter_config.json and adapter_model.safetensors in one folder.',
  loraMerge: 'Merge into the weights',
  // The guest's full export (ui/fineTune/GuestExport.tsx)
  guestExport: (merged: boolean): string => (merged ? 'Download merged model' : 'Download the model (Hugging Face)'),
  guestExportHint: (merged: boolean, bytes: number) =>
    `One .zip: config.json, model.safetensors (${mb(bytes, 'en')}) and the tokenizer files, a folder transformers loads with GPT2LMHeadModel.from_pretrained${
      merged ? ', the adapters merged into its weights (w + B·A·α/r). The model here keeps its adapters.' : '.'
    }`,
  guestExporting: (bytes: number) => `Writing ${mb(bytes, 'en')}…`,
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
  loraTitle: (name) => `Ajuste fino do ${name} com LoRA`,
  loraHint: (name) =>
    `O ${name} é grande demais para treinar inteiro numa aba. O LoRA congela seus pesos e treina uma pequena atualização de posto baixo ao lado de cada projeção da atenção (posto r: duas matrizes finas, com r colunas), com os mesmos dados e métodos de acima. As palavras ranqueadas ao lado das do seu modelo mostram o que ele aprendeu.`,
  loraRank: 'Posto r',
  loraTune: (name) => `Ajustar o ${name} (LoRA)`,
  loraStop: 'Parar',
  loraProgress: (step, steps, loss) =>
    `Passo ${fmtNum(step, 'pt-BR')} de ${fmtNum(steps, 'pt-BR')}${loss === undefined ? '' : ` · perda ${fmtFixed(loss, 3, 'pt-BR')}`}`,
  loraTrainable: (n, of) => `${fmtNum(n, 'pt-BR')} números treinam, de ${mParams(of, 'pt-BR')} (${fmtFixed((100 * n) / of, 2, 'pt-BR')} %).`,
  loraHas: (r, alpha, targets) => `Ele tem adaptadores LoRA: r ${r}, α ${fmtNum(alpha, 'pt-BR')}, em ${targets}.`,
  loraCost: (kl) => `custo: suas próximas palavras num texto em que não foi ajustado mudaram KL ${fmtFixed(kl, 3, 'pt-BR')} nats`,
  loraSave: 'Salvar os adaptadores (PEFT)',
  loraSaveHint: 'Dois arquivos que o peft do Python carrega: ponha adapter_config.json e adapter_model.safetensors numa pasta.',
  loraMerge: 'Incorporar aos pesos',
  guestExport: (merged) => (merged ? 'Baixar o modelo com os adaptadores incorporados' : 'Baixar o modelo (Hugging Face)'),
  guestExportHint: (merged, bytes) =>
    `Um .zip: config.json, model.safetensors (${mb(bytes, 'pt-BR')}) e os arquivos do tokenizador, uma pasta que o transformers carrega com GPT2LMHeadModel.from_pretrained${
      merged ? ', com os adaptadores incorporados aos pesos (w + B·A·α/r). O modelo aqui continua com seus adaptadores.' : '.'
    }`,
  guestExporting: (bytes) => `Escrevendo ${mb(bytes, 'pt-BR')}…`,
} satisfies typeof en;
