/**
 * How often could any rule find a 20-point transfer drop at a given volume without false alerts?
 * The bound behind the detection benchmark's "≥ 95 % of 20-point drops" discussion (docs/
 * alerts-and-rules.md): an oracle that knows exactly when the drop began and ended counts the
 * transfers n in it (Poisson around the volume) and alerts when the successes are at or below the
 * largest c whose chance under the normal rate is at most `alpha`. The normal rate is the traffic
 * model's per-hour base, spread evenly over 89–96 % (averaged over a grid). No rule can do better
 * than this test at the same false-alarm rate (Neyman–Pearson), so its power is a ceiling.
 */

/** The traffic model's hourly success base (traffic-model.ts), as an even grid over 89–96 %. */
const BASES = Array.from({ length: 20 }, (_, i) => 0.89 + (0.07 * (i + 0.5)) / 20);

const logBinomial = (n: number, k: number, p: number): number =>
  logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log(1 - p);

const factorials = [0];
function logFactorial(n: number): number {
  for (let i = factorials.length; i <= n; i++) factorials[i] = (factorials[i - 1] ?? 0) + Math.log(i);
  return factorials[n] ?? 0;
}

/** P(K ≤ c) for K ~ Binomial(n, p). */
function binomialCdf(c: number, n: number, p: number): number {
  let sum = 0;
  for (let k = 0; k <= c; k++) sum += Math.exp(logBinomial(n, k, p));
  return sum;
}

const averageOverBases = (f: (base: number) => number): number =>
  BASES.reduce((sum, base) => sum + f(base), 0) / BASES.length;

/** The largest count of successes out of n that may alert while normal traffic does so at most `alpha`. */
export function alertingCount(n: number, alpha: number): number {
  let c = -1;
  while (c + 1 <= n && averageOverBases((base) => binomialCdf(c + 1, n, base)) <= alpha) c++;
  return c;
}

/**
 * The oracle's chance of finding a drop of `depth` (0.2 = 20 points) holding `transfers` expected
 * transfers in all, at a per-window false-alarm chance `alpha`.
 */
export function oracleDetection(transfers: number, depth: number, alpha: number): number {
  const spread = 6 * Math.sqrt(transfers) + 3;
  let power = 0;
  for (let n = Math.max(0, Math.floor(transfers - spread)); n <= transfers + spread; n++) {
    const weight = Math.exp(-transfers + n * Math.log(transfers) - logFactorial(n));
    const c = alertingCount(n, alpha);
    power += weight * averageOverBases((base) => binomialCdf(c, n, base - depth));
  }
  return power;
}

/** P(K ≥ c) for K ~ Binomial(n, p). */
const binomialSf = (c: number, n: number, p: number): number => (c <= 0 ? 1 : 1 - binomialCdf(c - 1, n, p));

/**
 * The most a one-quarter-hour recovery can demand of n transfers and still end a recovered alert
 * with chance `power`: the largest floor c on the successes that normal traffic reaches that often.
 */
export function resolvingCount(n: number, power: number): number {
  let c = 0;
  while (c + 1 <= n && averageOverBases((base) => binomialSf(c + 1, n, base)) >= power) c++;
  return c;
}

/**
 * The flap side of a fast resolution (docs/alerts-and-rules.md, "Flaps"): at a volume of `perHour`
 * transfers (a quarter-hour holds a Poisson count around perHour / 4), the chance that the most
 * powerful test on one quarter-hour's successes (for each count, a floor on the successes: the
 * likelihood ratio of a recovered rate against a lower one grows with the successes), set to end a
 * recovered alert with chance `power`, also ends one whose drop of `depth` is still going on.
 */
export function falseRecovery(perHour: number, depth: number, power: number): number {
  const mean = perHour / 4;
  const spread = 6 * Math.sqrt(mean) + 5;
  let chance = 0;
  for (let n = 1; n <= mean + spread; n++) {
    const weight = Math.exp(-mean + n * Math.log(mean) - logFactorial(n));
    const c = resolvingCount(n, power);
    chance += weight * averageOverBases((base) => binomialSf(c, n, base - depth));
  }
  return chance;
}

/** ≤ 1 false alert in 30 days of 16 judged hours: 480 hourly windows. */
export const HOURLY_ALPHA = 1 / 480;
/** The same budget over 3-hour windows: 160 a month. */
export const THREE_HOUR_ALPHA = 1 / 160;

if (require.main === module) {
  for (const perHour of [5, 6, 10, 15, 20, 22, 30, 40, 60])
    process.stdout.write(
      `${perHour} transfers/h: a 1-hour 20-point drop found at most ${(oracleDetection(perHour, 0.2, HOURLY_ALPHA) * 100).toFixed(0)} %\n`,
    );
  process.stdout.write(
    `about 50 transfers in 3 hours: ${(oracleDetection(50, 0.2, THREE_HOUR_ALPHA) * 100).toFixed(0)} %\n`,
  );
  for (const perHour of [25, 40, 60])
    process.stdout.write(
      `${perHour} transfers/h: a quarter-hour test that ends a recovered alert half the time ends a continuing 10-point drop's ${(falseRecovery(perHour, 0.1, 0.5) * 100).toFixed(0)} %\n`,
    );
}
