import * as z from 'zod';
import { errorEnvelope } from './faults';
import type { Incident } from './incidents';
import {
  type FinishedHourCache,
  generateStatisticsBody,
  InvalidStatisticsQueryError,
} from './statistics-generator';
import { secretsMatch, type TokenStore } from './token-store';

/** What a route answers before any fault is applied. */
export interface Reply {
  readonly status: number;
  /** The `code` inside the body. */
  readonly bodyCode: number;
  readonly body: string;
}

export interface RouteContext {
  readonly appKey: string;
  readonly appSecret: string;
  readonly timeZone: string;
  readonly seed: number;
  readonly now: () => Date;
  readonly incidents: readonly Incident[];
  readonly callsPerHourPeak: number | undefined;
  readonly tokens: TokenStore;
  readonly finishedHours: FinishedHourCache;
}

const error = (status: number, bodyCode: number, message: string): Reply => ({
  status,
  bodyCode,
  body: errorEnvelope(bodyCode, message),
});

/** Exact capitals, as documented; absent or non-string values are simply wrong credentials. */
const CredentialsSchema = z.object({ APPKey: z.string(), APPSecret: z.string() });

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * POST /service/cloud/auth. Wrong or missing credentials answer HTTP 200 with body code 401: the
 * real API documents only body codes for this, and the body code is what a client must check
 * anyway; a body that is not JSON answers HTTP 400 with body code 400.
 */
export function answerAuth(rawBody: string, context: RouteContext): Reply {
  const parsed = parseJson(rawBody);
  if (!parsed.ok) return error(400, 400, 'request body must be JSON {"APPKey": ..., "APPSecret": ...}');
  const fields = CredentialsSchema.safeParse(parsed.value);
  const keyMatches = fields.success && secretsMatch(fields.data.APPKey, context.appKey);
  const secretMatches = fields.success && secretsMatch(fields.data.APPSecret, context.appSecret);
  if (!keyMatches || !secretMatches) return error(200, 401, 'invalid APPKey or APPSecret');
  const body = JSON.stringify({ data: { token: context.tokens.issue() }, status: 'OK', code: 200 });
  return { status: 200, bodyCode: 200, body };
}

const TOKEN_HEADER = /^Token (\S+)$/;

/** GET /service/cloud/inbound/dashboard/statistics: HTTP 401 without a valid token, 400 for bad times. */
export function answerStatistics(
  query: URLSearchParams,
  authorization: string | undefined,
  context: RouteContext,
): Reply {
  const token = TOKEN_HEADER.exec(authorization ?? '')?.[1];
  if (token === undefined) return error(401, 401, 'missing "Authorization: Token <token>" header');
  if (!context.tokens.isValid(token)) return error(401, 401, 'token is invalid or expired');
  const startTime = query.get('start_time');
  const endTime = query.get('end_time');
  if (startTime === null || endTime === null) return error(400, 400, 'start_time and end_time are required');
  try {
    const envelope = generateStatisticsBody({
      seed: context.seed,
      timeZone: context.timeZone,
      startTime,
      endTime,
      now: context.now(),
      incidents: context.incidents,
      callsPerHourPeak: context.callsPerHourPeak,
      finishedHours: context.finishedHours,
    });
    return { status: 200, bodyCode: 200, body: JSON.stringify(envelope) };
  } catch (cause) {
    if (cause instanceof InvalidStatisticsQueryError) return error(400, 400, cause.message);
    throw cause;
  }
}
