import { parseWallClock, weekday } from '../shared/local-time';

/**
 * Words for AIRUDDER's keys. Distribution keys are open sets (AIRUDDER adds stories, reasons and
 * ticket types as accounts configure them), so a key not listed here still shows, as it is (escaped
 * by the caller). `explain` is one line for readers who do not know the key's meaning, left out
 * where the label says it all.
 */

export interface KeyWords {
  readonly label: string;
  readonly explain?: string;
}

/** Conversation flows (story_distribution) and transfer reasons share their keys. */
const FLOWS: Readonly<Record<string, KeyWords>> = {
  query_status: { label: 'Order status', explain: 'caller asked where an order or parcel is' },
  urge_delivery: { label: 'Chasing a delivery', explain: 'caller wants a late delivery hurried' },
  entrance: { label: 'At the greeting', explain: 'before the robot knew what the call was about' },
  request_transfer: { label: 'Asked for an agent' },
  complain: { label: 'Complaint' },
  change_info: { label: 'Change details', explain: 'address, phone or delivery time' },
  ask_for_other_help: { label: 'Other help' },
  story_ask_for_other_help: { label: 'Other help' },
  story_busy_waiting: { label: 'Waiting (line busy)' },
  story_evaluation: { label: 'Rating the call' },
  story_transfer_to_agent: { label: 'Transfer to an agent' },
};

const HANGUPS: Readonly<Record<string, KeyWords>> = {
  by_user: { label: 'Caller hung up' },
  by_robot: { label: 'Robot ended the call' },
  by_agent: { label: 'Agent ended the call' },
};

/** Which distribution a key belongs to decides its words. */
export type KeyKind = 'story' | 'intention' | 'transfer-reason' | 'hangup' | 'ticket' | 'rating';

/** The words for `key` in a distribution of `kind`; unknown keys keep their raw name. */
export function keyWords(kind: KeyKind, key: string): KeyWords {
  switch (kind) {
    case 'story':
    case 'transfer-reason':
      return FLOWS[key] ?? { label: key };
    case 'hangup':
      return HANGUPS[key] ?? { label: key };
    case 'ticket': {
      const type = /^ticket_type_(\d+)$/.exec(key);
      return type ? { label: `Ticket type ${type[1]}` } : { label: key };
    }
    case 'rating':
      return /^[1-5]$/.test(key) ? { label: `${key} ★` } : { label: key };
    case 'intention':
      // Intention labels are defined per account in AIRUDDER; they carry no meaning we could add.
      return { label: key };
  }
}

/** What a breakdown section is, in words, with its one-line explanation. */
export const BREAKDOWN_WORDS = {
  stories: { label: 'What callers wanted', explain: 'conversation flows the robot ran' },
  intentions: { label: 'Intentions', explain: 'intent labels the robot recognised' },
  transferReasons: { label: 'Why calls went to an agent' },
  hangups: { label: 'Who ended the call' },
  ratings: { label: 'Ratings 1–5' },
  tickets: { label: 'Tickets opened', explain: 'by the ticket types configured in AIRUDDER' },
  fakeReceipts: {
    label: 'Fake delivery receipts',
    explain: 'callers reporting a parcel marked delivered but never received',
  },
} as const satisfies Record<string, KeyWords>;

// ---- day labels

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** '2025-11-11' → 'Tue 11 Nov'; with `withYear`, 'Tue 11 Nov 2025'. Throws a RangeError for a non-date. */
export function formatDayLabel(date: string, withYear = false): string {
  const clock = parseWallClock(date);
  if (clock === undefined || date.length !== 10) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  const label = `${WEEKDAYS[weekday(clock)]} ${clock.day} ${MONTHS[clock.month - 1]}`;
  return withYear ? `${label} ${clock.year}` : label;
}
