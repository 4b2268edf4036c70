/**
 * The page's fine-tuning commands: show two samples and record which the person prefers,
 * review and delete ratings, gather instruction examples (bundled, a JSON Lines file, or
 * typed), and start a stage (instruction tuning, DPO or RLHF). Ratings go to the worker on
 * every change, so they are saved with the model.
 */
import { FolioError, notice, noticeOf } from '../i18n';
import type { TuneMethod } from '../train/finetune/preference';
import type { Rating } from '../train/run';
import { parseJsonl, type PreferenceRecord, type SftRecord } from '../train/finetune/tuneData';
import type { FromWorker, ToWorker } from '../worker/protocol';
import type { actions as storeActions, FolioState } from './store';

/** How many tokens each feedback sample runs to. */
export const FEEDBACK_TOKENS = 12;

export interface TuneContext {
  send: (msg: ToWorker) => void;
  ask: (make: (requestId: number) => ToWorker, then: (answer: FromWorker) => void) => void;
  actions: typeof storeActions;
  getState: () => FolioState;
}

/** The bundled example data, loaded on demand (Vite serves the files as text). */
const bundled = {
  feedback: () => import('../../corpus/finetune/fox-feedback.jsonl?raw').then((m) => m.default as string),
  instructions: () => import('../../corpus/finetune/fox-instructions.jsonl?raw').then((m) => m.default as string),
};

export function tuneCommands(ctx: TuneContext) {
  const { actions, getState } = ctx;
  const ratings = () => getState().tune.ratings;
  const setRatings = (next: Rating[]) => {
    actions.tune({ ratings: next });
    ctx.send({ type: 'feedback', ratings: next });
  };
  let draws = 0;

  const commands = {
    /** Two samples from the current model after the prompt, to compare. */
    showPair(prompt: string): void {
      actions.tune({ pair: undefined });
      ctx.ask(
        (requestId) => ({ type: 'samplePair', requestId, prompt, tokens: FEEDBACK_TOKENS, seed: ++draws }),
        (answer) => {
          if (answer.type === 'samplePair') actions.tune({ pair: { prompt: answer.prompt, a: answer.a, b: answer.b } });
          else if (answer.type === 'error') actions.failed({ scope: 'predict', notice: answer.notice });
        },
      );
    },
    /** The person's verdict on the pair on show: the better one, both bad, or skip. */
    rate(verdict: 'a' | 'b' | 'bad' | 'skip'): void {
      const pair = getState().tune.pair;
      if (!pair) return;
      if (verdict !== 'skip') {
        const r: Rating =
          verdict === 'bad'
            ? { prompt: pair.prompt, bad: [pair.a, pair.b] }
            : { prompt: pair.prompt, chosen: verdict === 'a' ? pair.a : pair.b, rejected: verdict === 'a' ? pair.b : pair.a };
        setRatings([...ratings(), r]);
      }
      commands.showPair(pair.prompt);
    },
    deleteRating: (i: number) => setRatings(ratings().filter((_, j) => j !== i)),
    /** The bundled example feedback (for the fox model), added to the person's own. */
    async loadExampleFeedback(): Promise<void> {
      const records = parseJsonl(await bundled.feedback(), ['prompt', 'chosen', 'rejected']);
      setRatings([...ratings(), ...records]);
      actions.clearErrorOf('tune');
    },
    async loadExampleInstructions(): Promise<void> {
      const records = parseJsonl(await bundled.instructions(), ['prompt', 'completion']);
      actions.tune((t) => ({ examples: [...t.examples, ...records] }));
      actions.clearErrorOf('tune');
    },
    /** A JSON Lines file: {"prompt","completion"} examples or {"prompt","chosen","rejected"} ratings. */
    async uploadTuneFile(file: File, kind: 'instructions' | 'feedback'): Promise<void> {
      try {
        const text = await file.text();
        if (kind === 'instructions') {
          const records = parseJsonl(text, ['prompt', 'completion']);
          actions.tune((t) => ({ examples: [...t.examples, ...records] }));
        } else setRatings([...ratings(), ...parseJsonl(text, ['prompt', 'chosen', 'rejected'])]);
        actions.clearErrorOf('tune'); // a refused file before this one no longer matters
      } catch (e) {
        actions.failed({ scope: 'tune', notice: noticeOf(e) });
      }
    },
    addInstruction(prompt: string, completion: string): void {
      if (!prompt.trim() || !completion.trim()) return actions.failed({ scope: 'tune', notice: notice('jsonlMissing', { line: 1, field: prompt.trim() ? 'completion' : 'prompt' }) });
      actions.tune((t) => ({ examples: [...t.examples, { prompt, completion }] }));
      actions.clearErrorOf('tune');
    },
    deleteInstruction: (i: number) => actions.tune((t) => ({ examples: t.examples.filter((_, j) => j !== i) })),
    /** Start a stage on what the page holds: its instruction examples, or its preference ratings. */
    tune(method: TuneMethod, steps: number, beta?: number): void {
      const { tune } = getState();
      const pairs: PreferenceRecord[] = tune.ratings.filter((r): r is PreferenceRecord => 'chosen' in r);
      const examples: SftRecord[] = tune.examples;
      try {
        if (method === 'sft' && examples.length === 0) throw new FolioError(notice('noExamples'));
        if (method !== 'sft' && pairs.length === 0) throw new FolioError(notice('noPairs'));
      } catch (e) {
        return actions.failed({ scope: 'tune', notice: noticeOf(e) });
      }
      // A new attempt: what the page or the worker refused before (a file, a too-long prompt) is said again if it still holds.
      actions.clearErrorOf('tune');
      actions.clearErrorOf('train');
      actions.tune({ metrics: [], method });
      ctx.send({ type: 'tune', method, steps, ...(beta !== undefined ? { beta } : {}), ...(method === 'sft' ? { examples } : { pairs }) });
    },
    /** The reference model's ranked words for the current prompt (the "before"). */
    predictReference(): void {
      const prompt = getState().prompt;
      ctx.ask(
        (requestId) => ({ type: 'predictReference', requestId, prompt }),
        (answer) => (answer.type === 'referencePrediction' ? actions.tune({ before: { prompt: answer.prompt, result: answer.prediction } }) : undefined),
      );
    },
  };
  return commands;
}
