/**
 * The session's fine-tuning desk: it starts a stage (a frozen copy of the model becomes
 * its reference, the person's data is encoded with the model's tokenizer), keeps the
 * stages the model went through and the person's ratings (both saved with the model), and
 * answers the feedback panel: two samples to compare, the reference's ranked words.
 */
import { disposeGPT, type GPT } from '../model/gpt';
import { generate, predictNext, type Prediction } from '../predict/predictor';
import { defaultLr, makeTuner, TUNE_DEFAULTS, type Tuner } from '../train/finetune/preference';
import { withPretraining, type Rating, type Stage } from '../train/run';
import { encodePairs, encodeSft } from '../train/finetune/tuneData';
import { copyGPT, weightsId } from '../train/finetune/tuning';
import { mix } from '../util/rng';
import { FolioError, notice } from '../i18n';
import type { Job, JobContext } from './job';
import type { Live } from './live';
import type { Command } from './protocol';
import { tuneJob } from './tuneJob';

export class FineTuning {
  stages: Stage[] = [];
  ratings: Rating[] = [];
  private reference?: GPT;
  private tuner?: Tuner;

  /** A new live model: its stages and ratings (from a checkpoint), no stage running. */
  reset(live: Live, saved?: { stages?: Stage[]; ratings?: Rating[] }): void {
    this.clear();
    this.stages = saved?.stages?.length ? saved.stages.map((s) => ({ ...s })) : [{ kind: 'pretrain', steps: live.trainer.step }];
    this.ratings = saved?.ratings ? [...saved.ratings] : this.ratings; // the person's ratings outlive a rebuilt model
  }

  /** Start a stage: encode the data, freeze the reference, make the tuner; the job to run. */
  async start(live: Live, msg: Command<'tune'>, ctx: JobContext): Promise<Job> {
    const B = live.model.config.blockSize;
    const data =
      msg.method === 'sft' ? { examples: encodeSft(msg.examples ?? [], live.tokenizer, B) } : { pairs: encodePairs(msg.pairs ?? [], live.tokenizer, B) };
    if (msg.method === 'sft' && !data.examples?.length) throw new FolioError(notice('noExamples'));
    if (msg.method !== 'sft' && !data.pairs?.length) throw new FolioError(notice('noPairs'));
    this.clear();
    this.syncPretrain(live);
    this.reference = copyGPT(live.model);
    const stage: Stage = { kind: msg.method, steps: 0, reference: await weightsId(this.reference) };
    this.stages.push(stage);
    const cfg = { ...TUNE_DEFAULTS, lr: defaultLr(msg.method), seed: live.config.train.seed, ...(msg.beta !== undefined ? { beta: msg.beta } : {}) };
    this.tuner = makeTuner(msg.method, live.model, this.reference, data, cfg);
    return tuneJob(live, this.tuner, cfg, msg.steps, stage, () => this.stages, ctx);
  }

  /** The reference's ranked next words (null when no stage has run since the model was built). */
  async predictReference(live: Live, prompt: string): Promise<Prediction | null> {
    if (!this.reference) return null;
    return predictNext(this.reference, live.tokenizer, prompt, { topTokens: 10, beam: { topWords: 10 } });
  }

  /** Two samples of `tokens` tokens after `prompt` from the current model. */
  async samplePair(live: Live, prompt: string, tokens: number, seed: number): Promise<[string, string]> {
    const one = async (s: number) => {
      let text = '';
      for await (const t of generate(live.model, live.tokenizer, prompt, {
        temperature: 1,
        topK: 0,
        topP: 1,
        greedy: false,
        maxTokens: tokens,
        seed: mix(seed, s),
      }))
        text += t.text;
      return text;
    };
    const a = await one(1);
    let b = await one(2);
    for (let s = 3; b === a && s < 8; s++) b = await one(s); // two different samples when the model allows
    return [a, b];
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

  /** Free the reference and the tuner (a new stage, a new model). */
  clear(): void {
    this.tuner?.dispose();
    if (this.reference) disposeGPT(this.reference);
    this.tuner = this.reference = undefined;
  }
}
