/**
 * The backend race: the article's GPU paragraph, measured on the reader's own machine.
 *
 * A fresh copy of the live model (same configuration, same seed, hence the same starting
 * weights; dropout off, so every backend does exactly the same maths) trains for the same
 * steps, on the same batches, on each backend that starts here, one after another: WebGPU,
 * WebGL, wasm with all of Folio's matMul threads, wasm with one, and plain JavaScript. The
 * live model is never touched: its weights stay where they are, and the caller
 * (experiments.ts) puts the backend back afterwards.
 *
 * Timing goes through train/measure.ts, the benchmark's own code path.
 */
import { createGPT, disposeGPT, paramCount } from '../model/gpt';
import { holdGemmThreads } from '../kernels/threads/gemmThreads';
import { measureSteps, tokensPerSecond } from '../train/measure';
import { Trainer } from '../train/trainer';
import { notice, noticeOf, noticeText, type Notice } from '../i18n';
import { RACE_ENTRANTS, type ExperimentEvent, type RaceEntrant, type RaceResult } from './experimentProtocol';
import type { Live } from './live';
import { nextMacrotask } from '../util/nextMacrotask';
import { wasmLabel, type BackendName, type BackendReport } from './protocol';

export interface RaceDeps {
  post: (e: ExperimentEvent) => void;
  /** Start a backend by name (the session's chooser: it falls back down the list when that one cannot start). */
  choose: (name: BackendName) => Promise<BackendReport>;
  /** The person pressed stop. */
  stopped: () => boolean;
}

export interface RaceOptions {
  /** Steps on each backend, warm-up included (at least 2). */
  steps: number;
  /** Race software GPUs too (labelled "emulated on the CPU"). */
  includeEmulated: boolean;
  /** Entrants, in order (default: all). */
  entrants?: readonly RaceEntrant[];
}

/** Race every entrant in turn; results and skips are posted as they come, and also returned. */
export async function runRace(live: Live, opts: RaceOptions, deps: RaceDeps): Promise<{ results: RaceResult[]; skipped: RaceEntrant[] }> {
  const entrants = opts.entrants ?? RACE_ENTRANTS;
  const config = { ...live.model.config, dropout: 0 };
  const cfg = live.trainer.cfg;
  const total = Math.max(2, Math.floor(opts.steps));
  const warmup = total >= 4 ? 2 : 1;
  const results: RaceResult[] = [];
  const skipped: RaceEntrant[] = [];
  const skip = (entrant: RaceEntrant, n: Notice) => {
    skipped.push(entrant);
    deps.post({ kind: 'raceSkipped', skip: { entrant, notice: n, reason: noticeText('en', n) } });
  };
  deps.post({ kind: 'raceStart', entrants: [...entrants], steps: total, params: paramCount(config) });
  /** wasm's own start: whether it ran, and on how many threads (wasm-1 follows from it). */
  let wasm: { report?: BackendReport; why?: Notice } | undefined;
  for (const entrant of entrants) {
    await nextMacrotask(); // lets a "stop" in between entrants
    if (deps.stopped()) {
      skip(entrant, notice('raceStopped'));
      continue;
    }
    const name: BackendName = entrant === 'wasm-1' ? 'wasm' : entrant;
    if (entrant === 'wasm-1' && wasm) {
      if (!wasm.report) {
        skip(entrant, wasm.why ?? notice('raceNotStarted'));
        continue;
      }
      if ((wasm.report.threads ?? 1) <= 1) {
        skip(entrant, notice('raceOneThread'));
        continue;
      }
    }
    let report: BackendReport;
    try {
      report = await deps.choose(name);
    } catch (e) {
      skip(entrant, notice('raceFailed', { error: noticeText('en', noticeOf(e)) }));
      continue;
    }
    if (report.name !== name) {
      const why = report.skipped.find((s) => s.name === name)?.notice ?? notice('raceNotStarted');
      if (name === 'wasm') wasm = { why };
      skip(entrant, why);
      continue;
    }
    if (name === 'wasm' && entrant === 'wasm') wasm = { report };
    const emulated = report.adapter?.isSoftware === true;
    if (emulated && !opts.includeEmulated) {
      skip(entrant, notice('raceEmulated'));
      continue;
    }
    holdGemmThreads(entrant === 'wasm-1');
    const model = createGPT(config, cfg.seed);
    let trainer: Trainer | undefined;
    try {
      trainer = new Trainer(model, live.data, cfg);
      const timing = await measureSteps(trainer, {
        warmup,
        steps: total - warmup,
        capMs: 120_000,
        between: nextMacrotask,
        onRead: (done) => {
          deps.post({ kind: 'raceProgress', entrant, step: Math.min(total, warmup + done), steps: total });
          return !deps.stopped();
        },
      });
      if (timing.steps === 0) {
        skip(entrant, notice('raceStopped'));
        continue;
      }
      const label = entrant === 'wasm-1' ? wasmLabel(1) : { label: report.label, labelNotice: report.labelNotice };
      const result: RaceResult = {
        entrant,
        ...label,
        emulated,
        msPerStep: timing.msPerStep,
        tokensPerSec: tokensPerSecond(timing.msPerStep, cfg.batchSize, config.blockSize),
        steps: warmup + timing.steps,
        firstLosses: timing.losses.slice(0, 5),
      };
      results.push(result);
      deps.post({ kind: 'raceResult', result });
    } catch (e) {
      skip(entrant, notice('raceFailed', { error: noticeText('en', noticeOf(e)) }));
    } finally {
      holdGemmThreads(false);
      trainer?.dispose();
      disposeGPT(model);
    }
  }
  return { results, skipped };
}
