import type { ObjectStore } from '../domain/archive/object-store';
import {
  CURATED_PREFIX,
  curatedKey,
  parseCuratedKey,
  RAW_CURATED_TABLES,
} from '../domain/curated/curated-tables';
import { expectedCuration } from './curate';
import { forEachConcurrently } from './run-concurrently';

/** One problem or note: `subject` is a relative key (`raw/day/…`, `curated/…`) or a date. */
export interface Finding {
  readonly subject: string;
  readonly message: string;
}

/**
 * The curated half of `verify`: every curated object must hold exactly what `curate` derives from
 * the newest valid whole-day response of its date, and each record's source_sha256 must be the
 * sha256 of the raw object it names. So an edited figure, a changed or removed line, a record built
 * from a response that is no longer the newest, or a curated object whose raw is gone are all caught.
 */
export interface CuratedVerification {
  readonly objects: number;
  readonly problems: readonly Finding[];
  readonly notes: readonly Finding[];
}

export async function verifyCurated(
  store: ObjectStore,
  options: {
    readonly inRange: (date: string) => boolean;
    /** Dates with a whole-day response archived: one without curated objects gets a note. */
    readonly daysArchived: ReadonlySet<string>;
    readonly concurrency: number;
  },
): Promise<CuratedVerification> {
  const problems: Finding[] = [];
  const notes: Finding[] = [];
  const keysByDate = new Map<string, string[]>();
  for (const key of await store.list(CURATED_PREFIX)) {
    const parts = parseCuratedKey(key);
    if (parts === undefined) {
      problems.push({
        subject: key,
        message:
          'not a curated key (curated/<daily|hourly|distributions|alert_episodes>/date=<date>/<table>.ndjson)',
      });
    } else if (parts.table === 'alert_episodes') {
      // From the alert state, not from raw: nothing in raw/ to check it against.
    } else if (options.inRange(parts.date)) {
      keysByDate.set(parts.date, [...(keysByDate.get(parts.date) ?? []), key]);
    }
  }

  await forEachConcurrently([...keysByDate], options.concurrency, async ([date, keys]) => {
    const expected = await expectedCuration(store, date);
    if (expected === undefined) {
      for (const key of keys) {
        problems.push({
          subject: key,
          message: `no valid whole-day response under raw/day/${date}/ to derive it from`,
        });
      }
      return;
    }
    for (const table of RAW_CURATED_TABLES) {
      const key = curatedKey(table, date);
      const object = keys.includes(key) ? await store.get(key) : undefined;
      if (object === undefined) {
        problems.push({ subject: key, message: `missing beside the other tables of ${date}` });
        continue;
      }
      const want = expected.objects.get(key) ?? new Uint8Array();
      const difference = describeDifference(object.bytes, want, expected.sourceKey, expected.sourceSha256);
      if (difference !== undefined) problems.push({ subject: key, message: difference });
    }
  });

  for (const date of options.daysArchived) {
    if (options.inRange(date) && !keysByDate.has(date)) {
      notes.push({
        subject: date,
        message: `not curated: run "airudder-monitor curate --from ${date} --to ${date}"`,
      });
    }
  }
  const objects = [...keysByDate.values()].reduce((sum, keys) => sum + keys.length, 0);
  return { objects, problems, notes };
}

/** Why `stored` is not `want`, naming the first line and column that differ; undefined when equal. */
export function describeDifference(
  stored: Uint8Array,
  want: Uint8Array,
  sourceKey: string,
  sourceSha256: string,
): string | undefined {
  if (Buffer.from(stored).equals(want)) return undefined;
  const decoder = new TextDecoder();
  const storedLines = decoder.decode(stored).split('\n').filter(Boolean);
  const wantLines = decoder.decode(want).split('\n').filter(Boolean);
  for (let index = 0; index < Math.max(storedLines.length, wantLines.length); index++) {
    const line = index + 1;
    const storedLine = storedLines[index];
    const wantLine = wantLines[index];
    if (storedLine === wantLine) continue;
    if (storedLine === undefined || wantLine === undefined) break;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(storedLine) as Record<string, unknown>;
    } catch {
      return `line ${line} is not JSON (curate would write it from ${sourceKey})`;
    }
    const expected = JSON.parse(wantLine) as Record<string, unknown>;
    if (record.source_key !== expected.source_key) {
      return `line ${line} was built from ${String(record.source_key)}, but the newest valid whole-day response is ${sourceKey}: run curate for this date`;
    }
    if (record.source_sha256 !== expected.source_sha256) {
      return `line ${line}: source_sha256 ${String(record.source_sha256)} is not the sha256 of ${sourceKey} (${sourceSha256})`;
    }
    const column = Object.keys({ ...expected, ...record }).find(
      (name) => JSON.stringify(record[name]) !== JSON.stringify(expected[name]),
    );
    return column === undefined
      ? `line ${line} is not written as curate writes it (from ${sourceKey})`
      : `line ${line}, ${column}: ${JSON.stringify(record[column])} where ${sourceKey} gives ${JSON.stringify(expected[column])}`;
  }
  return `${storedLines.length} records where ${sourceKey} gives ${wantLines.length}`;
}
