import { applyDrift, errorEnvelope, type Fault, type StandInRoute, truncateJson } from './faults';
import type { Reply } from './stand-in-routes';

/** A complete answer: a route's reply, possibly replaced or changed by a fault, plus extra headers. */
export interface Answer extends Reply {
  readonly headers?: Readonly<Record<string, string>>;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/**
 * The answer of a request that consumed `fault`. Status and body-code faults replace the answer
 * before any credential check (as a gateway or rate limiter would); shape faults change only a
 * successful answer, so a request that fails anyway fails as usual.
 */
export function answerWithFault(fault: Fault, reply: () => Reply, route: StandInRoute): Answer {
  switch (fault.kind) {
    case 'http-status':
      return {
        status: fault.status,
        bodyCode: fault.status,
        body: fault.body ?? errorEnvelope(fault.status, 'injected fault'),
        // A custom body may be a proxy's HTML or text page: label it as what it is.
        headers: { 'content-type': fault.body === undefined || isJson(fault.body) ? JSON_TYPE : TEXT_TYPE },
      };
    case 'rate-limit':
      return {
        status: 429,
        bodyCode: 429,
        body: errorEnvelope(429, 'number of queries exceeds the limit'),
        headers: { 'retry-after': String(fault.retryAfterSeconds) },
      };
    case 'body-code':
      return {
        status: 200,
        bodyCode: fault.code,
        body: errorEnvelope(fault.code, fault.message ?? 'injected error'),
      };
    case 'latency':
    case 'day-so-far': // the query was widened before the reply was made
      return reply();
    case 'malformed-json':
    case 'drift': {
      const answer = reply();
      if (answer.status !== 200 || answer.bodyCode !== 200) return answer;
      const body =
        fault.kind === 'drift' ? applyDrift(route, answer.body, fault.drift) : truncateJson(answer.body);
      return { ...answer, body };
    }
  }
}

/** True when `text` parses as JSON. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
