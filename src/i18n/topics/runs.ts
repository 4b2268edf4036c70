/**
 * The runs panel's words (ui/RunsPanel.tsx, ui/RunsOverlay.tsx, ui/CoachView.tsx,
 * state/runDiff.ts), in English and Portuguese: the kept runs, what changed between them,
 * forks and shared links, and the loss coach.
 */
import { fmtNum } from '../format';

const nEn = (x: number) => fmtNum(x, 'en');
const nPt = (x: number) => fmtNum(x, 'pt-BR');

export const en = {
  runsTitle: 'Runs',
  runsHint: 'Each training run is kept here (the last 12, in this browser). Tick runs to draw them on the chart; each says what changed from the run before.',
  runsEmpty: 'No runs yet: train to add one.',
  runsSummary: (steps: number, val: string, backend: string) => `${nEn(steps)} steps · val ${val} · ${backend}`,
  runsThisCorpus: 'On this corpus',
  runsOtherCorpora: 'On other corpora',
  runsCompareCorpus: (n: number) => `Compare the ${n === 1 ? 'run' : `${nEn(n)} runs`} on this corpus`,
  runsClearChart: 'Draw only the model now',
  runsOverlay: 'Draw on the chart',
  runsRename: 'Rename',
  runsRenameDone: 'Done',
  runsPin: 'Pin (kept when older runs are dropped)',
  runsUnpin: 'Unpin',
  runsDelete: 'Delete',
  runsLive: 'the model now',
  runsSweep: (sizes: number) => `size sweep · ${sizes} ${sizes === 1 ? 'size' : 'sizes'}`,
  runsDeleted: (label: string) => `${label} deleted.`,
  runsUndo: 'Undo',
  chanceLine: (v: string) => `random guessing: ln(vocabulary) = ${v}`,
  // what changed from the run before (state/runDiff.ts)
  runsFirst: 'first run',
  runsSame: 'same settings',
  runsMore: (n: number) => `+${n} more`,
  runsDiffSetting: (key: 'lr' | 'minLr' | 'weightDecay' | 'dropout' | 'tokenizer' | 'corpus' | 'backend', a: string, b: string) =>
    `${{ lr: 'lr', minLr: 'min lr', weightDecay: 'weight decay', dropout: 'dropout', tokenizer: 'tokenizer', corpus: 'corpus', backend: 'backend' }[key]} ${a} → ${b}`,
  runsDiffCount: (key: 'layers' | 'heads' | 'embd' | 'block' | 'batch' | 'steps' | 'vocab' | 'seed' | 'warmup', a: string, b: string) =>
    key === 'seed'
      ? `seed ${a} → ${b}`
      : `${a} → ${b} ${{ layers: 'layers', heads: 'heads', embd: 'embedding width', block: 'context', batch: 'batch', steps: 'steps', vocab: 'vocabulary', warmup: 'warm-up steps' }[key]}`,
  // forks and shared links
  runsFork: 'Fork',
  runsForkTitle: 'Start a new run from this run’s last checkpoint with one setting changed',
  runsForkSetting: 'Change',
  runsForkLr: 'learning rate',
  runsForkSteps: 'steps to train',
  runsForkGo: 'Start the fork',
  runsForkFrom: (step: number) => `forked at step ${nEn(step)}`,
  runsNoCheckpoint: 'Only the last few runs keep a checkpoint; this one has none to fork from.',
  runsShare: 'Share these runs as a link',
  runsShareHint: 'The link holds the runs’ settings and seeds, not their weights: whoever opens it re-runs them.',
  runsSharedTitle: 'Runs from a shared link',
  runsSharedUnreadable: 'This link carries shared runs, but they could not be read: the link may have been cut short. Ask for it again, or copy it whole.',
  runsSharedRun: 'Run it',
  runsSharedPasted: (name: string) => `its corpus was “${name}”: this runs on the corpus loaded now`,
  runsDismiss: 'Dismiss',
  // the loss coach (ui/CoachView.tsx)
  coachTitle: 'Coach',
  coachReading: (r: 'start' | 'learning' | 'slow' | 'flat' | 'memorising' | 'diverging') =>
    ({
      start: 'Just started: the loss begins near random guessing, ln(vocabulary) — the dashed line.',
      learning: 'Still learning: the loss is falling.',
      slow: 'Still learning, slowly: the train loss has levelled off, but the val loss keeps improving.',
      flat: 'Flat: the val loss has stopped improving too. More steps will change little.',
      memorising: 'Memorising: val loss has been rising while train loss still falls — the model is learning the training text by heart.',
      diverging: 'Diverging: the loss jumped up.',
    })[r],
  coachSuggest: (s: 'lowerLr' | 'addData' | 'smallerModel') =>
    ({ lowerLr: 'Try a lower learning rate.', addData: 'Give it more text.', smallerModel: 'Or use a smaller model.' })[s],
  coachValFell: (fall: string, from: number, to: number) => `The val loss fell ${fall} from step ${nEn(from)} to ${nEn(to)}.`,
  coachValRose: (rise: string, from: number, to: number) => `The val loss rose ${rise} from step ${nEn(from)} to ${nEn(to)}.`,
  coachProjection: (steps: number, loss: string, spread: string, of: 'val' | 'train', shape: 'power' | 'exponential') =>
    `With twice the steps (${nEn(steps)}), the ${of} loss would land near ${loss}${spread ? ` (± ${spread})` : ''}: ${shape === 'power' ? 'a power law' : 'an exponential'} fitted to the curve so far says so,`,
  coachSure: (s: 'fair' | 'rough' | 'guess') => ({ fair: 'fairly surely.', rough: 'roughly.', guess: 'but it is only a guess.' })[s],
  coachBacktest: (half: number, step: number, predicted: string, actual: string) =>
    `Fitted to the steps up to ${nEn(half)} alone, it put step ${nEn(step)} at ${predicted}; the curve is at ${actual}.`,
  coachTooShort: 'The curve is too short yet to check the fit on its own first half.',
  coachNoProjection: 'The curve is too short yet to say where twice the steps would land.',
};

export const pt = {
  runsTitle: 'Execuções',
  runsHint:
    'Cada treino fica guardado aqui (os últimos 12, neste navegador). Marque execuções para desenhá-las no gráfico; cada uma diz o que mudou em relação à anterior.',
  runsEmpty: 'Nenhuma execução ainda: treine para criar uma.',
  runsSummary: (steps, val, backend) => `${nPt(steps)} passos · val ${val} · ${backend}`,
  runsThisCorpus: 'Neste corpus',
  runsOtherCorpora: 'Em outros corpora',
  runsCompareCorpus: (n) => `Comparar ${n === 1 ? 'a execução' : `as ${nPt(n)} execuções`} neste corpus`,
  runsClearChart: 'Desenhar só o modelo atual',
  runsOverlay: 'Desenhar no gráfico',
  runsRename: 'Renomear',
  runsRenameDone: 'Pronto',
  runsPin: 'Fixar (mantida quando as antigas saem)',
  runsUnpin: 'Soltar',
  runsDelete: 'Apagar',
  runsLive: 'o modelo atual',
  runsSweep: (sizes: number) => `varredura de tamanhos · ${sizes} ${sizes === 1 ? 'tamanho' : 'tamanhos'}`,
  runsDeleted: (label: string) => `${label} apagado.`,
  runsUndo: 'Desfazer',
  chanceLine: (v) => `chute aleatório: ln(vocabulário) = ${v}`,
  // what changed from the run before (state/runDiff.ts)
  runsFirst: 'primeira execução',
  runsSame: 'mesmas configurações',
  runsMore: (n) => `+${n} outras`,
  runsDiffSetting: (key, a, b) =>
    `${{ lr: 'taxa', minLr: 'taxa mínima', weightDecay: 'decaimento de peso', dropout: 'dropout', tokenizer: 'tokenizador', corpus: 'corpus', backend: 'backend' }[key]} ${a} → ${b}`,
  runsDiffCount: (key, a, b) =>
    key === 'seed'
      ? `semente ${a} → ${b}`
      : `${a} → ${b} ${{ layers: 'camadas', heads: 'cabeças', embd: 'de largura do embedding', block: 'de contexto', batch: 'de lote', steps: 'passos', vocab: 'de vocabulário', warmup: 'passos de aquecimento' }[key]}`,
  // forks and shared links
  runsFork: 'Ramificar',
  runsForkTitle: 'Começar uma nova execução a partir do último checkpoint desta, com uma configuração mudada',
  runsForkSetting: 'Mudar',
  runsForkLr: 'taxa de aprendizado',
  runsForkSteps: 'passos de treino',
  runsForkGo: 'Começar a ramificação',
  runsForkFrom: (step) => `ramificada no passo ${nPt(step)}`,
  runsNoCheckpoint: 'Só as últimas execuções guardam um checkpoint; esta não tem de onde ramificar.',
  runsShare: 'Compartilhar estas execuções como link',
  runsShareHint: 'O link leva as configurações e sementes das execuções, não os pesos: quem abrir treina de novo.',
  runsSharedTitle: 'Execuções de um link compartilhado',
  runsSharedUnreadable:
    'Este link traz execuções compartilhadas, mas elas não puderam ser lidas: o link pode ter sido cortado. Peça-o de novo ou copie-o inteiro.',
  runsSharedRun: 'Treinar',
  runsSharedPasted: (name) => `o corpus dela era “${name}”: esta usa o corpus carregado agora`,
  runsDismiss: 'Dispensar',
  // the loss coach (ui/CoachView.tsx)
  coachTitle: 'Treinador',
  coachReading: (r) =>
    ({
      start: 'Começou agora: a perda parte perto do chute aleatório, ln(vocabulário) — a linha tracejada.',
      learning: 'Ainda aprendendo: a perda está caindo.',
      slow: 'Ainda aprendendo, devagar: a perda de treino se estabilizou, mas a de validação continua melhorando.',
      flat: 'Estável: a perda de validação também parou de melhorar. Mais passos mudam pouco.',
      memorising: 'Decorando: a perda de validação vem subindo enquanto a de treino ainda cai — o modelo está decorando o texto de treino.',
      diverging: 'Divergindo: a perda deu um salto para cima.',
    })[r],
  coachSuggest: (s) => ({ lowerLr: 'Tente uma taxa de aprendizado menor.', addData: 'Dê mais texto a ele.', smallerModel: 'Ou use um modelo menor.' })[s],
  coachValFell: (fall, from, to) => `A perda de validação caiu ${fall} do passo ${nPt(from)} ao ${nPt(to)}.`,
  coachValRose: (rise, from, to) => `A perda de validação subiu ${rise} do passo ${nPt(from)} ao ${nPt(to)}.`,
  coachProjection: (steps, loss, spread, of, shape) =>
    `Com o dobro de passos (${nPt(steps)}), a perda de ${of === 'val' ? 'validação' : 'treino'} chegaria perto de ${loss}${spread ? ` (± ${spread})` : ''}: é o que diz ${shape === 'power' ? 'uma lei de potência' : 'uma exponencial'} ajustada à curva até aqui,`,
  coachSure: (s) => ({ fair: 'com boa segurança.', rough: 'por alto.', guess: 'mas é só um palpite.' })[s],
  coachBacktest: (half, step, predicted, actual) =>
    `Ajustada só aos passos até ${nPt(half)}, ela previu ${predicted} no passo ${nPt(step)}; a curva está em ${actual}.`,
  coachTooShort: 'A curva ainda é curta demais para testar o ajuste na sua primeira metade.',
  coachNoProjection: 'A curva ainda é curta demais para dizer onde o dobro de passos chegaria.',
} satisfies typeof en;
