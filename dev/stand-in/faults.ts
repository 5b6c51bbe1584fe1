/** The two AIRUDDER calls the stand-in answers. */
export type StandInRoute = 'auth' | 'statistics';

/** The kinds of schema drift the stand-in can send in an otherwise successful answer. */
export type Drift =
  | 'numbers-as-strings'
  | 'missing-sections'
  | 'unknown-keys'
  | 'nulls'
  | 'invalid'
  /** A valid envelope with nothing in it: `{"code":200,"data":{}}`. */
  | 'empty-data'
  /** MANY_STORY_NAMES more story names in every story_distribution (an account gone wild). */
  | 'many-story-names';

/** Story names the 'many-story-names' drift adds: the count that cost a digest 556 MB (#22). */
export const MANY_STORY_NAMES = 200_000;

/** The count of the n-th added story name: 1–997, with many ties across any cut. */
export const manyStoryCount = (index: number): number => 1 + ((index * 7919) % 997);

function addStoryNames(node: JsonObject | undefined): void {
  if (node === undefined) return;
  const stories: JsonObject = isObject(node.story_distribution) ? node.story_distribution : {};
  for (let index = 0; index < MANY_STORY_NAMES; index++)
    stories[`story_generated_${index}`] = manyStoryCount(index);
  node.story_distribution = stories;
}

/** A misbehaviour injected into the next request(s) of a route. */
export type Fault =
  /** Extra delay before this one request is answered normally (to provoke client timeouts). */
  | { kind: 'latency'; ms: number }
  /** This HTTP status; the body defaults to a JSON envelope with the same code. */
  | { kind: 'http-status'; status: number; body?: string }
  /** HTTP 429 with a Retry-After header. */
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  /** HTTP 200 but an error code in the body. */
  | { kind: 'body-code'; code: number; message?: string }
  /** HTTP 200 with a truncated, unparseable JSON body. */
  | { kind: 'malformed-json' }
  /** HTTP 200 with the real answer changed in shape. */
  | { kind: 'drift'; drift: Drift }
  /** HTTP 200 with the answer for the day so far, whatever window was asked for. */
  | { kind: 'day-so-far' };

/** The status word AIRUDDER-style envelopes carry beside a code. */
export function statusWord(code: number): string {
  const words: Record<number, string> = {
    200: 'OK',
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    413: 'Payload Too Large',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return words[code] ?? 'Error';
}

/** An error body in the shape of the API's envelope. */
export function errorEnvelope(code: number, message: string): string {
  return JSON.stringify({ code, status: statusWord(code), message });
}

/** The first part of a JSON text: never parseable, since a complete JSON value never ends mid-way. */
export function truncateJson(json: string): string {
  return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function objectAt(root: JsonObject, path: readonly string[]): JsonObject | undefined {
  let node: Json | undefined = root;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return isObject(node) ? node : undefined;
}

function rowsAt(root: JsonObject, path: readonly string[]): JsonObject[] {
  const list = objectAt(root, path)?.data_list;
  return Array.isArray(list) ? list.filter(isObject) : [];
}

function stringify(node: JsonObject | undefined, keys: readonly string[]): void {
  for (const key of keys)
    if (node !== undefined && typeof node[key] === 'number') node[key] = String(node[key]);
}

function nullify(node: JsonObject | undefined, keys: readonly string[]): void {
  for (const key of keys) if (node !== undefined && key in node) node[key] = null;
}

/** Drift of a statistics envelope; mutates `body`, which must be a fresh copy. */
function driftStatistics(body: JsonObject, drift: Drift): Json {
  const total = objectAt(body, ['data', 'realtime', 'total']);
  const hourly = rowsAt(body, ['data', 'realtime', 'hourly']);
  const daily = rowsAt(body, ['data', 'realtime', 'daily']);
  const offlineDaily = rowsAt(body, ['data', 'offline', 'daily']);
  switch (drift) {
    case 'numbers-as-strings':
      stringify(total, ['total_calls', 'transfer_success_rate', 'avg_robot_score']);
      for (const row of [...hourly, ...daily]) stringify(row, ['total_calls', 'transfer_success_rate']);
      for (const row of offlineDaily)
        stringify(row, ['max_concurrent_call_count', 'one_call_problem_solve_rate']);
      return body;
    case 'missing-sections': {
      const data = objectAt(body, ['data']);
      const realtime = objectAt(body, ['data', 'realtime']);
      if (data !== undefined) delete data.offline;
      if (realtime !== undefined) delete realtime.hourly;
      return body;
    }
    case 'unknown-keys':
      body.trace_id = 'stand-in-drift';
      for (const node of [objectAt(body, ['data']), total, ...hourly, ...daily, ...offlineDaily]) {
        if (node !== undefined) node.x_new_metric = 7;
      }
      return body;
    case 'nulls':
      nullify(total, ['avg_robot_score', 'transfer_success_rate', 'new_users']);
      for (const row of hourly) nullify(row, ['agent_reception_rate', 'avg_agent_duration']);
      for (const row of daily) nullify(row, ['valid_calls']);
      return body;
    case 'invalid':
      // A tolerant schema still has to reject `data` that is not an object at all.
      body.data = 'statistics unavailable';
      return body;
    case 'empty-data':
      body.data = {};
      return body;
    case 'many-story-names':
      for (const node of [total, ...daily]) addStoryNames(node);
      return body;
  }
}

/** Drift of an auth answer; mutates `body`, which must be a fresh copy. */
function driftAuth(body: JsonObject, drift: Drift): Json {
  const data = objectAt(body, ['data']);
  switch (drift) {
    case 'numbers-as-strings':
      body.code = String(body.code);
      return body;
    case 'missing-sections':
      delete body.data;
      return body;
    case 'unknown-keys':
      body.trace_id = 'stand-in-drift';
      if (data !== undefined) data.expires_in = 86_400;
      return body;
    case 'nulls':
      if (data !== undefined) data.token = null;
      return body;
    case 'invalid':
      body.data = 'token unavailable';
      return body;
    case 'empty-data':
      body.data = {};
      return body;
    case 'many-story-names':
      return body;
  }
}

/** The JSON text of `json` after `drift`; `json` is a successful answer of `route`. */
export function applyDrift(route: StandInRoute, json: string, drift: Drift): string {
  const body: Json = JSON.parse(json);
  if (!isObject(body)) return json;
  return JSON.stringify(route === 'auth' ? driftAuth(body, drift) : driftStatistics(body, drift));
}
