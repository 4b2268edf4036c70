/**
 * Command-line plumbing shared by the CLI scripts: `--flag value` parsing with clear
 * one-line errors, and a `main` wrapper that turns any failure into one line on
 * stderr and a non-zero exit — never a stack trace.
 */

export class UsageError extends Error {
  override name = 'UsageError';
}

export type Flags = Map<string, string>;

/** Parse `--name value` pairs; every flag must be one of `known`; a `switches` flag takes no value (its value is "yes"). */
export function parseFlags(argv: string[], known: readonly string[], usage: string, switches: readonly string[] = []): Flags {
  const flags: Flags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') throw new UsageError(usage);
    if (!a.startsWith('--')) throw new UsageError(`Unexpected argument "${a}". ${usage}`);
    const name = a.slice(2);
    if (switches.includes(name)) {
      flags.set(name, 'yes');
      continue;
    }
    if (!known.includes(name)) throw new UsageError(`Unknown option --${name}. ${usage}`);
    const value = argv[i + 1];
    if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new UsageError(`--${name} needs a value. ${usage}`);
    flags.set(name, value);
    i++;
  }
  return flags;
}

export function required(flags: Flags, name: string, usage: string): string {
  const v = flags.get(name);
  if (v === undefined || v === '') throw new UsageError(`Missing --${name}. ${usage}`);
  return v;
}

export function intFlag(flags: Flags, name: string, fallback: number, min = 0): number {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min} (got "${v}").`);
  return n;
}

export function numFlag(flags: Flags, name: string, fallback: number): number {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number (got "${v}").`);
  return n;
}

export function oneOf<T extends string>(flags: Flags, name: string, options: readonly T[], fallback: T): T {
  const v = flags.get(name) ?? fallback;
  if (!(options as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${options.join(', ')} (got "${v}").`);
  return v as T;
}

/** Run a CLI body; any error becomes one line on stderr and exit code 1 (2 for usage). */
export function main(body: () => Promise<void>): void {
  body().then(
    () => process.exit(0),
    (e: unknown) => {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`error: ${msg.split('\n')[0]}\n`);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}
