/**
 * The generate panel's words (ui/GeneratePanel.tsx), in English and Portuguese: the
 * sampling settings and the text the model writes.
 */
import { fmtNum, fmtPct } from '../format';

const nPt = (x: number) => fmtNum(x, 'pt-BR');

export const en = {
  genTitle: 'Generate',
  genHint: 'Writing is just predicting the next token again and again, each time adding the chosen one to the prompt.',
  temperature: 'Temperature',
  topK: 'Top-k (0 = off)',
  topKExplain: (k: number) =>
    k === 0 ? 'Top-k off: any token may be drawn.' : `Top-k ${fmtNum(k, 'en')}: only the ${fmtNum(k, 'en')} most likely tokens may be drawn.`,
  topP: 'Top-p',
  topPExplain: (p: number) =>
    p >= 1
      ? 'Top-p 1: no cut, every token keeps its chance.'
      : `Top-p ${fmtNum(p, 'en')}: only the most likely tokens that together hold ${fmtPct(p, 'en')} of the probability may be drawn.`,
  length: 'Length (tokens)',
  greedy: 'Greedy',
  genGreedyExplain: 'Greedy: always the single most likely token — the same text every time.',
  genSampledExplain: (t: number) =>
    `Sampled: each token is drawn at random by its probability (temperature ${fmtNum(t, 'en')}); underlined tokens were not the model’s first choice.`,
  generate: 'Generate',
  generating: 'Writing…',
  genFrom: 'from the prompt above',
  genEmpty: 'Press Generate to let the model write.',
  tokenTip: (p: string) => `chosen with probability ${p}; the model’s top choices were:`,
  tokenHover: 'Point at a token (or Tab to it) to see its probability and the alternatives.',
  speedGenRate: (rate: string) => `written at ${rate} tokens/s`,
  genKmerToken: (kmer: string) => `(the token ${kmer}: its first bases were written already, only the last is new)`,
  genKmerNote: (k: number) =>
    `Each token is a ${k}-mer that overlaps the one before it by ${k - 1} bases, so each adds one new base: only the ${k}-mers that continue the bases so far are drawn.`,
};

export const pt = {
  genTitle: 'Gerar',
  genHint: 'Escrever é só prever o próximo token de novo e de novo, acrescentando cada escolhido ao texto.',
  temperature: 'Temperatura',
  topK: 'Top-k (0 = desligado)',
  topKExplain: (k) =>
    k === 0
      ? 'Top-k desligado: qualquer token pode ser sorteado.'
      : `Top-k ${fmtNum(k, 'pt-BR')}: só os ${fmtNum(k, 'pt-BR')} tokens mais prováveis podem ser sorteados.`,
  topP: 'Top-p',
  topPExplain: (p) =>
    p >= 1
      ? 'Top-p 1: sem corte, todo token mantém sua chance.'
      : `Top-p ${fmtNum(p, 'pt-BR')}: só os tokens mais prováveis que juntos somam ${fmtPct(p, 'pt-BR')} da probabilidade podem ser sorteados.`,
  length: 'Tamanho (tokens)',
  greedy: 'Guloso',
  genGreedyExplain: 'Guloso: sempre o token mais provável — o mesmo texto toda vez.',
  genSampledExplain: (t) =>
    `Amostrado: cada token é sorteado pela sua probabilidade (temperatura ${nPt(t)}); os sublinhados não eram a primeira escolha do modelo.`,
  generate: 'Gerar',
  generating: 'Escrevendo…',
  genFrom: 'a partir do texto acima',
  genEmpty: 'Clique em Gerar para o modelo escrever.',
  tokenTip: (p) => `escolhido com probabilidade ${p}; as principais opções do modelo eram:`,
  tokenHover: 'Aponte para um token (ou use Tab) para ver sua probabilidade e as alternativas.',
  speedGenRate: (rate) => `escrito a ${rate} tokens/s`,
  genKmerToken: (kmer) => `(o token ${kmer}: suas primeiras bases já estavam escritas, só a última é nova)`,
  genKmerNote: (k) =>
    `Cada token é um ${k}-mer que se sobrepõe ao anterior em ${k - 1} bases, então cada um acrescenta uma base nova: só são sorteados os ${k}-mers que continuam as bases até aqui.`,
} satisfies typeof en;
