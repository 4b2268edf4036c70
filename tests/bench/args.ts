/** The bench scripts' command line: `--name value` options and bare `--switch`es. */
const args = process.argv.slice(2);

/** The value after `--name`, or `fallback`. */
export function flag(name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

/** Whether `--name` was given. */
export function has(name: string): boolean {
  return args.includes(`--${name}`);
}
