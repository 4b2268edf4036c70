/**
 * npm run bench [-- --json] [--backends webgpu,webgl,wasm,cpu] [--presets nano,cpu]
 *                [--profile] [--no-reference] [--headed] [--chrome PATH] [--pytorch [--python PATH]]
 *
 * Trains each preset on each backend in headless Chromium (WebGPU enabled) and prints
 * ms/step, tokens/s, training GFLOP/s, the backend's own matMul GFLOP/s, mfu (the
 * model's training FLOP/s as a fraction of that), the fast formulation's speed-up over
 * the reference one, and prompt → ranked-words latency. --profile adds the top kernels
 * of one step; --pytorch times tests/bench/pytorch_reference.py's step first (1 and 2 threads), so
 * the ratio to PyTorch comes from the same sitting. Not a test: timings vary; compare within one run.
 */
import { launchChromium, startServer } from '../browser/chromium';
import { profiles, resultsTable, summary } from './report';
import { flag, has } from './args';
import { timePytorch } from './pytorch';

const json = has('json');
const backends = flag('backends', 'webgpu,webgl,wasm,cpu').split(',');
const presets = flag('presets', 'nano,cpu').split(',');
if (has('chrome')) process.env.CHROMIUM_PATH = flag('chrome', '');

const pytorch = has('pytorch') ? timePytorch(flag('python', 'python3')) : undefined;
if (pytorch && !json)
  console.error(`PyTorch ${pytorch.version ?? ''}: ${JSON.stringify(pytorch.byThreads)} ms/step${pytorch.missing ? ` (${pytorch.missing})` : ''}`);
const { url, server } = await startServer();
const browser = await launchChromium({ webgpu: true, headed: has('headed') });
const page = await browser.newPage();
let shown = 0;
const timer = setInterval(async () => {
  const lines = await page.evaluate(() => window.benchLog ?? []).catch(() => [] as string[]);
  for (; shown < lines.length; shown++) if (!json) console.error(lines[shown]);
}, 500);
try {
  await page.goto(`${url}tests/bench/bench.html`);
  await page.waitForFunction(() => typeof window.runBench === 'function');
  const opts = { profile: has('profile'), reference: !has('no-reference') };
  const result = (await page.evaluate(([b, p, o]) => window.runBench(b as never, p as never, o), [backends, presets, opts] as const)) as {
    presets: Record<string, Record<string, Record<string, number>>>;
    labels: Record<string, string>;
  };
  clearInterval(timer);
  if (!json) for (const line of (await page.evaluate(() => window.benchLog)).slice(shown)) console.error(line);
  if (json) {
    console.log(JSON.stringify({ presets: result.presets, ...(pytorch ? { pytorch } : {}) }));
  } else {
    console.log(resultsTable(result.presets as never).join('\n'));
    for (const [b, label] of Object.entries(result.labels)) console.log(`${b}: ${label}`);
    for (const [preset, byBackend] of Object.entries(result.presets)) {
      const base = byBackend.cpu?.msPerStep;
      if (base)
        for (const [b, row] of Object.entries(byBackend))
          if (b !== 'cpu') console.log(`${preset}: ${b} is ${(base / row.msPerStep!).toFixed(1)}× the cpu backend's speed`);
    }
    console.log([...summary(result.presets as never, pytorch), ...profiles(result.presets as never)].join('\n'));
  }
} finally {
  clearInterval(timer);
  await browser.close();
  await server.close();
}
