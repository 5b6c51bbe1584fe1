import { formatCount } from '../metric-format';
import type { SectionBlock } from '../slack/slack-message';
import { type HourSlot, peakHour } from './hourly-volume';
import { GAP, sparkline, sparklineAxis } from './sparkline';

const AXIS_HOURS = new Set([0, 6, 12, 18]);
const pad2 = (hour: number) => String(hour).padStart(2, '0');

/**
 * Calls by hour as a sparkline in a code block (monospace, so the hour axis lines up), with the peak
 * hour and a note on a 23- or 25-hour day or on hours without data.
 */
export function volumeBlock(slots: ReadonlyArray<HourSlot>): SectionBlock {
  const title = '*Calls by hour*';
  if (slots.every((slot) => slot.calls === undefined)) {
    return section(`${title}\n_No hourly rows for this day._`);
  }
  const peak = peakHour(slots);
  const notes = [
    peak === undefined ? 'no calls' : `peak ${pad2(peak.hour)}:00 (${formatCount(peak.calls ?? 0)} calls)`,
  ];
  if (slots.length === 23) notes.push('23-hour day (clocks went forward)');
  if (slots.length === 25) notes.push('25-hour day (clocks went back)');
  const missing = slots.filter((slot) => slot.calls === undefined).length;
  if (missing > 0) notes.push(`${missing === 1 ? '1 hour' : `${missing} hours`} without data (${GAP})`);

  const seen = new Set<number>();
  const axis = sparklineAxis(
    slots.map((slot) => {
      // Label an axis hour once, even when clocks going back repeat it.
      if (!AXIS_HOURS.has(slot.hour) || seen.has(slot.hour)) return undefined;
      seen.add(slot.hour);
      return pad2(slot.hour);
    }),
  );
  const chart = `\`\`\`${sparkline(slots.map((slot) => slot.calls))}\n${axis}\`\`\``;
  return section(`${title} · ${notes.join(' · ')}\n${chart}`);
}

const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
