import type { StatisticsResponse } from '../statistics-schema';

/** An alert that fired during the digest's day, as the alert store recorded it. */
export interface FiredAlert {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: 'warn' | 'crit';
  /** ISO instant the alert fired. */
  readonly at: string;
  /** ISO instant it recovered; absent while it is still firing. */
  readonly resolvedAt?: string;
}

/** Everything one digest is built from; the caller fetches and reads, the digest only formats. */
export interface DigestInput {
  /** 'YYYY-MM-DD', the account-local day the digest is about. */
  readonly date: string;
  /** IANA zone of the account: hours and alert times are shown in it. */
  readonly timeZone: string;
  /** The whole day: realtime daily (+ hourly) rows and the offline T+1 section. */
  readonly day: StatisticsResponse;
  /** The day before, when the archive or the API had it. */
  readonly previousDay?: StatisticsResponse;
  /** The same weekday a week earlier, when available. */
  readonly weekAgo?: StatisticsResponse;
  readonly alertsFired: ReadonlyArray<FiredAlert>;
  /** Where the raw response of `day` sits, e.g. an s3:// URI. */
  readonly archiveLocation: string;
  /** Stories, intentions, reasons… shown before the rest is folded into "others". */
  readonly topN: number;
}
