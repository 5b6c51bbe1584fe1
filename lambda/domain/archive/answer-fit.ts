import type { QueryWindow } from '../statistics/query-window';
import {
  type ParsedStatistics,
  parseStatistics,
  ResponseValidationError,
  type SchemaIssue,
  type StatisticsResponse,
} from '../statistics/schema';
import type { RawKeyParts } from './raw-archive';

/**
 * A response can fit the schema and still not answer the request: `{"code":200,"data":{}}` has no
 * figures at all, and a day-so-far answer to a 60-minute request makes a quiet hour look like a
 * surge. For the responses the alert rules judge (a check's day so far, a rule's rolling window)
 * both are failures: archived like any invalid response, and counted toward "monitor degraded"
 * instead of passing as a quiet night. Pure.
 */

/** The run kinds whose responses the alert rules judge figure by figure. */
const JUDGED_KINDS: ReadonlySet<RawKeyParts['kind']> = new Set(['check', 'window']);

/** What a response was fetched for: the run kind and the window asked for. */
export interface AnswerRequest {
  readonly kind: RawKeyParts['kind'];
  readonly window: Pick<QueryWindow, 'startTime' | 'endTime'>;
}

/** Thrown when a response that fits the schema does not answer the request it was fetched for. */
export class UnansweredRequestError extends ResponseValidationError {
  constructor(message: string, issues: ReadonlyArray<SchemaIssue>, options?: ErrorOptions) {
    super(message, issues, options);
    this.name = 'UnansweredRequestError';
  }
}

/** 'YYYY-MM-DD HH:mm:ss' from what an API may send ('T' separator, fractions, a zone suffix). */
const wallClockOf = (text: string) => text.trim().replace('T', ' ').slice(0, 19);

/** Why `statistics` does not answer `request`; empty when it does (or its kind is not judged). */
export function answerIssues(statistics: StatisticsResponse, request: AnswerRequest): SchemaIssue[] {
  if (!JUDGED_KINDS.has(request.kind)) return [];
  const issues: SchemaIssue[] = [];
  const realtime = statistics.data.realtime ?? undefined;
  const totalCalls = realtime?.total?.total_calls;
  if (typeof totalCalls !== 'number') {
    issues.push({
      path: 'data.realtime.total.total_calls',
      message: `missing: a ${request.kind} needs the realtime total of the window it asked for`,
    });
  }
  // What the figures cover: the realtime section's own range, else the echoed request.
  const covered = realtime?.time_range ?? statistics.request_params ?? undefined;
  const path = realtime?.time_range ? 'data.realtime.time_range' : 'request_params';
  const [start, end] = [covered?.start_time, covered?.end_time];
  const { startTime, endTime } = request.window;
  if (start !== undefined && end !== undefined) {
    if (wallClockOf(start) !== startTime || wallClockOf(end) !== endTime) {
      issues.push({
        path,
        message: `covers ${start} to ${end}, not the window asked for (${startTime} to ${endTime})`,
      });
    }
  }
  return issues;
}

/** A parse verdict, turned invalid when a valid response does not answer `request`. */
export function judgeAnswer(parsed: ParsedStatistics, request: AnswerRequest): ParsedStatistics {
  if (parsed.verdict !== 'valid') return parsed;
  const issues = answerIssues(parsed.value, request);
  if (issues.length === 0) return parsed;
  const shown = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return {
    verdict: 'invalid',
    error: new UnansweredRequestError(`Statistics response does not answer the request: ${shown}`, issues),
  };
}

/** Archived bytes read as the answer to the request their key names. */
export const parseAnswer = (bytes: Uint8Array, request: AnswerRequest): ParsedStatistics =>
  judgeAnswer(parseStatistics(bytes), request);
