/**
 * A fine-tuning stage as the CLI and the worker run it: the tuner (SFT, DPO or RLHF) a step
 * at a time, the cost meter read every few steps beside the stage's own metrics, the KL
 * budget that stops a stage spending it, and what the stage comes to (the outcome the
 * person is told: a stop, whether RLHF's reward rose). One place, so the page and
 * `npm run finetune` measure, stop and report the same way.
 */
import type { GPT } from '../../model/gpt';
import type { Tokenizer } from '../../tokenizer';
import { notice, type Notice } from '../../i18n';
import { CostMeter, type Cost } from './costMeter';
import { makeTuner, type TuneConfig, type TuneMethod, type TuneMetrics, type Tuner } from './preference';
import { PretrainText, wordEdges } from './pretrainText';
import { RlhfTuner } from './rlhf';
import { STAGE_DEFAULTS, type StageSettings } from './tuneConfig';
import { endMarks } from './sampling';
import type { Pair } from './tuners';
import type { Example } from './tuning';

export { STAGE_DEFAULTS, type StageSettings } from './tuneConfig';

/** Why a stage ended before its steps: the KL budget was spent at `step`. */
export interface BudgetStop {
  step: number;
  kl: number;
  budget: number;
}

export class TuneStage {
  readonly target: number;
  stopped?: BudgetStop;
  /** The meter's last reading (none before the first). */
  lastCost?: Cost;
  private readonly costs = new Map<number, Cost>();

  constructor(
    readonly tuner: Tuner,
    readonly meter: CostMeter | undefined,
    steps: number,
    readonly settings: StageSettings,
  ) {
    this.target = tuner.step + steps;
  }

  get step(): number {
    return this.tuner.step;
  }

  /** The stage's steps are done, or the budget stopped it. */
  get done(): boolean {
    return this.stopped !== undefined || this.tuner.step >= this.target;
  }

  /** One step; the meter reads the model when due, and a spent budget stops the stage here. */
  async advance(): Promise<void> {
    if (this.done) return;
    await this.tuner.trainStep();
    const s = this.tuner.step;
    if (this.meter && (s % this.settings.measureEvery === 0 || s >= this.target)) {
      const cost = await this.meter.measure(this.tuner.model);
      this.costs.set(s, cost);
      this.lastCost = cost;
      const budget = this.settings.klBudget;
      if (budget > 0 && cost.kl > budget) this.stopped = { step: s, kl: cost.kl, budget };
    }
    if (this.done) await this.tuner.finish?.();
  }

  /** The metrics since the last read, the meter's readings with the steps they were taken at. */
  async read(): Promise<TuneMetrics[]> {
    const metrics = await this.tuner.readMetrics();
    return metrics.map((m) => {
      const c = this.costs.get(m.step);
      if (!c) return m;
      this.costs.delete(m.step);
      return { ...m, costKl: c.kl, costTv: c.tv };
    });
  }

  /** What the person is told when the stage ends: a budget stop, and RLHF's verdict on its reward. */
  outcome(): Notice[] {
    const out: Notice[] = [];
    if (this.stopped) out.push(notice('tuneBudgetStop', { ...this.stopped, target: this.target }));
    if (!(this.tuner instanceof RlhfTuner)) return out;
    const v = this.tuner.verdict();
    if (!v) return [...out, notice('rlhfNoPolicy', { steps: this.tuner.step, rmSteps: this.tuner.rmSteps })];
    const said = { from: v.from, to: v.to, steps: v.policySteps, win: v.winRate, before: v.preferredBefore, now: v.preferredNow };
    // A reward that rose while the answers people chose became less likely rewards something else: reward hacking.
    out.push(notice(!v.rose ? 'rlhfNoRise' : v.preferredNow < v.preferredBefore ? 'rlhfHacked' : 'rlhfRose', said));
    return out;
  }

  dispose(): void {
    this.tuner.dispose();
    this.meter?.dispose();
  }
}

export interface StageInput {
  method: TuneMethod;
  /** The model to tune, and the frozen copy of it the stage is measured against (the caller keeps it). */
  policy: GPT;
  reference: GPT;
  tokenizer: Pick<Tokenizer, 'vocabSize' | 'tokenText'>;
  data: { examples?: readonly Example[]; pairs?: readonly Pair[] };
  /** The corpus the model learned, as token streams: the meter's prompts and the batches that hold what it knew. None: neither. */
  corpus?: { train: Int32Array; val: Int32Array };
  cfg: TuneConfig;
  steps: number;
  settings?: Partial<StageSettings>;
  /** Tokens per corpus window (the meter's prompts, the hold's batches): the model's context unless told (GPT-2's 1024 is far too slow to measure often). */
  windowTokens?: number;
}

/** A stage ready to step: the tuner, and the meter on corpus windows the data does not touch. */
export function startStage(i: StageInput): TuneStage {
  const settings = { ...STAGE_DEFAULTS, ...i.settings };
  const prompts = [...(i.data.examples ?? []), ...(i.data.pairs ?? [])].map((d) => d.prompt);
  const text = i.corpus
    ? new PretrainText(i.corpus.train, i.corpus.val, Math.min(i.windowTokens ?? Infinity, i.policy.config.blockSize), prompts, wordEdges(i.tokenizer))
    : undefined;
  const meter = text ? new CostMeter(i.reference, text.probes(settings.probes, i.cfg.seed)) : undefined;
  const tuner = makeTuner(i.method, i.policy, i.reference, { ...i.data, ends: endMarks(i.tokenizer) }, i.cfg, text);
  return new TuneStage(tuner, meter, i.steps, settings);
}
