/**
 * The fine-tuning panel's commands: show two samples and record which the person prefers,
 * review and delete ratings, gather instruction examples (bundled, a JSON Lines file, or
 * typed as a question and its answer), start a stage (instruction tuning, DPO or RLHF,
 * with its KL budget and whether it keeps what it knew), and ask the tuned model a
 * question in the format it was tuned with. Ratings go to the worker on every change, so
 * they are saved with the model.
 */
import { FolioError, notice, noticeOf } from '../../i18n';
import type { TuneMethod } from '../../train/finetune/preference';
import { formatAnswer, formatQuestion, inferFormat, PLAIN_FORMAT, type PromptFormat } from '../../train/finetune/qaFormat';
import type { Rating, Stage } from '../../train/run';
import { parseJsonl, type PreferenceRecord, type SftRecord } from '../../train/finetune/tuneData';
import { report, type PageContext } from './context';

/** How long a feedback sample may run: to a sentence's or a word's end within this many characters. */
export const FEEDBACK_CHARS = 60;

/** What a stage is told besides its data: how far it may drift, and whether it keeps what it knew. */
export interface TuneOptions {
  beta?: number;
  klBudget?: number;
  keep?: boolean;
}

/**
 * The format the chat box asks in: the last instruction-tuning stage's (the model answers
 * in it), else the one the examples on the page share, else a question and a space.
 */
export function chatFormat(stages: readonly Stage[], examples: readonly SftRecord[]): PromptFormat {
  const tuned = stages.findLast((s) => s.kind === 'sft' && s.format)?.format;
  return tuned ?? (examples.length ? inferFormat(examples) : PLAIN_FORMAT);
}

/** The bundled example data, loaded on demand (Vite serves the files as text). */
const bundled = {
  feedback: () => import('../../../corpus/finetune/fox-feedback.jsonl?raw').then((m) => m.default as string),
  instructions: () => import('../../../corpus/finetune/fox-instructions.jsonl?raw').then((m) => m.default as string),
};

export function fineTuneCommands({ link, store }: PageContext) {
  const ratings = () => store.get().tune.ratings;
  const setRatings = (next: Rating[]) => {
    store.get().setTune({ ratings: next });
    link.send('feedback', { ratings: next });
  };
  let draws = 0;

  const commands = {
    /** Two samples from the current model after the prompt, to compare. */
    showPair(prompt: string): void {
      store.get().setTune({ pair: undefined });
      link.ask('samplePair', { prompt, chars: FEEDBACK_CHARS, seed: ++draws }).then(
        (a) => store.get().setTune({ pair: { modelId: a.modelId, prompt: a.prompt, a: a.a, b: a.b, same: a.same } }),
        (e: unknown) => report(store, e, 'tune'),
      );
    },
    /** The person's verdict on the pair on show: the better one, both bad, or skip. */
    rate(verdict: 'a' | 'b' | 'bad' | 'skip'): void {
      const { tune, model } = store.get();
      const pair = tune.pair?.modelId === model?.id ? tune.pair : undefined; // samples of the model on show only
      if (!pair) return;
      if (pair.same && (verdict === 'a' || verdict === 'b')) return; // one text twice: nothing to prefer
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
      store.get().clearErrorOf('tune');
    },
    async loadExampleInstructions(): Promise<void> {
      const records = parseJsonl(await bundled.instructions(), ['prompt', 'completion']);
      store.get().setTune((t) => ({ examples: [...t.examples, ...records] }));
      store.get().clearErrorOf('tune');
    },
    /** A JSON Lines file: {"prompt","completion"} examples or {"prompt","chosen","rejected"} ratings. */
    async uploadTuneFile(file: File, kind: 'instructions' | 'feedback'): Promise<void> {
      try {
        const text = await file.text();
        if (kind === 'instructions') {
          const records = parseJsonl(text, ['prompt', 'completion']);
          store.get().setTune((t) => ({ examples: [...t.examples, ...records] }));
        } else setRatings([...ratings(), ...parseJsonl(text, ['prompt', 'chosen', 'rejected'])]);
        store.get().clearErrorOf('tune'); // a refused file before this one no longer matters
      } catch (e) {
        store.get().failed({ scope: 'tune', notice: noticeOf(e) });
      }
    },
    /** A question and its answer, typed: written in the format of the examples already there (or as a question and a space). */
    addInstruction(question: string, answer: string): void {
      if (!question.trim() || !answer.trim())
        return store.get().failed({ scope: 'tune', notice: notice('jsonlMissing', { line: 1, field: question.trim() ? 'completion' : 'prompt' }) });
      store.get().setTune((t) => {
        const f = t.examples.length ? inferFormat(t.examples) : PLAIN_FORMAT;
        return { examples: [...t.examples, { prompt: formatQuestion(f, question), completion: formatAnswer(f, answer) }] };
      });
      store.get().clearErrorOf('tune');
    },
    /** Ask the model a question in the format it was tuned with; the answer shows in the chat box. */
    ask(question: string): void {
      const { tune, model } = store.get();
      if (!question.trim() || !model) return;
      const f = chatFormat(tune.stages, tune.examples);
      store.get().setTune({ chat: { modelId: model.id, question } });
      link.ask('chat', { prompt: formatQuestion(f, question), end: f.end }).then(
        (a) => store.get().setTune((t) => (t.chat?.question === question ? { chat: { modelId: a.modelId, question, answer: a.answer } } : {})),
        (e: unknown) => report(store, e, 'tune'),
      );
    },
    deleteInstruction: (i: number) => store.get().setTune((t) => ({ examples: t.examples.filter((_, j) => j !== i) })),
    /** Start a stage on what the page holds: its instruction examples, or its preference ratings. */
    tune(method: TuneMethod, steps: number, o: TuneOptions = {}): void {
      const { tune } = store.get();
      const pairs: PreferenceRecord[] = tune.ratings.filter((r): r is PreferenceRecord => 'chosen' in r);
      const examples: SftRecord[] = tune.examples;
      try {
        if (method === 'sft' && examples.length === 0) throw new FolioError(notice('noExamples'));
        if (method !== 'sft' && pairs.length === 0) throw new FolioError(notice('noPairs'));
      } catch (e) {
        return store.get().failed({ scope: 'tune', notice: noticeOf(e) });
      }
      // A new attempt: what the page or the worker refused before (a file, a too-long prompt) is said again if it still holds.
      store.get().clearErrorOf('tune');
      store.get().clearErrorOf('train');
      store.get().setTune({ metrics: [], method, fit: undefined, outcome: undefined });
      link.send('tune', { method, steps, ...o, ...(method === 'sft' ? { examples } : { pairs }) });
    },
    /** The reference model's ranked words for the current prompt (the "before"). */
    predictReference(): void {
      const prompt = store.get().prompt;
      link.ask('predictReference', { prompt }).then(
        (a) => store.get().setTune({ before: { modelId: a.modelId, prompt: a.prompt, result: a.prediction } }),
        () => undefined, // the "before" column keeps what it had
      );
    },
  };
  return commands;
}
