import { formatCount } from '../metric-format';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import type { FoldedDistribution, RankedEntry } from './fold-top-n';

/** Longest name shown, in escaped characters: a 200-character story name would drown the list. */
export const NAME_MAX = 80;
/** Room kept for the "others" line when lines are cut to fit; it is never longer than this. */
const OTHERS_RESERVE = 64;

/** '35%', '<1%', '100%', padded to one width so the names line up in a code span. */
export function formatShare(share: number): string {
  const text = share > 0 && share < 0.005 ? '<1%' : `${Math.round(share * 100)}%`;
  return text.padStart(4, ' ');
}

/** An entry as one mrkdwn line: '`  35%` query_status (276)'; the name escaped and shortened. */
export function entryLine(entry: RankedEntry, label = entry.name): string {
  const name = label === '' ? '_(no name)_' : truncate(escapeMrkdwn(label), NAME_MAX);
  return `\`${formatShare(entry.share)}\` ${name} (${formatCount(entry.count)})`;
}

/**
 * The lines of a folded distribution, at most `maxChars` long in all. When the top entries do not
 * fit, the last of them join "others", so the figures still add up whatever the names' lengths.
 * `label` renames an entry for display (e.g. a rating '5' → '5 ★').
 */
export function distributionLines(
  folded: FoldedDistribution,
  maxChars: number,
  label: (name: string) => string = (name) => name,
): string[] {
  const lines: string[] = [];
  let used = 0;
  let shown = 0;
  for (const entry of folded.top) {
    const line = entryLine(entry, label(entry.name));
    const isLast = shown === folded.top.length - 1 && folded.others === undefined;
    const reserve = isLast ? 0 : OTHERS_RESERVE;
    if (used + line.length + 1 + reserve > maxChars) break;
    lines.push(line);
    used += line.length + 1;
    shown++;
  }
  const folding = folded.top.slice(shown);
  const names = folding.length + (folded.others?.names ?? 0);
  if (names > 0) {
    const count = folding.reduce((sum, entry) => sum + entry.count, folded.others?.count ?? 0);
    const share = folded.total > 0 ? count / folded.total : 0;
    const what = names === 1 ? '1 other' : `${formatCount(names)} others`;
    lines.push(`\`${formatShare(share)}\` _${what}_ (${formatCount(count)})`);
  }
  return lines;
}
