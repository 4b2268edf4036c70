/**
 * The worker's fine-tuning desk and job on the bundled fox model, without a page: two
 * feedback samples are complete (to a sentence's or a word's end, within 60 characters)
 * and different; the chat box's answer stops at the format's end; a stage's first
 * `tuneProgress` says how its data was fitted and its budget, its last what it came to,
 * every reading of the cost meter goes with its step, and a spent budget ends the job there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/checkpoint/checkpoint';
import { fileHandler } from '../../src/cli/fileHandler';
import { splitTokens } from '../../src/data/dataset';
import { disposeGPT } from '../../src/model/gpt';
import { parseJsonl } from '../../src/train/finetune/tuneData';
import { FineTuning } from '../../src/worker/fineTuning';
import type { Live } from '../../src/worker/live';
import type { Event, FromWorker } from '../../src/worker/protocol';
import { backend, readCorpus } from '../helpers';

let live: Live;

beforeAll(async () => {
  await backend('wasm');
  const { model, tokenizer } = await loadCheckpoint(fileHandler('corpus/pretrained/fox-nano'));
  // What the desk reads of a live model: its weights, tokenizer, corpus, seed, id and pre-training step.
  live = {
    id: 'fox',
    model,
    tokenizer,
    data: splitTokens(tokenizer.encode(readCorpus('fox.txt')), model.config.blockSize),
    config: { train: { seed: 1337 } },
    trainer: { step: 600 },
  } as unknown as Live;
});

describe('the fine-tuning desk', () => {
  it('writes two complete, different samples', async () => {
    const desk = new FineTuning();
    for (const seed of [1, 2, 3]) {
      const { a, b, same } = await desk.samplePair(live, 'brown fox jumps over the lazy', 60, seed);
      console.log(`[samples] ${JSON.stringify(a)} / ${JSON.stringify(b)}`);
      expect(same).toBe(false);
      expect(a).not.toBe(b);
      for (const t of [a, b]) {
        expect(t.trim().length).toBeGreaterThan(0);
        expect(t.length).toBeLessThanOrEqual(60);
        expect(t).toMatch(/[.!?]$|[a-z]$/i);
      }
    }
  }, 60_000);

  it('answers a question up to the end mark, and runs a stage whose budget stops it, with its first and last reports', async () => {
    const desk = new FineTuning();
    desk.reset(live);
    const posted: FromWorker[] = [];
    const examples = parseJsonl(readCorpus('finetune/fox-instructions.jsonl'), ['prompt', 'completion']);
    const job = await desk.start(
      live,
      { type: 'tune', method: 'sft', steps: 100, keep: false, examples },
      { post: (m) => posted.push(m), history: { losses: [], evals: [], samples: [], elapsedMs: 0 } },
    );
    expect(desk.stages.at(-1)).toMatchObject({ kind: 'sft', format: { before: '', after: '? ', lead: '', end: '.' } });
    while (job.step < job.target) {
      await job.trainStep();
      if (job.step % 10 === 0 || job.step >= job.target) await job.readLosses();
    }
    const reports = posted.filter((m): m is Event<'tuneProgress'> => m.type === 'tuneProgress');
    expect(reports[0]).toMatchObject({
      modelId: 'fox',
      method: 'sft',
      fit: { count: 34, croppedPrompts: 0, cutCompletions: 0, identical: 0, context: 32 },
      klBudget: 0.3,
    });
    const costs = reports.flatMap((r) => r.metrics).filter((m) => m.costKl !== undefined);
    const last = reports.at(-1)!;
    console.log(`[desk] stopped at ${job.step} (target ${job.target}); cost ${costs.map((m) => `${m.step}:${m.costKl!.toFixed(3)}`).join(' ')}`);
    expect(job.step).toBeLessThan(100);
    expect(job.target).toBe(job.step); // the budget ended the job where it stopped
    expect(costs.at(-1)).toMatchObject({ step: job.step });
    expect(costs.at(-1)!.costKl).toBeGreaterThan(0.3);
    expect(last.outcome?.map((n) => n.code)).toEqual(['tuneBudgetStop']);
    expect(desk.stages.at(-1)!.steps).toBe(job.step);

    const answer = await desk.answer(live, 'who is lazy? ', '.');
    console.log(`[desk] who is lazy? → ${JSON.stringify(answer)}`);
    expect(answer.length).toBeGreaterThan(0);
    expect(answer.length).toBeLessThanOrEqual(60);
    expect(answer.indexOf('.')).toBeGreaterThanOrEqual(answer.length - 1); // nothing after the end mark
    desk.clear();
  }, 120_000);

  it.sequential('frees the model it was lent', () => disposeGPT(live.model));
});
