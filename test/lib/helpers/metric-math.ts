/**
 * A small interpreter for the CloudWatch metric math an alarm in the template carries, written
 * from the CloudWatch documentation and not from the construct's code: IF, HOUR and DAY (of the
 * datapoint's UTC timestamp, DAY 1 = Monday … 7 = Sunday), FILL, TIME_SERIES, comparisons, && and
 * ||. It answers what the alarm would see at one period start: a number, or undefined (missing).
 */

export interface AlarmQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly MetricStat?: unknown;
  readonly ReturnData?: boolean;
}

type Value = number | undefined;

/** The value of the alarm's returned query at period start `at`, given each metric's datapoint. */
export function evaluateAlarm(
  queries: readonly AlarmQuery[],
  at: Date,
  metricValues: Readonly<Record<string, Value>>,
): Value {
  const byId = new Map(queries.map((query) => [query.Id, query]));
  const queryValue = (id: string): Value => {
    const query = byId.get(id);
    if (!query) throw new Error(`unknown id ${id}`);
    if (query.Expression === undefined) return metricValues[id];
    return evaluate(query.Expression, at, queryValue);
  };
  const returned = queries.filter((query) => query.ReturnData !== false);
  if (returned.length !== 1) throw new Error(`expected one returned query, found ${returned.length}`);
  return queryValue(returned[0]!.Id);
}

function evaluate(expression: string, at: Date, lookup: (id: string) => Value): Value {
  const tokens = expression.match(/\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|&&|\|\||==|!=|>=|<=|[<>(),]/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const take = (expected?: string) => {
    const token = tokens[position++];
    if (expected !== undefined && token !== expected) throw new Error(`expected ${expected}, got ${token}`);
    return token;
  };
  const bool = (value: boolean) => (value ? 1 : 0);

  const or = (): Value => {
    let left = and();
    while (peek() === '||') {
      take();
      const right = and();
      left = left === undefined || right === undefined ? undefined : bool(left !== 0 || right !== 0);
    }
    return left;
  };
  const and = (): Value => {
    let left = comparison();
    while (peek() === '&&') {
      take();
      const right = comparison();
      left = left === undefined || right === undefined ? undefined : bool(left !== 0 && right !== 0);
    }
    return left;
  };
  const comparison = (): Value => {
    const left = primary();
    const operator = peek();
    if (!['==', '!=', '>=', '<=', '<', '>'].includes(operator ?? '')) return left;
    take();
    const right = primary();
    if (left === undefined || right === undefined) return undefined;
    const results: Record<string, boolean> = {
      '==': left === right,
      '!=': left !== right,
      '>=': left >= right,
      '<=': left <= right,
      '<': left < right,
      '>': left > right,
    };
    return bool(results[operator as string] as boolean);
  };
  const args = (): Value[] => {
    take('(');
    const values = [or()];
    while (peek() === ',') {
      take();
      values.push(or());
    }
    take(')');
    return values;
  };
  const primary = (): Value => {
    const token = take();
    if (token === undefined) throw new Error('unexpected end of expression');
    if (token === '(') {
      const value = or();
      take(')');
      return value;
    }
    if (/^\d/.test(token)) return Number(token);
    if (peek() !== '(') return lookup(token);
    const [a, b, c] = args();
    switch (token) {
      case 'IF':
        return a === undefined ? undefined : a !== 0 ? b : c;
      case 'FILL':
        return a ?? b;
      case 'TIME_SERIES':
        return a;
      // A function of the timestamp: defined wherever its argument has a datapoint.
      case 'HOUR':
        return a === undefined ? undefined : at.getUTCHours();
      case 'DAY':
        return a === undefined ? undefined : ((at.getUTCDay() + 6) % 7) + 1;
      default:
        throw new Error(`function ${token} is not modelled`);
    }
  };

  const value = or();
  if (position !== tokens.length) throw new Error(`unparsed tail: ${tokens.slice(position).join(' ')}`);
  return value;
}
