/** Minimal, strict argument parsing shared by the training CLIs. */

export interface ParsedArgs {
  /** `--config file.json` (repeatable), applied in order. */
  configFiles: string[];
  /** Every other `--key value` / `--key=value` / bare `--flag` (value ''). */
  flags: Record<string, string>;
  help: boolean;
  positionals: string[];
}

/** Flags that never take a value (so `--original-labels DIR` leaves DIR a positional). */
const BOOLEAN_FLAGS = new Set(['help', 'h', 'resume', 'fresh', 'quiet', 'original-labels', 'keep-unlabelled']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { configFiles: [], flags: {}, help: false, positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (!a.startsWith('-')) {
      out.positionals.push(a);
      continue;
    }
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    let key = eq >= 0 ? body.slice(0, eq) : body;
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (BOOLEAN_FLAGS.has(key)) value = '';
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) value = '';
      else {
        value = next;
        i++;
      }
    }
    if (key === 'h') key = 'help';
    if (key === 'help') out.help = true;
    else if (key === 'config') out.configFiles.push(value);
    else out.flags[key] = value;
  }
  return out;
}

/** A `--key true|false` flag the CLI handles itself; `fallback` when absent. */
export function booleanFlag(flags: Readonly<Record<string, string>>, key: string, fallback: boolean): boolean {
  const raw = flags[key];
  if (raw === undefined) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new Error(`--${key} must be true or false, got ${raw}`);
  return raw === 'true';
}

/** Removes and returns a flag the CLI handles itself (not a config key). */
export function takeFlag(args: ParsedArgs, key: string): string | undefined {
  const v = args.flags[key];
  delete args.flags[key];
  return v;
}

/** Renders a config's defaults as help text lines: `--a.b  value`. */
export function describeDefaults(obj: object, prefix = ''): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) lines.push(...describeDefaults(v, key));
    else lines.push(`  --${key.padEnd(22)} ${JSON.stringify(v)}`);
  }
  return lines;
}
