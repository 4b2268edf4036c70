/**
 * The model panel's words (ui/ModelPanel.tsx, ui/SuggestedSize.tsx, ui/ParamScale.tsx),
 * in English and Portuguese: the model's size and where it sits on the scale of parameters.
 */
export const en = {
  modelTitle: 'Model',
  modelHint:
    'A model is a big function with adjustable numbers — parameters. Large language models have billions; Folio’s have thousands to millions, so they train in a browser.',
  preset: 'Size',
  custom: 'custom',
  layers: 'Layers',
  heads: 'Heads',
  width: 'Embedding size',
  context: 'Context length',
  dropout: 'Dropout',
  parameters: 'parameters',
  buildModel: 'Build this model',
  bigModel: (m: string) => `Large for this backend: ${m} parameters may take many seconds per step.`,
  modelLine: (l: number, h: number, c: number, t: number) => `${l} layer${l === 1 ? '' : 's'} × ${h} head${h === 1 ? '' : 's'} × ${c} wide, context ${t}`,
  // the suggested size (ui/SuggestedSize.tsx)
  suggested: (preset: string, backend: string) => `Suggested size for ${backend}: the “${preset}” preset`,
  suggestedWhy: (ms: string, seconds: string) => `a step of it took ${ms} ms here, so a first sample after about ${seconds} s`,
  suggestedGuess: '(measuring this backend’s speed…)',
  suggestedSoftware: 'this GPU is emulated on the CPU, so the smallest size',
  suggestedUse: 'use it',
  // the scale of parameters (ui/ParamScale.tsx)
  scaleTitle: 'Parameters, on a log scale',
  scaleLinear: 'straight line (slope + intercept): 2',
  scaleFolio: 'this model',
  scaleGpt2: 'GPT-2 small: 124 M',
  scaleGpt3: 'GPT-3: 175 B',
};

export const pt = {
  modelTitle: 'Modelo',
  modelHint:
    'Um modelo é uma grande função com números ajustáveis — os parâmetros. Grandes modelos de linguagem têm bilhões; os do Folio têm de milhares a milhões, para treinar num navegador.',
  preset: 'Tamanho',
  custom: 'personalizado',
  layers: 'Camadas',
  heads: 'Cabeças',
  width: 'Tamanho do embedding',
  context: 'Tamanho do contexto',
  dropout: 'Dropout',
  parameters: 'parâmetros',
  buildModel: 'Criar este modelo',
  bigModel: (m) => `Grande para este backend: ${m} parâmetros podem levar muitos segundos por passo.`,
  modelLine: (l, h, c, t) => `${l} camada${l === 1 ? '' : 's'} × ${h} cabeça${h === 1 ? '' : 's'} × largura ${c}, contexto ${t}`,
  // the suggested size (ui/SuggestedSize.tsx)
  suggested: (preset, backend) => `Tamanho sugerido para ${backend}: a predefinição “${preset}”`,
  suggestedWhy: (ms, seconds) => `um passo dela levou ${ms} ms aqui, então a primeira amostra sai em cerca de ${seconds} s`,
  suggestedGuess: '(medindo a velocidade deste backend…)',
  suggestedSoftware: 'esta GPU é emulada na CPU, então o menor tamanho',
  suggestedUse: 'usar',
  // the scale of parameters (ui/ParamScale.tsx)
  scaleTitle: 'Parâmetros, em escala logarítmica',
  scaleLinear: 'reta (inclinação + intercepto): 2',
  scaleFolio: 'este modelo',
  scaleGpt2: 'GPT-2 pequeno: 124 M',
  scaleGpt3: 'GPT-3: 175 bi',
} satisfies typeof en;
