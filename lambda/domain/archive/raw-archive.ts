import { compactUtc } from '../shared/local-time';
import type { QueryWindow } from '../statistics/query-window';
import type { FetchedStatistics } from '../statistics/stats-source';

/**
 * Layout of the raw archive, the auditors' record of every response:
 *
 *   raw/<kind>/<local date>/<reference time UTC>_<window start>_<window end>.json
 *
 * `kind` is the run that fetched it (check: the day so far; window: a rule's rolling window, fetched by
 * the same check; day: a whole local day, for digests and backfills; fetch: an ad-hoc window), the date is the account-local date of the window, and the
 * reference time is the scheduled time (or, without a schedule, the window's end), so keys are
 * deterministic and sort by time within a day.
 */
export const RAW_PREFIX = 'raw/';
export const RUN_KINDS = ['check', 'window', 'day', 'fetch'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export interface RawKeyParts {
  readonly kind: RunKind;
  readonly date: string;
  readonly referenceTime: Date;
  readonly window: Pick<QueryWindow, 'startTime' | 'endTime'>;
}

const compactLocal = (wallClock: string) => wallClock.replace(/[-:]/g, '').replace(' ', 'T');
const expandLocal = (compact: string) =>
  compact.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/, '$1-$2-$3 $4:$5:$6');

export function rawKey(parts: RawKeyParts): string {
  const { kind, date, referenceTime, window } = parts;
  return `${RAW_PREFIX}${kind}/${date}/${compactUtc(referenceTime)}_${compactLocal(window.startTime)}_${compactLocal(window.endTime)}.json`;
}

const KEY_PATTERN =
  /^raw\/(check|window|day|fetch)\/(\d{4}-\d{2}-\d{2})\/(\d{8}T\d{6}Z)_(\d{8}T\d{6})_(\d{8}T\d{6})\.json$/;

/** The parts of a raw key; undefined for anything that is not one. */
export function parseRawKey(key: string): RawKeyParts | undefined {
  const match = KEY_PATTERN.exec(key);
  if (!match) return undefined;
  const [, kind, date, stamp, start, end] = match as unknown as [
    string,
    RunKind,
    string,
    string,
    string,
    string,
  ];
  const iso = stamp.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
  return {
    kind,
    date,
    referenceTime: new Date(iso),
    window: { startTime: expandLocal(start), endTime: expandLocal(end) },
  };
}

/** Metadata recorded with every raw object (S3 user metadata or the folder sidecar). */
export const RAW_METADATA_FIELDS = [
  'sha256',
  'run-kind',
  'reference-time',
  'window-start',
  'window-end',
  'time-zone',
  'fetched-at',
  'http-status',
  'schema-verdict',
  'schema-issues',
] as const;
export type RawMetadata = Record<(typeof RAW_METADATA_FIELDS)[number], string>;

export interface ArchiveRequest {
  readonly kind: RunKind;
  readonly window: QueryWindow;
  readonly referenceTime: Date;
  readonly fetched: FetchedStatistics;
}

/** Where a fetched response is archived: its key follows from the run alone. */
export const rawKeyOf = ({ kind, window, referenceTime }: ArchiveRequest): string =>
  rawKey({ kind, date: window.date, referenceTime, window });

/** The record kept with the response's bytes; `sha256` is the hash of exactly those bytes. */
export function rawMetadata(request: ArchiveRequest, sha256: string): RawMetadata {
  const { kind, window, referenceTime, fetched } = request;
  const issues = fetched.parsed.verdict === 'valid' ? 0 : fetched.parsed.error.issues.length;
  return {
    sha256,
    'run-kind': kind,
    'reference-time': referenceTime.toISOString(),
    'window-start': window.startTime,
    'window-end': window.endTime,
    'time-zone': window.timeZone,
    'fetched-at': fetched.fetchedAt.toISOString(),
    'http-status': String(fetched.httpStatus),
    'schema-verdict': fetched.parsed.verdict,
    'schema-issues': String(issues),
  };
}
