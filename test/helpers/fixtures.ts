import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures');

/** The raw bytes of a fixture file. */
export const fixtureBytes = (name: string): Buffer => readFileSync(join(FIXTURES, name));

/** A fresh, mutable copy of a JSON fixture: change one visible thing per test. */
export const fixtureJson = <T = Record<string, any>>(name: string): T =>
  structuredClone(JSON.parse(fixtureBytes(name).toString('utf8')) as T);

export const encodeJson = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
