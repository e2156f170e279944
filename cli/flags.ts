import { parseArgs } from 'node:util';
import { InputError } from '../core/errors';

// Flag parsing shared by the `dfl` commands: unknown flags refused, every number checked against
// its range, and a negative number after a flag taken as its value (so `--runs -1` says what is
// wrong with -1 instead of calling it an ambiguous flag).

type Options = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string; readonly multiple?: boolean }>>;

/** `parseArgs`, strict, after joining `--flag -1` into `--flag=-1` for the string flags. */
export function parseFlags<O extends Options>(args: readonly string[], options: O, allowPositionals = false) {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : undefined;
    const next = args[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(`--${name}=${next}`);
      i++;
    } else joined.push(args[i]);
  }
  return parseArgs({ args: joined, options, allowPositionals, strict: true });
}

/** Refuses positional arguments where a command takes none. */
export function noPositionals(command: string, positionals: readonly string[]): void {
  if (positionals.length > 0) throw new InputError(`dfl ${command}: unexpected argument ${JSON.stringify(positionals[0])}`);
}

/** An integer flag in [min, max] (decimal digits only: no 1e9, no 0x10, no 2.0), or its default. */
export function integerFlag(flag: string, value: string | undefined, range: { min: number; max: number; fallback: number }): number {
  if (value === undefined) return range.fallback;
  const n = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new InputError(`${flag}: expected an integer from ${range.min} to ${range.max}, got ${JSON.stringify(value)}`);
  if (n < range.min || n > range.max) throw new InputError(`${flag}: must be from ${range.min} to ${range.max} (got ${n})`);
  return n;
}
