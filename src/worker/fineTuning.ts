/**
 * The session's fine-tuning desk: it starts a stage (a frozen copy of the model becomes
 * its reference, the person's data is encoded with the model's tokenizer and fitted to its
 * context, the corpus the model learned feeds the cost meter and the hold on what it knew),
 * keeps the stages the model went through and the person's ratings (both saved with the
 * model), and answers the panel: two samples to compare, the reference's ranked words,
 * the tuned model's answer to a question.
 */
import { disposeGPT, type GPT } from '../model/gpt';
import { generate, predictNext, type Prediction } from '../predict/predictor';
import { defaultBeta, defaultLr, TUNE_DEFAULTS } from '../train/finetune/preference';
import { inferFormat } from '../train/finetune/qaFormat';
import { startStage } from '../train/finetune/stage';
import { withPretraining, type Rating, type Stage } from '../train/run';
import { encodePairs, encodeSft } from '../train/finetune/tuneData';
import { copyGPT, weightsId } from '../train/finetune/tuning';
import { mix } from '../util/rng';
import { FolioError, notice } from '../i18n';
import type { Job, JobContext } from './job';
import type { Live } from './live';
import type { Command } from './protocol';
import { tuneJob } from './tuneJob';
import type { TuneStage } from '../train/finetune/stage';

/** A sentence's end: a sample or an answer stops after it. */
const SENTENCE_END = /[.!?]/;

/**
 * Text the model writes after `prompt`, complete: it stops after a sentence's end (or
 * before a new line, or after `end`), and one cut at `chars` characters goes back to its
 * last whole word.
 */
async function writeOn(model: GPT, live: Live, prompt: string, o: { chars: number; seed: number; greedy: boolean; end?: string }): Promise<string> {
  let text = '';
  let ended = false;
  for await (const t of generate(model, live.tokenizer, prompt, { temperature: 1, topK: 0, topP: 1, greedy: o.greedy, maxTokens: o.chars, seed: o.seed })) {
    text += t.text;
    const words = text.trimStart();
    const at = o.end ? words.indexOf(o.end) : -1;
    const nl = words.indexOf('\n');
    const mark = words.search(SENTENCE_END);
    if (at >= 0 || nl >= 0 || mark >= 0) {
      const lead = text.length - words.length;
      const cut = [at >= 0 ? at + o.end!.length : Infinity, nl >= 0 ? nl : Infinity, mark >= 0 ? mark + 1 : Infinity];
      text = text.slice(0, lead + Math.min(...cut));
      ended = true;
      break;
    }
    if (text.length >= o.chars) break;
  }
  if (!ended && text.length >= o.chars) {
    const space = text.trimEnd().lastIndexOf(' ');
    if (space > 0) text = text.slice(0, space); // a whole word, not half of one
  }
  return text.trimEnd();
}

export class FineTuning {
  stages: Stage[] = [];
  ratings: Rating[] = [];
  private reference?: GPT;
  private stage?: TuneStage;

  /** A new live model: its stages and ratings (from a checkpoint), no stage running. */
  reset(live: Live, saved?: { stages?: Stage[]; ratings?: Rating[] }): void {
    this.clear();
    this.stages = saved?.stages?.length ? saved.stages.map((s) => ({ ...s })) : [{ kind: 'pretrain', steps: live.trainer.step }];
    this.ratings = saved?.ratings ? [...saved.ratings] : this.ratings; // the person's ratings outlive a rebuilt model
  }

  /** Start a stage: encode and fit the data, freeze the reference, make the tuner and the meter; the job to run. */
  async start(live: Live, msg: Command<'tune'>, ctx: JobContext): Promise<Job> {
    const B = live.model.config.blockSize;
    const encoded = msg.method === 'sft' ? encodeSft(msg.examples ?? [], live.tokenizer, B) : encodePairs(msg.pairs ?? [], live.tokenizer, B);
    const { fit, ...data } = encoded;
    if (msg.method === 'sft' && !fit.count) throw new FolioError(notice('noExamples'));
    if (msg.method !== 'sft' && !fit.count) throw new FolioError(notice('noPairs'));
    this.clear();
    this.syncPretrain(live);
    this.reference = copyGPT(live.model);
    const stage: Stage = {
      kind: msg.method,
      steps: 0,
      reference: await weightsId(this.reference),
      ...(msg.method === 'sft' ? { format: inferFormat(msg.examples ?? []) } : {}),
    };
    this.stages.push(stage);
    const cfg = {
      ...TUNE_DEFAULTS,
      lr: defaultLr(msg.method),
      seed: live.config.train.seed,
      beta: msg.beta ?? defaultBeta(msg.method),
      keep: msg.keep === false ? 0 : TUNE_DEFAULTS.keep,
    };
    const settings = msg.klBudget !== undefined ? { klBudget: msg.klBudget } : {};
    this.stage = startStage({
      method: msg.method,
      policy: live.model,
      reference: this.reference,
      tokenizer: live.tokenizer,
      data,
      corpus: live.data,
      cfg,
      steps: msg.steps,
      settings,
    });
    return tuneJob(live, this.stage, cfg, { fit, stage, stages: () => this.stages }, ctx);
  }

  /** The reference's ranked next words (null when no stage has run since the model was built). */
  async predictReference(live: Live, prompt: string): Promise<Prediction | null> {
    if (!this.reference) return null;
    return predictNext(this.reference, live.tokenizer, prompt, { topTokens: 10, beam: { topWords: 10 } });
  }

  /** Two samples after `prompt`, each complete within `chars` characters, and different when the model writes two different ones. */
  async samplePair(live: Live, prompt: string, chars: number, seed: number): Promise<{ a: string; b: string; same: boolean }> {
    let draw = 0;
    // A sample with no words (a new line at once) is drawn again, as is a second one like the first.
    const one = async (unlike?: string) => {
      let text = '';
      for (let tries = 0; tries < 8 && (!text.trim() || text === unlike); tries++)
        text = await writeOn(live.model, live, prompt, { chars, seed: mix(seed, ++draw), greedy: false });
      return text;
    };
    const a = await one();
    const b = await one(a);
    return { a, b, same: a === b };
  }

  /** The model's answer after a formatted question: its most likely words, to `end` or a sentence's end. */
  async answer(live: Live, prompt: string, end: string): Promise<string> {
    return (await writeOn(live.model, live, prompt, { chars: 60, seed: 0, greedy: true, ...(end.trim() ? { end: end.trim() } : {}) })).trim();
  }

  /**
   * Pre-training that ran since the last stage is a stage too. The pre-training trainer
   * counts only its own steps, so the pre-training stages add up to its step.
   */
  syncPretrain(live: Live): void {
    this.stages = withPretraining(this.stages, live.trainer.step);
  }

  /** The stages as they stand now (pre-training since the last stage counted in), without changing them. */
  stagesOf(live: Live): Stage[] {
    return withPretraining(this.stages, live.trainer.step);
  }

  /** Every step the live model took, all stages together. */
  totalSteps(live: Live): number {
    return this.stagesOf(live).reduce((n, s) => n + s.steps, 0);
  }

  /** Free the reference and the stage's tuner and meter (a new stage, a new model). */
  clear(): void {
    this.stage?.dispose();
    if (this.reference) disposeGPT(this.reference);
    this.stage = this.reference = undefined;
  }
}
