/**
 * The notices of a fine-tuning stage, in English and Portuguese: what fitting the data to
 * the context did, a stage the KL budget stopped, and whether RLHF's reward rose. They are
 * outcomes to read, not failures: the page shows them beside the stage, the CLI prints them.
 */
import { fmtFixed, fmtPct } from '../format';
import { nEn, nPt } from './common';

const fx = (x: number, locale: string) => fmtFixed(x, 2, locale);

/** RLHF's verdict: the reward over the policy steps, the win rate, the preferred answers' probability before and now. */
type Verdict = { from: number; to: number; steps: number; win: number; before: number; now: number };

const preferred = (p: Verdict, locale: 'en' | 'pt-BR') =>
  Number.isFinite(p.before) && Number.isFinite(p.now)
    ? locale === 'en'
      ? `; the preferred answers went from ${fmtPct(p.before, locale)} to ${fmtPct(p.now, locale)}`
      : `; as respostas preferidas foram de ${fmtPct(p.before, locale)} para ${fmtPct(p.now, locale)}`
    : '';

export const en = {
  tuneFit: (p: { croppedPrompts: number; cutCompletions: number; identical: number; context: number }) =>
    [
      p.croppedPrompts > 0 &&
        `${nEn(p.croppedPrompts)} prompt${p.croppedPrompts === 1 ? ' was' : 's were'} longer than the room the context (${nEn(p.context)} tokens) leaves and kept only ${p.croppedPrompts === 1 ? 'its' : 'their'} end, as the ranked words do.`,
      p.cutCompletions > 0 && `${nEn(p.cutCompletions)} answer${p.cutCompletions === 1 ? ' was' : 's were'} too long for the room left and cut at the end.`,
      p.identical > 0 &&
        `${nEn(p.identical)} pair${p.identical === 1 ? '' : 's'} with the same text twice ${p.identical === 1 ? 'was' : 'were'} left out: there is nothing to prefer.`,
    ]
      .filter(Boolean)
      .join(' ') || `Every example fits the context (${nEn(p.context)} tokens) as it is.`,
  tuneBudgetStop: (p: { step: number; target: number; kl: number; budget: number }) =>
    `Stopped at step ${nEn(p.step)} of ${nEn(p.target)}: the KL from the model before this stage, on corpus prompts the tuning data does not touch, reached ${fx(p.kl, 'en')} nats — over the budget of ${fx(p.budget, 'en')}. ` +
    'Everything it changes there is forgetting: keep “Keep what it knew” on, lower the learning rate, or raise the budget to let it go further.',
  rlhfRose: (p: Verdict) =>
    `The reward rose from ${fx(p.from, 'en')} to ${fx(p.to, 'en')} over ${nEn(p.steps)} policy steps${Number.isFinite(p.win) ? `; on held-out prompts the tuned model's samples beat the reference's ${fmtPct(p.win, 'en')} of the time` : ''}${preferred(p, 'en')}.`,
  rlhfHacked: (p: Verdict) =>
    `The reward rose (${fx(p.from, 'en')} → ${fx(p.to, 'en')}), but the answers people preferred became less likely on held-out prompts (${fmtPct(p.before, 'en')} → ${fmtPct(p.now, 'en')}): ` +
    'the model found what the reward model over-rates rather than what people chose — reward hacking. Raise β to hold it nearer the model before, or rate what it writes now.',
  rlhfNoPolicy: (p: { steps: number; rmSteps: number }) =>
    `The stage ended after ${nEn(p.steps)} steps, all of them training the reward model (its first ${nEn(p.rmSteps)}): the model itself has not changed yet. Give RLHF more steps than that.`,
  rlhfNoRise: (p: Verdict) =>
    `The reward did not rise: ${fx(p.from, 'en')} → ${fx(p.to, 'en')} over ${nEn(p.steps)} policy steps${Number.isFinite(p.win) ? ` (win rate against the reference on held-out prompts: ${fmtPct(p.win, 'en')})` : ''}. ` +
    'The model did not learn what the reward model prefers: give it more steps, a lower β (it may be held too close to the model before), more (or more varied) pairs, or check the reward model’s accuracy.',
};

export const pt = {
  tuneFit: (p) =>
    [
      p.croppedPrompts > 0 &&
        `${nPt(p.croppedPrompts)} prompt${p.croppedPrompts === 1 ? ' era mais longo' : 's eram mais longos'} que o espaço que o contexto (${nPt(p.context)} tokens) deixa e ${p.croppedPrompts === 1 ? 'ficou' : 'ficaram'} só com o final, como nas palavras ranqueadas.`,
      p.cutCompletions > 0 &&
        `${nPt(p.cutCompletions)} resposta${p.cutCompletions === 1 ? ' era longa' : 's eram longas'} demais para o espaço restante e ${p.cutCompletions === 1 ? 'foi cortada' : 'foram cortadas'} no fim.`,
      p.identical > 0 &&
        `${nPt(p.identical)} par${p.identical === 1 ? '' : 'es'} com o mesmo texto duas vezes ${p.identical === 1 ? 'ficou' : 'ficaram'} de fora: não há o que preferir.`,
    ]
      .filter(Boolean)
      .join(' ') || `Todos os exemplos cabem no contexto (${nPt(p.context)} tokens) como estão.`,
  tuneBudgetStop: (p) =>
    `Parou no passo ${nPt(p.step)} de ${nPt(p.target)}: o KL em relação ao modelo antes desta etapa, em prompts do corpus que os dados de ajuste não tocam, chegou a ${fx(p.kl, 'pt-BR')} nats — acima do orçamento de ${fx(p.budget, 'pt-BR')}. ` +
    'Tudo o que ele muda ali é esquecimento: deixe “Manter o que sabia” ligado, diminua a taxa de aprendizado ou aumente o orçamento para ir além.',
  rlhfRose: (p) =>
    `A recompensa subiu de ${fx(p.from, 'pt-BR')} para ${fx(p.to, 'pt-BR')} em ${nPt(p.steps)} passos da política${Number.isFinite(p.win) ? `; em prompts reservados, as amostras do modelo ajustado vencem as da referência ${fmtPct(p.win, 'pt-BR')} das vezes` : ''}${preferred(p, 'pt-BR')}.`,
  rlhfHacked: (p) =>
    `A recompensa subiu (${fx(p.from, 'pt-BR')} → ${fx(p.to, 'pt-BR')}), mas as respostas que as pessoas preferiram ficaram menos prováveis em prompts reservados (${fmtPct(p.before, 'pt-BR')} → ${fmtPct(p.now, 'pt-BR')}): ` +
    'o modelo achou o que o modelo de recompensa superestima em vez do que as pessoas escolheram — reward hacking. Aumente o β para segurá-lo perto do modelo de antes, ou avalie o que ele escreve agora.',
  rlhfNoPolicy: (p) =>
    `A etapa terminou depois de ${nPt(p.steps)} passos, todos treinando o modelo de recompensa (os primeiros ${nPt(p.rmSteps)}): o modelo em si ainda não mudou. Dê ao RLHF mais passos que isso.`,
  rlhfNoRise: (p) =>
    `A recompensa não subiu: ${fx(p.from, 'pt-BR')} → ${fx(p.to, 'pt-BR')} em ${nPt(p.steps)} passos da política${Number.isFinite(p.win) ? ` (taxa de vitória contra a referência em prompts reservados: ${fmtPct(p.win, 'pt-BR')})` : ''}. ` +
    'O modelo não aprendeu o que o modelo de recompensa prefere: dê mais passos, um β menor (ele pode estar preso demais ao modelo de antes), mais pares (ou mais variados), ou confira a acurácia do modelo de recompensa.',
} satisfies typeof en;
