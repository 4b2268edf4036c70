/**
 * The Hugging Face cache folder in Node, as `huggingface_hub` lays it out, so the CLI and
 * Python share downloads: `{cache}/models--{owner}--{name}/refs/main` holds the commit, and
 * `snapshots/{commit}/{file}` the files (written as plain files, as huggingface_hub does where
 * links are not available). The folder is `HF_HUB_CACHE`, else `$HF_HOME/hub`, else
 * `~/.cache/huggingface/hub`; `--hub` reads it first and downloads only what it lacks.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HubCache } from '../checkpoint/hub';

export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HF_HOME) return path.join(env.HF_HOME, 'hub');
  return path.join(os.homedir(), '.cache', 'huggingface', 'hub');
}

export function folderCache(root = hubCacheDir()): HubCache {
  const repoDir = (repo: string) => path.join(root, `models--${repo.replace('/', '--')}`);
  const commit = async (repo: string) => (await readFile(path.join(repoDir(repo), 'refs', 'main'), 'utf8').catch(() => '')).trim();
  const fileOf = async (repo: string, file: string) => {
    const c = await commit(repo);
    return c && /^[A-Za-z0-9._-]+$/.test(c) ? path.join(repoDir(repo), 'snapshots', c, file) : undefined;
  };
  return {
    async get(repo, file) {
      const p = await fileOf(repo, file);
      const b = p ? await readFile(p).catch(() => undefined) : undefined;
      return b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : undefined;
    },
    async size(repo, file) {
      const p = await fileOf(repo, file);
      const s = p ? await stat(p).catch(() => undefined) : undefined;
      return s?.isFile() ? s.size : undefined;
    },
    async put(repo, file, bytes, sha) {
      const c = (sha && /^[A-Za-z0-9._-]+$/.test(sha) ? sha : undefined) ?? ((await commit(repo)) || 'main');
      const dir = path.join(repoDir(repo), 'snapshots', c);
      await mkdir(dir, { recursive: true });
      const tmp = path.join(dir, `.${file}.${process.pid}.part`);
      await writeFile(tmp, bytes);
      await rename(tmp, path.join(dir, file)); // a file is there whole or not at all
      await mkdir(path.join(repoDir(repo), 'refs'), { recursive: true });
      await writeFile(path.join(repoDir(repo), 'refs', 'main'), c);
    },
  };
}
