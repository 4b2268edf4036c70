/**
 * The words of “Inside the model” (ui/InsidePanel.tsx, ui/EmbeddingMap.tsx, ui/LogitLens.tsx,
 * ui/BackpropStep.tsx), in English and Portuguese: embeddings, the logit lens, and one
 * step of backpropagation.
 */
import { fmtNum, fmtPct, fmtSize } from '../format';

const nEn = (x: number) => fmtNum(x, 'en');
const nPt = (x: number) => fmtNum(x, 'pt-BR');

export const en = {
  insideTitle: 'Inside the model',
  insideHint: 'Three looks under the hood, redrawn as the model trains.',
  insideTabEmbeddings: 'Embeddings',
  insideTabLens: 'Logit lens',
  insideTabBackprop: 'One step of backpropagation',
  insidePct: (p: number) => fmtPct(p, 'en'),
  insideBusy: 'computing…',
  // embeddings (ui/EmbeddingMap.tsx)
  insideEmbHint: (dims: number) =>
    `Each token is a vector of ${nEn(dims)} numbers, its embedding. Here each vector is flattened to two: its position along the two directions in which the vectors differ most (PCA). Tokens the model uses alike drift together as it trains — vowels, digits, or, read in words, the fox text's dog, cat, cow and pig.`,
  insideEmbCaption: (shown: number, vocab: number, step: number, spread: string) =>
    `${fmtNum(shown, 'en')} of ${fmtNum(vocab, 'en')} tokens${shown < vocab ? ' (the most frequent)' : ''} at step ${fmtNum(step, 'en')}; the two axes hold ${spread} of the vectors’ spread.`,
  insideEmbNone: 'The map appears once the model is ready.',
  insideEmbLegend: 'vowels · consonants · digits · spaces and punctuation · words and longer tokens',
  dnaEmbHint: (dims: number) =>
    `Each k-mer (a run of bases the model reads as one token) is a vector of ${fmtNum(dims, 'en')} numbers, its embedding. Here each vector is flattened to two: its position along the two directions in which the vectors differ most (PCA). K-mers the model uses alike drift together as it trains — for example the pieces of the TATA box (TAT, ATA), or the stop codons TAA, TAG and TGA.`,
  dnaEmbLegend: 'starts with A · starts with C · starts with G · starts with T',
  // the logit lens (ui/LogitLens.tsx)
  insideLensHint:
    'After each layer, the residual stream is read through the final LayerNorm and the output head — what the model would guess if it stopped there. Layer 0 is the embeddings alone: it mostly guesses the token it just read. Watch where the final answer appears.',
  insideLensFor: (step: number) => `For the prompt above, model at step ${fmtNum(step, 'en')}.`,
  insideLensLayer: (l: number) => (l === 0 ? 'embeddings' : `after block ${l}`),
  insideLensPFinal: (tok: string) => `p(${tok})`,
  insideLensSpaceTip:
    'This model reads characters, so after a word the next token is usually a space. End the prompt with a space to see the first letter of the next word.',
  // one step of backpropagation (ui/BackpropStep.tsx)
  insideBpHint:
    'Training in miniature, on one example: the model guesses the word after the prompt; the loss is −log p; backpropagation gives every parameter its gradient (how the loss changes as it moves); AdamW nudges them; the guess is measured again. It runs on a copy of the model and of AdamW’s state: your model is not changed.',
  insideBpWord: 'True next word',
  insideBpLr: 'Learning rate',
  insideBpLrRun: (rate: string) => `the run’s, now ${rate}`,
  insideBpStep: 'Step',
  insideBpAgain: 'Start over from the model',
  insideBpBefore: 'p(word) before the step',
  insideBpAfter: 'p(word) after the step',
  insideBpLoss: (loss: string) => `loss = −log p = ${loss}`,
  insideBpWordTokens: (tokens: string) => `the word as the model spells it: ${tokens}; p(word) is the product of their probabilities`,
  insideBpGrads: 'Gradient size, per group of parameters',
  insideBpUpdates: 'Change AdamW made',
  insideBpClip: (norm: string, scale: string) => `All gradients together: ${norm}. Above 1 they are scaled down before AdamW (here × ${scale}).`,
  insideBpNoClip: (norm: string) => `All gradients together: ${norm} (not clipped).`,
  insideBpCopy: (steps: number, from: number, lr: string) =>
    `${fmtNum(steps, 'en')} inspected step${steps === 1 ? '' : 's'} on a copy taken at training step ${fmtNum(from, 'en')}, learning rate ${lr}.`,
  insideBpNone: 'Press Step to take one.',
  insideBpHistory: 'p(word) before the first inspected step and after each one',
  insideGroup: (g: string) => {
    const m = /^h\.(\d+)\.(attn|mlp|ln)$/.exec(g);
    if (m) return `block ${Number(m[1]) + 1} ${m[2] === 'attn' ? 'attention' : m[2] === 'mlp' ? 'MLP' : 'LayerNorms'}`;
    return ({ wte: 'embeddings (wte)', wpe: 'positions (wpe)', lnF: 'final LayerNorm' } as Record<string, string>)[g] ?? g;
  },
  insideSize: (x: number) => fmtSize(x, 'en'),
};

export const pt = {
  insideTitle: 'Dentro do modelo',
  insideHint: 'Três olhares por dentro, redesenhados enquanto o modelo treina.',
  insideTabEmbeddings: 'Embeddings',
  insideTabLens: 'Lente de logits',
  insideTabBackprop: 'Um passo de retropropagação',
  insidePct: (p) => fmtPct(p, 'pt-BR'),
  insideBusy: 'calculando…',
  // embeddings (ui/EmbeddingMap.tsx)
  insideEmbHint: (dims) =>
    `Cada token é um vetor de ${nPt(dims)} números, o seu embedding. Aqui cada vetor é achatado em dois: sua posição nas duas direções em que os vetores mais diferem (PCA). Tokens que o modelo usa de modo parecido se aproximam durante o treino — vogais, dígitos ou, lido em palavras, o dog, cat, cow e pig do texto da raposa.`,
  insideEmbCaption: (shown, vocab, step, spread) =>
    `${fmtNum(shown, 'pt-BR')} de ${fmtNum(vocab, 'pt-BR')} tokens${shown < vocab ? ' (os mais frequentes)' : ''} no passo ${fmtNum(step, 'pt-BR')}; os dois eixos guardam ${spread} da dispersão dos vetores.`,
  insideEmbNone: 'O mapa aparece quando o modelo estiver pronto.',
  insideEmbLegend: 'vogais · consoantes · dígitos · espaços e pontuação · palavras e pedaços maiores',
  dnaEmbHint: (dims) =>
    `Cada k-mer (uma sequência de bases que o modelo lê como um token) é um vetor de ${fmtNum(dims, 'pt-BR')} números, o seu embedding. Aqui cada vetor é achatado em dois: sua posição nas duas direções em que os vetores mais diferem (PCA). K-mers que o modelo usa de modo parecido se aproximam durante o treino — por exemplo os pedaços da TATA box (TAT, ATA), ou os códons de parada TAA, TAG e TGA.`,
  dnaEmbLegend: 'começa com A · começa com C · começa com G · começa com T',
  // the logit lens (ui/LogitLens.tsx)
  insideLensHint:
    'Depois de cada camada, o fluxo residual é lido pela LayerNorm final e pela cabeça de saída — o que o modelo chutaria se parasse ali. A camada 0 são só os embeddings: quase sempre chuta o token que acabou de ler. Veja onde a resposta final aparece.',
  insideLensFor: (step) => `Para o prompt acima, modelo no passo ${fmtNum(step, 'pt-BR')}.`,
  insideLensLayer: (l) => (l === 0 ? 'embeddings' : `depois do bloco ${l}`),
  insideLensPFinal: (tok) => `p(${tok})`,
  insideLensSpaceTip:
    'Este modelo lê caracteres, então depois de uma palavra o próximo token costuma ser um espaço. Termine o prompt com um espaço para ver a primeira letra da próxima palavra.',
  // one step of backpropagation (ui/BackpropStep.tsx)
  insideBpHint:
    'O treino em miniatura, num só exemplo: o modelo chuta a palavra depois do prompt; a perda é −log p; a retropropagação dá a cada parâmetro o seu gradiente (quanto a perda muda quando ele se move); o AdamW os ajusta; o chute é medido de novo. Roda numa cópia do modelo e do estado do AdamW: o seu modelo não muda.',
  insideBpWord: 'Palavra que de fato vem',
  insideBpLr: 'Taxa de aprendizado',
  insideBpLrRun: (rate) => `a do treino, agora ${rate}`,
  insideBpStep: 'Passo',
  insideBpAgain: 'Recomeçar a partir do modelo',
  insideBpBefore: 'p(palavra) antes do passo',
  insideBpAfter: 'p(palavra) depois do passo',
  insideBpLoss: (loss) => `perda = −log p = ${loss}`,
  insideBpWordTokens: (tokens) => `a palavra como o modelo a escreve: ${tokens}; p(palavra) é o produto das probabilidades deles`,
  insideBpGrads: 'Tamanho do gradiente, por grupo de parâmetros',
  insideBpUpdates: 'Mudança feita pelo AdamW',
  insideBpClip: (norm, scale) => `Todos os gradientes juntos: ${norm}. Acima de 1 eles são reduzidos antes do AdamW (aqui × ${scale}).`,
  insideBpNoClip: (norm) => `Todos os gradientes juntos: ${norm} (sem corte).`,
  insideBpCopy: (steps, from, lr) =>
    `${fmtNum(steps, 'pt-BR')} ${steps === 1 ? 'passo inspecionado' : 'passos inspecionados'} numa cópia feita no passo de treino ${fmtNum(from, 'pt-BR')}, taxa de aprendizado ${lr}.`,
  insideBpNone: 'Aperte Passo para dar um.',
  insideBpHistory: 'p(palavra) antes do primeiro passo inspecionado e depois de cada um',
  insideGroup: (g) => {
    const m = /^h\.(\d+)\.(attn|mlp|ln)$/.exec(g);
    if (m) return `bloco ${Number(m[1]) + 1}, ${m[2] === 'attn' ? 'atenção' : m[2] === 'mlp' ? 'MLP' : 'LayerNorms'}`;
    return ({ wte: 'embeddings (wte)', wpe: 'posições (wpe)', lnF: 'LayerNorm final' } as Record<string, string>)[g] ?? g;
  },
  insideSize: (x) => fmtSize(x, 'pt-BR'),
} satisfies typeof en;
