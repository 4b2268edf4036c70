/**
 * The notices about backends, in English and Portuguese: why one was skipped, the label
 * of the one that runs, and the backend race and size sweep (worker/raceJob.ts,
 * worker/sweepJob.ts).
 */
export const en = {
  // why a backend was skipped
  bkNoWebGpu: () => 'this browser has no WebGPU (navigator.gpu is missing)',
  bkAdapterFailed: (p: { error: string }) => `requesting a WebGPU adapter failed: ${p.error}`,
  bkNoAdapter: () => 'no WebGPU adapter is available (no supported GPU, or WebGPU is disabled)',
  bkNoOffscreen: () => 'no OffscreenCanvas here, so no WebGL',
  bkNoWebGl2: () => 'WebGL2 is not available',
  bkFailedBefore: () => 'it failed during this session',
  bkSoftwareGpu: () => 'the only WebGPU adapter is software emulation (SwiftShader), much slower than wasm',
  bkWebGpuLoad: (p: { error: string }) => `the WebGPU backend could not load: ${p.error}`,
  bkNotBundled: () => 'the WebGPU backend is not bundled here',
  bkStartFailed: (p: { backend: string; error: string }) => `${p.backend} it failed to start${p.error ? `: ${p.error}` : ''}`,
  bkSoftwareGl: (p: { renderer: string }) => `WebGL runs on a software renderer (${p.renderer}), slower than wasm`,
  bkNoWasm: () => 'this environment has no WebAssembly',
  // what runs
  lblWebGpu: (p: { adapter: string }) => `WebGPU — ${p.adapter}`,
  lblSoftware: (p: { backend: string }) => `${p.backend} — software emulation, slow`,
  lblWebGl: (p: { renderer: string }) => `WebGL — ${p.renderer}`,
  lblWasm: (p: { threads: number; why: string }) =>
    `wasm (CPU) — ${p.threads} thread${p.threads === 1 ? '' : 's'}${p.why === 'isolation' ? ' (page not cross-origin isolated)' : p.why ? `: ${p.why}` : ''}`,
  lblCpu: () => 'CPU (plain JavaScript) — slowest',
  // the backend race and the size sweep
  raceEmulated: () => 'emulated on the CPU (a software GPU): tick “include emulated” to race it',
  raceNotStarted: () => 'it did not start here',
  raceOneThread: () => 'wasm already runs on one thread here, in the row above',
  raceFailed: (p: { error: string }) => `it failed during the race: ${p.error}`,
  raceStopped: () => 'the race was stopped before its turn',
  experimentBusy: () => 'A race or sweep is already running: wait for it, or stop it.',
  experimentFailed: (p: { error: string }) => `The experiment stopped: ${p.error}`,
};

export const pt = {
  // why a backend was skipped
  bkNoWebGpu: () => 'este navegador não tem WebGPU (navigator.gpu não existe)',
  bkAdapterFailed: (p) => `pedir um adaptador WebGPU falhou: ${p.error}`,
  bkNoAdapter: () => 'nenhum adaptador WebGPU disponível (GPU não suportada, ou WebGPU desligado)',
  bkNoOffscreen: () => 'sem OffscreenCanvas aqui, então sem WebGL',
  bkNoWebGl2: () => 'WebGL2 não está disponível',
  bkFailedBefore: () => 'falhou durante esta sessão',
  bkSoftwareGpu: () => 'o único adaptador WebGPU é emulação em software (SwiftShader), bem mais lento que wasm',
  bkWebGpuLoad: (p) => `o backend WebGPU não pôde carregar: ${p.error}`,
  bkNotBundled: () => 'o backend WebGPU não vem incluído aqui',
  bkStartFailed: (p) => `${p.backend} não conseguiu iniciar${p.error ? `: ${p.error}` : ''}`,
  bkSoftwareGl: (p) => `o WebGL roda num renderizador em software (${p.renderer}), mais lento que wasm`,
  bkNoWasm: () => 'este ambiente não tem WebAssembly',
  // what runs
  lblWebGpu: (p) => `WebGPU — ${p.adapter}`,
  lblSoftware: (p) => `${p.backend} — emulação em software, lenta`,
  lblWebGl: (p) => `WebGL — ${p.renderer}`,
  lblWasm: (p) =>
    `wasm (CPU) — ${p.threads} ${p.threads === 1 ? 'linha de execução' : 'linhas de execução'}${p.why === 'isolation' ? ' (página sem isolamento de origem cruzada)' : p.why ? `: ${p.why}` : ''}`,
  lblCpu: () => 'CPU (JavaScript puro) — o mais lento',
  // the backend race and the size sweep
  raceEmulated: () => 'emulado na CPU (uma GPU em software): marque “incluir emulados” para incluí-lo na corrida',
  raceNotStarted: () => 'não iniciou aqui',
  raceOneThread: () => 'o wasm já roda numa linha de execução aqui, na linha acima',
  raceFailed: (p) => `falhou durante a corrida: ${p.error}`,
  raceStopped: () => 'a corrida foi interrompida antes da vez dele',
  experimentBusy: () => 'Já há uma corrida ou varredura em andamento: espere por ela ou interrompa-a.',
  experimentFailed: (p) => `O experimento parou: ${p.error}`,
} satisfies typeof en;
