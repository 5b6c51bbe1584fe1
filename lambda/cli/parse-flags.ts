import { parseArgs } from 'node:util';
import { UsageError } from './usage-error';

type FlagSpec = Record<string, { type: 'string' | 'boolean' }>;

/** node:util parseArgs with errors that name the flag, as UsageError. */
export function parseFlags<Spec extends FlagSpec>(args: ReadonlyArray<string>, spec: Spec) {
  try {
    return parseArgs({ args: [...args], options: spec, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** The value of a required string flag, or a UsageError naming it. */
export function requireFlag(value: string | boolean | undefined, flag: string, form: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError(`--${flag} is required (${form})`);
  return value;
}
