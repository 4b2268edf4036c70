/**
 * The build step that writes dist/sw.js (see host/sw.js): the template with this build's
 * version (a hash of every emitted file's name and content, so any change to the build
 * is a new version) and the list of files to keep offline (every file of the build,
 * relative to sw.js, so the page works under any path).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

export const SW_FILE = 'sw.js';
const TEMPLATE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sw.js');

export function serviceWorker(): Plugin {
  return {
    name: 'folio-service-worker',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir!;
      const files = Object.keys(bundle).filter((f) => f !== SW_FILE && !f.endsWith('.map')).sort();
      const hash = createHash('sha256');
      for (const f of files) hash.update(f).update(readFileSync(path.join(dir, f)));
      const version = hash.digest('hex').slice(0, 12);
      const source = readFileSync(TEMPLATE, 'utf8').replace('__FOLIO_VERSION__', version).replace('__FOLIO_FILES__', JSON.stringify(files));
      writeFileSync(path.join(dir, SW_FILE), source);
    },
  };
}
