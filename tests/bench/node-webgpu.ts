/**
 * npm run bench:node-webgpu [-- --presets cpu,baby] [--profile] [--no-reference] [--json]
 *
 * The benchmark on a real GPU where there is no browser: tfjs's WebGPU backend in Node,
 * on Dawn's Node binding (npm `webgpu`) over Vulkan. Same measurements as `npm run bench`
 * (tests/bench/measure.ts). Not installed by default (130 MB, and CI has no GPU):
 *
 *   npm install --no-save webgpu@0.6.2
 *   # plus a Vulkan loader and driver, e.g. apt-get install libvulkan1 (NVIDIA's driver
 *   # ships its ICD; VK_DRIVER_FILES=/path/to/nvidia_icd.json if it is not found)
 *   npm run bench:node-webgpu -- --presets cpu,baby
 *
 * Without a GPU, Chromium's SwiftShader Vulkan driver gives a software adapter that checks
 * the script end to end (not a GPU's speed; the label then says "software"):
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npm run bench:node-webgpu -- --presets nano
 *
 * Exits with status 2 and a sentence when the binding or a GPU adapter is missing.
 */
import * as tf from '@tensorflow/tfjs';
import { registerFolioKernels } from '../../src/kernels';
import type { ModelPresetName } from '../../src/config';
import { benchPreset } from './measure';
import { profiles, resultsTable, summary, type Results } from './report';
import { flag, has } from './args';

const json = has('json');
const presets = flag('presets', 'cpu,baby').split(',') as ModelPresetName[];
const log = json ? undefined : (s: string) => console.error(s);

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

interface DawnBinding {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}
// A variable specifier: `webgpu` is an optional install, so the type checker must not require it.
const specifier = 'webgpu';
const dawn = (await import(specifier).catch(() => null)) as DawnBinding | null;
if (!dawn) fail('npm package `webgpu` (Dawn for Node) is not installed: npm install --no-save webgpu@0.6.2');

// What a browser provides and tfjs-backend-webgpu looks for: navigator.gpu and the GPU* classes.
Object.assign(globalThis, dawn.globals);
const gpu = dawn.create([]);
Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: 'node' }, configurable: true });
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
if (!adapter) fail('No WebGPU adapter: is there a GPU with a Vulkan driver (libvulkan1, VK_DRIVER_FILES)?');
const info = (adapter as GPUAdapter & { info: { vendor: string; architecture: string; device: string; description: string } }).info;
const name = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.replace(/\s+/g, ' ').trim();
const software = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe/i.test(name);
const label = software ? `${name} (software: not a GPU's speed)` : name;
log?.(`adapter: ${label}`);

await import('@tensorflow/tfjs-backend-webgpu');
if (!(await tf.setBackend('webgpu'))) fail('tfjs could not start its WebGPU backend on this adapter.');
await tf.ready();
registerFolioKernels('webgpu');

const results: Results = {};
for (const preset of presets) {
  log?.(`webgpu / ${preset}`);
  (results[preset] ??= {}).webgpu = await benchPreset(preset, { log, profile: has('profile'), reference: !has('no-reference') });
}
if (json) console.log(JSON.stringify({ adapter: label, presets: results }));
else console.log([`adapter: ${label}`, '', ...resultsTable(results), '', ...summary(results), ...profiles(results)].join('\n'));
process.exit(0); // Dawn keeps the process alive otherwise
