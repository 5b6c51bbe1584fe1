import { expect } from 'vitest';
import { buildDigest, type DigestOptions } from '../../../../lambda/domain/digest/build-digest';
import type { DigestInput, FiredAlert } from '../../../../lambda/domain/digest/day-data';
import { checkBlockKitLimits } from '../../../../lambda/domain/slack/block-kit-limits';
import type { SlackMessage } from '../../../../lambda/domain/slack/slack-message';
import {
  type OfflineDailyRow,
  type RealtimeDailyRow,
  type StatisticsResponse,
  StatisticsResponseSchema,
} from '../../../../lambda/domain/statistics/schema';
import { fixtureJson } from '../../../helpers/fixtures';

/*
 * Fixtures for the digest tests: whole-day responses from the stand-in generator (see
 * test/fixtures/digest/README.md), parsed the way the lead's code parses archived responses.
 * Every loader returns a fresh copy, so a test changes one visible thing and nothing leaks.
 */

export const DAY = '2025-11-11';
export const PREVIOUS_DAY = '2025-11-10';
export const WEEK_AGO = '2025-11-04';
export const TIME_ZONE = 'Asia/Jakarta';

/** A generated response from test/fixtures/digest, parsed; a fresh copy on every call. */
export function loadResponse(name: string): StatisticsResponse {
  return StatisticsResponseSchema.parse(fixtureJson(`digest/${name}.json`));
}

export const ALERTS: ReadonlyArray<FiredAlert> = [
  {
    ruleId: 'transfer-success-low',
    title: 'Transfer success below 88%',
    severity: 'crit',
    at: '2025-11-11T07:10:00Z',
    resolvedAt: '2025-11-11T09:05:00Z',
    worst: { value: 0.6123, unit: 'rate' },
  },
  {
    ruleId: 'agent-reception-low',
    title: 'Agent reception below 80%',
    severity: 'warn',
    at: '2025-11-11T16:40:00Z',
    worst: { value: 0.78, unit: 'rate' },
  },
];

/** The fixed input of the golden file: 11 Nov 2025 (a transfer failure 14:00–16:00) with both comparisons. */
export function digestInput(): DigestInput {
  return {
    date: DAY,
    timeZone: TIME_ZONE,
    day: loadResponse(`day-${DAY}`),
    previousDay: loadResponse(`day-${PREVIOUS_DAY}`),
    weekAgo: loadResponse(`day-${WEEK_AGO}`),
    alertsFired: structuredClone(ALERTS),
    archiveLocation:
      's3://airudder-stats-archive/raw/day/2025-11-11/20251111T165959Z_20251111T000000_20251111T235959.json',
    topN: 5,
  };
}

/** Builds the digest and asserts, for every test that builds one, that Slack would accept it. */
export function buildChecked(input: DigestInput, options: DigestOptions = {}): SlackMessage {
  const message = buildDigest(input, options);
  expectWithinSlackLimits(message);
  return message;
}

export function expectWithinSlackLimits(message: SlackMessage): void {
  expect(checkBlockKitLimits(message)).toEqual([]);
}

/** Every mrkdwn and plain text of the message, the fallback first. */
export function allTexts(message: SlackMessage): string[] {
  return [
    message.text,
    ...message.blocks.flatMap((block): string[] => {
      if (block.type === 'header') return [block.text.text];
      if (block.type === 'context') return block.elements.map((element) => element.text);
      if (block.type === 'divider') return [];
      if (block.type === 'actions') return block.elements.map((button) => button.text.text);
      return [
        ...(block.text === undefined ? [] : [block.text.text]),
        ...(block.fields ?? []).map((f) => f.text),
      ];
    }),
  ];
}

/**
 * The text a reader sees: every block's text without mrkdwn markers (*, _, `) and with entities
 * decoded; the notification fallback is not shown in the channel, so it is left out.
 */
export function visibleText(message: SlackMessage): string {
  return allTexts(message)
    .slice(1)
    .join('\n')
    .replace(/[*_`]/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** The text of the section whose text or a field starts with `*title*`. */
export function sectionText(message: SlackMessage, title: string): string {
  const found = allTexts(message).find((text) => text.startsWith(`*${title}*`));
  if (found === undefined) throw new Error(`no section or field titled "${title}"`);
  return found;
}

/** The realtime daily row of `date`, to change in place. */
export function realtimeDailyRow(response: StatisticsResponse, date = DAY): RealtimeDailyRow {
  const row = response.data.realtime?.daily?.data_list.find((candidate) => candidate.date === date);
  if (row === undefined) throw new Error(`fixture has no realtime daily row for ${date}`);
  return row;
}

/** The offline daily row of `date`, to change in place. */
export function offlineDailyRow(response: StatisticsResponse, date = DAY): OfflineDailyRow {
  const row = response.data.offline?.daily?.data_list.find((candidate) => candidate.date === date);
  if (row === undefined) throw new Error(`fixture has no offline daily row for ${date}`);
  return row;
}

/** The realtime total, to change in place. */
export function realtimeTotal(response: StatisticsResponse) {
  const total = response.data.realtime?.total;
  if (total === undefined || total === null) throw new Error('fixture has no realtime total');
  return total;
}
