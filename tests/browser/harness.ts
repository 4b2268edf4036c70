/** Test page: the real worker behind the real client, with every event logged on window. */
import { TrainerClient } from '../../src/worker/client';
import type { FromWorker, ToWorker } from '../../src/worker/protocol';

const log: FromWorker[] = [];
const client = new TrainerClient((m) => log.push(m));

declare global {
  interface Window {
    folio: { log: FromWorker[]; send: (m: ToWorker) => void; ready: boolean };
  }
}
window.folio = { log, send: (m) => client.send(m), ready: true };
