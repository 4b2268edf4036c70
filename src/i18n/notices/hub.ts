/**
 * The notices about pretrained models from the Hugging Face Hub (GPT-2 and its family) and
 * their LoRA adapters, in English and Portuguese: a file that cannot be read (and why), a
 * download that failed or was cancelled, a model that is no longer loaded, an export that
 * did not fit in memory.
 */
import { mbEn, mbPt, nEn, nPt } from './common';

/** Why a file from outside cannot be read: each a short clause, said in both languages. */
export type FileProblem =
  | 'json'
  | 'notObject'
  | 'notByteLevel'
  | 'vocab'
  | 'merge'
  | 'special'
  | 'tooMany'
  | 'notGpt2'
  | 'configField'
  | 'headerLength'
  | 'header'
  | 'offsets'
  | 'dtype'
  | 'shape'
  | 'missing'
  | 'adapter'
  | 'truncated';

const PROBLEM_EN: Record<FileProblem, string> = {
  json: 'it is not valid JSON',
  notObject: 'it is not a JSON object',
  notByteLevel: 'it is not GPT-2’s byte-level BPE (a BPE model after a ByteLevel pre-tokenizer)',
  vocab: 'its vocabulary is not the ids 0…size−1, each once, each a non-empty string',
  merge: 'a merge joins tokens the vocabulary lacks, or makes one it lacks',
  special: 'a special token is outside the vocabulary',
  tooMany: 'it holds more entries than Folio reads',
  notGpt2: 'it does not describe a GPT-2 model (model_type "gpt2", gelu_new, the head tied to the embedding)',
  configField: 'a size in it is not a whole number in range',
  headerLength: 'its header length does not fit the file',
  header: 'its header is not a safetensors header',
  offsets: 'its tensors’ offsets do not tile the data exactly',
  dtype: 'a tensor is in a number format Folio does not read (it reads F32, F16 and BF16)',
  shape: 'a tensor’s shape is not what config.json makes it',
  missing: 'a weight the model needs is not in it',
  adapter: 'it is not a LoRA adapter Folio can apply (PEFT’s LORA, on GPT-2’s projections)',
  truncated: 'it is shorter than its header says',
};
const PROBLEM_PT: Record<FileProblem, string> = {
  json: 'não é um JSON válido',
  notObject: 'não é um objeto JSON',
  notByteLevel: 'não é o BPE em bytes do GPT-2 (um modelo BPE depois de um pré-tokenizador ByteLevel)',
  vocab: 'seu vocabulário não são os ids 0…tamanho−1, cada um uma vez, cada um um texto não vazio',
  merge: 'uma fusão junta tokens que o vocabulário não tem, ou forma um que ele não tem',
  special: 'um token especial está fora do vocabulário',
  tooMany: 'tem mais entradas do que o Folio lê',
  notGpt2: 'não descreve um modelo GPT-2 (model_type "gpt2", gelu_new, a saída ligada ao embedding)',
  configField: 'um tamanho nele não é um número inteiro no intervalo',
  headerLength: 'o tamanho do cabeçalho não cabe no arquivo',
  header: 'o cabeçalho não é um cabeçalho safetensors',
  offsets: 'os deslocamentos dos tensores não cobrem os dados exatamente',
  dtype: 'um tensor está num formato de número que o Folio não lê (ele lê F32, F16 e BF16)',
  shape: 'a forma de um tensor não é a que o config.json lhe dá',
  missing: 'falta nele um peso de que o modelo precisa',
  adapter: 'não é um adaptador LoRA que o Folio saiba aplicar (LORA do PEFT, nas projeções do GPT-2)',
  truncated: 'é mais curto do que o cabeçalho diz',
};

export const en = {
  fileBad: (p: { file: string; problem: FileProblem; at?: string }) => `${p.file} cannot be read: ${PROBLEM_EN[p.problem]}${p.at ? ` (${p.at})` : ''}.`,
  hubRepoInvalid: (p: { repo: string }) => `"${p.repo}" is not a Hub model id: write it as owner/name, e.g. openai-community/gpt2.`,
  hubNotFound: (p: { repo: string; file: string }) => `${p.repo} has no ${p.file} on the Hub (or the model is private or gated).`,
  hubNoWeights: (p: { repo: string }) => `${p.repo} has no model.safetensors: Folio reads safetensors weights only.`,
  hubHttp: (p: { file: string; status: number }) => `The Hub answered ${p.status} for ${p.file}.`,
  hubOffline: (p: { repo: string }) => `The Hub cannot be reached, and ${p.repo} is not kept in this browser for offline use.`,
  hubCancelled: () => 'The download was cancelled; nothing changed.',
  hubTooLarge: (p: { bytes: number; limit: number }) =>
    `This model is ${mbEn(p.bytes)}; a browser tab can hold at most ${mbEn(p.limit)} of weights. Choose a smaller one (distilgpt2, gpt2).`,
  hubShort: (p: { file: string; got: number; expected: number }) => `${p.file} came incomplete (${nEn(p.got)} of ${nEn(p.expected)} bytes): try again.`,
  guestGone: () => 'That pretrained model is no longer loaded: load it again.',
  noGuest: () => 'No pretrained model is loaded: load one from the Hub first.',
  loraRank: (p: { got: string }) => `The LoRA rank must be a whole number from 1 to 256 (got ${p.got}).`,
  loraTargets: (p: { got: string }) => `"${p.got}" is not a projection LoRA can adapt: choose among c_attn, attn.c_proj, c_fc, mlp.c_proj.`,
  noAdapters: () => 'This model has no LoRA adapters yet: fine-tune it with LoRA first.',
  noGuestStage: () => 'No LoRA stage is running on the pretrained model: start one first.',
  guestExportMemory: (p: { bytes: number }) =>
    `There was not enough memory to write the model’s weights (${mbEn(p.bytes)}): nothing changed, the model and its adapters are as they were. Close other tabs and try again, or save the adapters (PEFT) instead: they are small.`,
};

export const pt = {
  fileBad: (p) => `Não dá para ler ${p.file}: ${PROBLEM_PT[p.problem]}${p.at ? ` (${p.at})` : ''}.`,
  hubRepoInvalid: (p) => `"${p.repo}" não é um id de modelo do Hub: escreva como dono/nome, por exemplo openai-community/gpt2.`,
  hubNotFound: (p) => `${p.repo} não tem ${p.file} no Hub (ou o modelo é privado ou restrito).`,
  hubNoWeights: (p) => `${p.repo} não tem model.safetensors: o Folio só lê pesos em safetensors.`,
  hubHttp: (p) => `O Hub respondeu ${p.status} para ${p.file}.`,
  hubOffline: (p) => `Não dá para alcançar o Hub, e ${p.repo} não está guardado neste navegador para uso offline.`,
  hubCancelled: () => 'O download foi cancelado; nada mudou.',
  hubTooLarge: (p) =>
    `Este modelo tem ${mbPt(p.bytes)}; uma aba do navegador comporta no máximo ${mbPt(p.limit)} de pesos. Escolha um menor (distilgpt2, gpt2).`,
  hubShort: (p) => `${p.file} chegou incompleto (${nPt(p.got)} de ${nPt(p.expected)} bytes): tente de novo.`,
  guestGone: () => 'Esse modelo pré-treinado não está mais carregado: carregue-o de novo.',
  noGuest: () => 'Nenhum modelo pré-treinado está carregado: carregue um do Hub primeiro.',
  loraRank: (p) => `O posto (rank) do LoRA deve ser um número inteiro de 1 a 256 (recebido: ${p.got}).`,
  loraTargets: (p) => `"${p.got}" não é uma projeção que o LoRA adapte: escolha entre c_attn, attn.c_proj, c_fc, mlp.c_proj.`,
  noAdapters: () => 'Este modelo ainda não tem adaptadores LoRA: faça o ajuste fino com LoRA primeiro.',
  noGuestStage: () => 'Nenhuma etapa de LoRA está em andamento no modelo pré-treinado: comece uma primeiro.',
  guestExportMemory: (p) =>
    `Não houve memória para escrever os pesos do modelo (${mbPt(p.bytes)}): nada mudou, o modelo e seus adaptadores estão como estavam. Feche outras abas e tente de novo, ou salve os adaptadores (PEFT): eles são pequenos.`,
} satisfies typeof en;
