/**
 * The order test files start in (vite.config.ts `sequence.sequencer`): vitest's own order
 * (group by group, project by project), and within a project the longest files first, so the
 * two workers do not end the project with one long file running alone. vitest orders by the
 * last run's durations when its cache has them (node_modules/.vite/vitest); a fresh clone has
 * none, and vitest then goes by file size, which starts the longest page test (webgpuKernels,
 * the smallest file) last and the learning tests after the quick ones. The seconds below are
 * from full runs on 2 cores (under load): rough, only their order matters. Files not listed
 * follow the listed ones, in vitest's order. Not a test.
 */
import path from 'node:path';
import type { TestSequencer, TestSpecification, Vitest } from 'vitest/node';

const SECONDS: Record<string, number> = {
  // unit (the setup in beforeAll counted)
  'tests/unit/finetuneCliDesign.test.ts': 130,
  'tests/unit/finetuneDesign.test.ts': 125,
  'tests/unit/gpt2Hub.test.ts': 115,
  'tests/unit/loraCli.test.ts': 84,
  'tests/unit/learn-dna.test.ts': 82,
  'tests/unit/finetuneCli.test.ts': 82,
  'tests/unit/cli.test.ts': 70,
  'tests/unit/huggingface.test.ts': 67,
  'tests/unit/rlhfSeeds.test.ts': 60,
  'tests/unit/rewind.test.ts': 53,
  'tests/unit/learn-fox.test.ts': 50,
  'tests/unit/learn-shakespeare.test.ts': 45,
  'tests/unit/sizeAdvice.test.ts': 37,
  'tests/unit/kvCache.test.ts': 22,
  'tests/unit/session.test.ts': 17,
  'tests/unit/byteBpe.test.ts': 16,
  'tests/unit/nanogptRecipe.test.ts': 15,
  'tests/unit/fast.test.ts': 13,
  // browser
  'tests/browser/webgpuKernels.test.ts': 150,
  'tests/browser/faults.test.ts': 136,
  'tests/browser/runs.test.ts': 108,
  'tests/browser/worker.test.ts': 103,
  'tests/browser/firstMinutes.test.ts': 103,
  'tests/browser/playground.test.ts': 90,
  'tests/browser/currentModel.test.ts': 81,
  'tests/browser/rewind.test.ts': 69,
  'tests/browser/race.test.ts': 57,
  'tests/browser/dna.test.ts': 57,
  'tests/browser/host.test.ts': 40,
  'tests/browser/gpt2Lora.test.ts': 35,
  'tests/browser/tour.test.ts': 31,
  'tests/browser/inside.test.ts': 31,
  'tests/browser/gpt2.test.ts': 25,
  'tests/browser/tuneCost.test.ts': 24,
  'tests/browser/finetune.test.ts': 21,
  'tests/browser/compareRuns.test.ts': 19,
};

export class LongestFirst implements TestSequencer {
  constructor(private readonly ctx: Vitest) {}

  /** vitest's own sequencer, imported when a run needs it (vite.config.ts also configures `vite build`). */
  private async base(): Promise<TestSequencer> {
    const { BaseSequencer } = await import('vitest/node');
    return new BaseSequencer(this.ctx);
  }

  async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    return (await this.base()).shard(files);
  }

  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await (await this.base()).sort(files);
    const seconds = (f: TestSpecification) => SECONDS[path.relative(this.ctx.config.root, f.moduleId).split(path.sep).join('/')] ?? 0;
    // Within each project's run of files (vitest keeps a project's files together), longest first;
    // a stable sort, so unlisted files keep vitest's order.
    const out: TestSpecification[] = [];
    for (let i = 0; i < sorted.length;) {
      let j = i;
      while (j < sorted.length && sorted[j]!.project === sorted[i]!.project) j++;
      out.push(...sorted.slice(i, j).sort((a, b) => seconds(b) - seconds(a)));
      i = j;
    }
    return out;
  }
}
