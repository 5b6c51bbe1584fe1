import { describe, expect, it } from 'vitest';
import { RULES_LIMITS } from '../../../../lambda/domain/alerts/rules-limits';
import {
  buildRulesNoticeMessage,
  emptyRulesState,
  markRulesNotified,
  observeRuleSet,
  observeRules,
  owedRuleSetNotice,
  owedRulesNotice,
  owedRulesNotices,
  RULES_KEY,
  RULES_STATE_KEY,
  type RuleSetFacts,
  type RulesNotice,
  type RulesState,
  RulesStateSchema,
  releaseRulesClaim,
} from '../../../../lambda/domain/alerts/rules-status';
import { checkBlockKitLimits } from '../../../../lambda/domain/slack/block-kit-limits';

const T0 = new Date('2026-03-02T08:00:00Z');
const T1 = new Date('2026-03-02T08:15:00Z');
const T2 = new Date('2026-03-02T08:30:00Z');

const valid = (version: string) => ({ kind: 'valid', version, text: `{"v":"${version}"}` }) as const;
const invalid = (version: string, error = 'rules[0].warn: expected a number') =>
  ({ kind: 'invalid', version, error }) as const;
const absent = { kind: 'absent' } as const;

describe('where the rules and what the monitor remembers of them are kept', () => {
  it('reads the rules at config/rules.json and keeps their state at state/rules.json', () => {
    expect(RULES_KEY).toBe('config/rules.json');
    expect(RULES_STATE_KEY).toBe('state/rules.json');
  });
});

describe('RulesStateSchema', () => {
  const full: RulesState = {
    version: 1,
    lastGood: { version: 'sha256:aaaaaaaaaaaa', text: '{}', seenAt: '2026-03-02T08:00:00.000Z' },
    invalid: { version: 'sha256:bbbbbbbbbbbb', since: '2026-03-02T08:15:00+07:00', error: 'broken' },
    notified: { status: 'invalid', since: '2026-03-02T08:15:00Z', at: '2026-03-02T08:15:05Z' },
    claim: { runId: 'run-1', at: '2026-03-02T08:15:01Z' },
  };

  it('reads a document with every part, one whose episode Slack heard was over, and the state before the first run', () => {
    expect(RulesStateSchema.parse(full)).toEqual(full);
    const over = {
      version: 1,
      notified: { status: 'ok', since: '2026-03-02T08:15:00Z', at: '2026-03-02T09:00:00Z' },
    };
    expect(RulesStateSchema.parse(over)).toEqual(over);
    expect(RulesStateSchema.parse(emptyRulesState())).toEqual({ version: 1 });
  });

  it.each([
    ['another version', { ...full, version: 2 }],
    [
      'a last good copy without its text',
      { ...full, lastGood: { version: 'v', seenAt: '2026-03-02T08:00:00Z' } },
    ],
    [
      'a time without its offset',
      { ...full, invalid: { version: 'v', since: '2026-03-02T08:15:00', error: 'e' } },
    ],
    ['a notified status it does not know', { ...full, notified: { ...full.notified, status: 'firing' } }],
    [
      'an invalid episode without its error',
      { ...full, invalid: { version: 'v', since: '2026-03-02T08:15:00Z' } },
    ],
  ])('refuses %s', (_what, document) => {
    expect(RulesStateSchema.safeParse(document).success).toBe(false);
  });
});

describe('observeRules', () => {
  it('opens an invalid episode at the first run that sees an invalid object', () => {
    expect(observeRules(emptyRulesState(), invalid('v2'), T0)).toEqual({
      version: 1,
      invalid: { version: 'v2', since: T0.toISOString(), error: 'rules[0].warn: expected a number' },
    });
  });

  it('returns the same state when the same invalid object is seen again, so nothing is written', () => {
    const state = observeRules(emptyRulesState(), invalid('v2'), T0);
    expect(observeRules(state, invalid('v2'), T1)).toBe(state);
  });

  it('keeps one episode while other invalid versions or errors come and go', () => {
    const first = observeRules(emptyRulesState(), invalid('v2'), T0);
    const other = observeRules(first, invalid('v3', 'rules: expected an array'), T1);
    expect(other.invalid).toEqual({
      version: 'v3',
      since: T0.toISOString(),
      error: 'rules: expected an array',
    });
    // Same version, another error (the validator changed with a deploy): the episode goes on, error updated.
    const reworded = observeRules(other, invalid('v3', 'rules: must be an array'), T2);
    expect(reworded.invalid).toEqual({
      version: 'v3',
      since: T0.toISOString(),
      error: 'rules: must be an array',
    });
  });

  it('ends the episode when a valid object is back, and keeps it as the last good copy', () => {
    const broken = observeRules(emptyRulesState(), invalid('v2'), T0);
    const fixed = observeRules(broken, valid('v3'), T1);
    expect(fixed).toEqual({
      version: 1,
      lastGood: { version: 'v3', text: '{"v":"v3"}', seenAt: T1.toISOString() },
    });
    expect('invalid' in fixed && fixed.invalid !== undefined).toBe(false);
  });

  it('ends the episode when the object is removed, keeping the last good copy it had', () => {
    const good = observeRules(emptyRulesState(), valid('v1'), T0);
    const broken = observeRules(good, invalid('v2'), T1);
    const removed = observeRules(broken, absent, T2);
    expect(removed.invalid).toBeUndefined();
    expect(removed.lastGood).toEqual({ version: 'v1', text: '{"v":"v1"}', seenAt: T0.toISOString() });
  });

  it('returns the same state for the valid object it already keeps, or for no object and no episode', () => {
    const good = observeRules(emptyRulesState(), valid('v1'), T0);
    expect(observeRules(good, valid('v1'), T1)).toBe(good);
    expect(observeRules(good, absent, T1)).toBe(good);
  });

  it('replaces the last good copy with a newer valid version', () => {
    const good = observeRules(emptyRulesState(), valid('v1'), T0);
    expect(observeRules(good, valid('v2'), T1).lastGood).toEqual({
      version: 'v2',
      text: '{"v":"v2"}',
      seenAt: T1.toISOString(),
    });
  });
});

describe('owedRulesNotice', () => {
  // Built inside each test: a mutant that throws here must fail a test, not the file's collection.
  const brokenState = () => observeRules(emptyRulesState(), invalid('v2'), T0);

  it('owes the "rules invalid" alert once per episode', () => {
    const broken = brokenState();
    const notice = owedRulesNotice(broken, 'v1', T0);
    expect(notice).toEqual({
      kind: 'rules-invalid',
      since: T0.toISOString(),
      version: 'v2',
      error: 'rules[0].warn: expected a number',
      inUse: 'v1',
    });
    const announced = markRulesNotified(broken, notice as RulesNotice, T0);
    expect(owedRulesNotice(announced, 'v1', T1)).toBeUndefined();
    // Another invalid version in the same episode is not news.
    expect(owedRulesNotice(observeRules(announced, invalid('v3'), T1), 'v1', T1)).toBeUndefined();
  });

  it('owes the alert again for a new episode after Slack heard the last one was over', () => {
    const broken = brokenState();
    const announced = markRulesNotified(broken, owedRulesNotice(broken, 'v1', T0) as RulesNotice, T0);
    const over = observeRules(announced, valid('v3'), T1);
    const recovered = markRulesNotified(over, owedRulesNotice(over, 'v3', T1) as RulesNotice, T1);
    const again = observeRules(recovered, invalid('v4'), T2);
    expect(owedRulesNotice(again, 'v3', T2)).toMatchObject({
      kind: 'rules-invalid',
      since: T2.toISOString(),
    });
  });

  it('owes "valid again", naming when the episode began, once the object validates', () => {
    const broken = brokenState();
    const announced = markRulesNotified(broken, owedRulesNotice(broken, 'v1', T0) as RulesNotice, T0);
    const fixed = observeRules(announced, valid('v3'), T1);
    const notice = owedRulesNotice(fixed, 'v3', T2);
    expect(notice).toEqual({
      kind: 'rules-valid',
      since: T0.toISOString(),
      at: T2.toISOString(),
      inUse: 'v3',
    });
    expect(owedRulesNotice(markRulesNotified(fixed, notice as RulesNotice, T2), 'v3', T2)).toBeUndefined();
  });

  it('owes the alert for a new episode even when Slack never heard the last one was over', () => {
    const broken = brokenState();
    const announced = markRulesNotified(broken, owedRulesNotice(broken, 'v1', T0) as RulesNotice, T0);
    // Valid for one run ("valid again" refused by Slack), then invalid again: a new episode.
    const again = observeRules(observeRules(announced, valid('v3'), T1), invalid('v4'), T2);
    expect(owedRulesNotice(again, 'v3', T2)).toMatchObject({
      kind: 'rules-invalid',
      since: T2.toISOString(),
    });
  });

  it('owes nothing for rules that were never invalid, nor "valid again" for an episode never announced', () => {
    expect(owedRulesNotice(emptyRulesState(), 'v1', T0)).toBeUndefined();
    expect(owedRulesNotice(observeRules(brokenState(), valid('v3'), T1), 'v3', T1)).toBeUndefined();
  });
});

describe('markRulesNotified', () => {
  it('records which status Slack accepted, for which episode, and when', () => {
    const state = emptyRulesState();
    const at = T1;
    expect(
      markRulesNotified(
        state,
        { kind: 'rules-invalid', since: 's', version: 'v2', error: 'e', inUse: 'v1' },
        at,
      ).notified,
    ).toEqual({ status: 'invalid', since: 's', at: at.toISOString() });
    expect(
      markRulesNotified(state, { kind: 'rules-valid', since: 's', at: T2.toISOString(), inUse: 'v1' }, at)
        .notified,
    ).toEqual({ status: 'ok', since: 's', at: at.toISOString() });
  });
});

describe('releaseRulesClaim', () => {
  const claimed: RulesState = { version: 1, claim: { runId: 'run-a', at: T0.toISOString() } };

  it('drops the claim of the run that made it', () => {
    expect(releaseRulesClaim(claimed, 'run-a')).toEqual({ version: 1 });
  });

  it('leaves a claim another run holds, and a state without a claim, as they are', () => {
    expect(releaseRulesClaim(claimed, 'run-b')).toBe(claimed);
    const free = emptyRulesState();
    expect(releaseRulesClaim(free, 'run-a')).toBe(free);
  });
});

describe('buildRulesNoticeMessage', () => {
  const FIX =
    'Check a file with `airudder-monitor rules validate FILE`, then `airudder-monitor rules push FILE`.';

  it('says the rules are invalid, why, and which rules are evaluated meanwhile, every outside string escaped', () => {
    const message = buildRulesNoticeMessage(
      {
        kind: 'rules-invalid',
        since: T0.toISOString(),
        version: 'sha256:bbbbbbbbbbbb',
        error: 'warn: <!channel> & more',
        inUse: 'sha256:aaaaaaaaaaaa',
      },
      's3://bucket/config/rules.json',
    );
    expect(message).toEqual({
      text: 'AIRUDDER stats monitor: ⚠️ Alert rules invalid: s3://bucket/config/rules.json (sha256:bbbbbbbbbbbb) — still evaluating with sha256:aaaaaaaaaaaa',
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: 'AIRUDDER stats monitor — ⚠️ Alert rules invalid', emoji: true },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*s3://bucket/config/rules.json* (sha256:bbbbbbbbbbbb) fails validation:\nwarn: &lt;!channel&gt; &amp; more',
          },
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: `Archiving goes on; alerts are evaluated with the last rules that validated (sha256:aaaaaaaaaaaa). ${FIX}`,
            },
          ],
        },
      ],
    });
  });

  it('escapes the location in the text too, and shortens a long error to fit a section', () => {
    const message = buildRulesNoticeMessage(
      { kind: 'rules-invalid', since: T0.toISOString(), version: 'v2', error: 'x'.repeat(5000), inUse: 'v1' },
      'rules<dev>.json',
    );
    expect(message.text).toBe(
      'AIRUDDER stats monitor: ⚠️ Alert rules invalid: rules&lt;dev&gt;.json (v2) — still evaluating with v1',
    );
    const section = message.blocks[1];
    const text = section?.type === 'section' ? (section.text?.text ?? '') : '';
    expect(text.length).toBe(2900);
    expect(text.startsWith('*rules&lt;dev&gt;.json* (v2) fails validation:\nxxx')).toBe(true);
    expect(text.endsWith('x…')).toBe(true);
  });

  it('says the rules are valid again, with the rules in use and since when they were invalid', () => {
    expect(
      buildRulesNoticeMessage(
        {
          kind: 'rules-valid',
          since: '2026-03-02T08:00:00.000Z',
          at: T2.toISOString(),
          inUse: 'sha256:cccccccccccc',
        },
        'config/rules&.json',
        'Centre <Jakarta>',
      ),
    ).toEqual({
      text: 'Centre &lt;Jakarta&gt;: ✅ Alert rules valid again: config/rules&amp;.json — evaluating with sha256:cccccccccccc',
      blocks: [
        // A header is plain text: Slack shows it as it is, nothing in it is markup.
        {
          type: 'header',
          text: { type: 'plain_text', text: 'Centre <Jakarta> — ✅ Alert rules valid again', emoji: true },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'Alerts are evaluated with sha256:cccccccccccc (invalid since 2026-03-02T08:00:00.000Z).',
          },
        },
      ],
    });
  });

  it("dates the invalid spell on the account's clock, with the day when it began on another", () => {
    const valid = (since: string) =>
      buildRulesNoticeMessage(
        { kind: 'rules-valid', since, at: '2026-03-02T10:00:00.000Z', inUse: 'sha256:cccccccccccc' },
        'config/rules.json',
        'Centre',
        { timeZone: 'Asia/Jakarta', at: new Date('2026-03-02T10:00:00.000Z') },
      ).blocks[1];
    expect(JSON.stringify(valid('2026-03-02T08:00:00.000Z'))).toContain(
      '(invalid since 15:00 (Asia/Jakarta)).',
    );
    expect(JSON.stringify(valid('2026-03-01T08:00:00.000Z'))).toContain(
      '(invalid since 2026-03-01 15:00 (Asia/Jakarta)).',
    );
  });
});

const AT = new Date('2025-11-12T10:00:00Z');
const TRANSFER = { id: 'transfer-success-rate', title: 'Transfer success rate' };
const VOLUME = { id: 'volume-drop', title: 'Call volume drop' };
const AGENT = { id: 'agent-reception-rate', title: 'Agent reception rate' };

const facts = (rules: RuleSetFacts['rules'], version = 'sha256:aaaaaaaaaaaa', silent: string[] = []) => ({
  rules,
  silent,
  version,
});
/** A state that announced `announced` (what a first run records). */
const announcing = (announced: RuleSetFacts): RulesState => observeRuleSet(emptyRulesState(), announced, AT);

describe('the rule set Slack was told about', () => {
  it('is recorded silently on the first run: there is nothing it was added to or removed from', () => {
    const first = facts([TRANSFER, VOLUME]);
    expect(owedRuleSetNotice(emptyRulesState(), first)).toBeUndefined();
    const recorded = observeRuleSet(emptyRulesState(), first, AT);
    expect(recorded.announced).toEqual({
      rules: [TRANSFER, VOLUME],
      silent: [],
      version: first.version,
      at: AT.toISOString(),
    });
    expect(owedRulesNotices(recorded, first, AT)).toEqual([]);
  });

  it('owes one notice naming what was added and removed, with their titles, once the ids change', () => {
    const state = announcing(facts([TRANSFER, VOLUME]));
    const next = facts([TRANSFER, AGENT], 'sha256:bbbbbbbbbbbb');
    expect(observeRuleSet(state, next, AT)).toBe(state);
    expect(owedRulesNotices(state, next, AT)).toEqual([
      { kind: 'rules-changed', added: [AGENT], removed: [VOLUME], now: next, wasSilent: false },
    ]);
  });

  it('owes nothing when only thresholds or titles changed (the same ids), and refreshes the record', () => {
    const state = announcing(facts([TRANSFER, VOLUME]));
    const renamed = facts([{ ...VOLUME, title: 'Volume drop' }, TRANSFER], 'sha256:cccccccccccc');
    expect(owedRuleSetNotice(state, renamed)).toBeUndefined();
    const refreshed = observeRuleSet(state, renamed, AT);
    expect(refreshed.announced?.rules).toEqual([{ ...VOLUME, title: 'Volume drop' }, TRANSFER]);
    expect(refreshed.announced?.version).toBe('sha256:cccccccccccc');
    expect(observeRuleSet(refreshed, renamed, AT)).toBe(refreshed);
  });

  it('compares the ids whatever their order in either file', () => {
    const state = announcing(facts([VOLUME, TRANSFER]));
    expect(owedRuleSetNotice(state, facts([TRANSFER, VOLUME], 'sha256:bbbbbbbbbbbb'))).toBeUndefined();
  });

  it('is announced once: after Slack accepted the notice, the same set owes nothing', () => {
    const state = announcing(facts([TRANSFER, VOLUME]));
    const next = facts([TRANSFER], 'sha256:bbbbbbbbbbbb');
    const [notice] = owedRulesNotices(state, next, AT);
    expect(notice).toBeDefined();
    if (notice === undefined) return;
    const told = markRulesNotified(state, notice, AT);
    expect(owedRulesNotices(told, next, AT)).toEqual([]);
    expect(told.announced?.rules).toEqual([TRANSFER]);
  });

  it('owes a notice when the set can no longer fire (pushed with --allow-silent), and when it can again', () => {
    const state = announcing(facts([TRANSFER]));
    const muted = facts([TRANSFER], 'sha256:dddddddddddd', [
      'rule "transfer-success-rate" can never fire: muted',
    ]);
    const [silenced] = owedRulesNotices(state, muted, AT);
    expect(silenced).toMatchObject({ kind: 'rules-changed', added: [], removed: [], wasSilent: false });
    if (silenced === undefined) return;
    const told = markRulesNotified(state, silenced, AT);
    const back = facts([TRANSFER], 'sha256:eeeeeeeeeeee');
    expect(owedRulesNotices(told, back, AT)).toEqual([
      { kind: 'rules-changed', added: [], removed: [], now: back, wasSilent: true },
    ]);
  });

  it('tells a first run whose set cannot fire, instead of recording it silently', () => {
    const empty = facts([], 'sha256:ffffffffffff', ['the set has no rules: nothing can ever fire']);
    expect(observeRuleSet(emptyRulesState(), empty, AT).announced).toBeUndefined();
    expect(owedRuleSetNotice(emptyRulesState(), empty)).toMatchObject({ kind: 'rules-changed' });
    // A first run names nothing as added, even a set with rules in it.
    const muted = facts([TRANSFER], 'sha256:ffffffffffff', [
      'rule "transfer-success-rate" can never fire: muted',
    ]);
    expect(owedRuleSetNotice(emptyRulesState(), muted)).toEqual({
      kind: 'rules-changed',
      added: [],
      removed: [],
      now: muted,
      wasSilent: false,
    });
  });

  it('reads a state/rules.json written before the record existed, and refuses a record that could not read back', () => {
    const old = {
      version: 1,
      lastGood: { version: 'sha256:aaaaaaaaaaaa', text: '{}', seenAt: AT.toISOString() },
      notified: { status: 'ok', since: AT.toISOString(), at: AT.toISOString() },
    };
    expect(RulesStateSchema.safeParse(old).success).toBe(true);
    const recorded = {
      version: 1,
      announced: {
        ...announcing(facts([TRANSFER, VOLUME])).announced,
        silent: Array.from({ length: RULES_LIMITS.maxRules + 1 }, (_, index) => `reason ${index}`),
      },
    };
    expect(RulesStateSchema.parse(recorded)).toEqual(recorded);
    const tooMany = {
      ...announcing(facts([TRANSFER])).announced,
      rules: Array.from({ length: 101 }, (_, index) => ({ id: `rule-${index}`, title: 'x' })),
    };
    expect(RulesStateSchema.safeParse({ version: 1, announced: tooMany }).success).toBe(false);
  });
});

describe('the "rules changed" message', () => {
  it('is headed by the monitor name and names each rule added and removed with its title', () => {
    const state = announcing(facts([TRANSFER, VOLUME]));
    const [notice] = owedRulesNotices(state, facts([TRANSFER, AGENT], 'sha256:bbbbbbbbbbbb'), AT);
    if (notice === undefined) throw new Error('a notice is owed');
    const message = buildRulesNoticeMessage(notice, 's3://bucket/config/rules.json', 'Centre <Jakarta>');
    expect(message.text).toBe(
      'Centre &lt;Jakarta&gt; · 📋 Rules changed: added agent-reception-rate (Agent reception rate), ' +
        'removed volume-drop (Call volume drop). Now 2 rules in use (sha256:bbbbbbbbbbbb) from s3://bucket/config/rules.json.',
    );
    expect(message.blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Centre &lt;Jakarta&gt;* · 📋 Rules changed: added agent-reception-rate (Agent reception rate), removed volume-drop (Call volume drop)',
      },
    });
    expect(checkBlockKitLimits(message)).toEqual([]);
  });

  it('names only what was added when nothing was removed, and counts one rule as one', () => {
    const [notice] = owedRulesNotices(announcing(facts([])), facts([AGENT], 'sha256:bbbbbbbbbbbb'), AT);
    if (notice === undefined) throw new Error('a notice is owed');
    expect(buildRulesNoticeMessage(notice, 'config/rules.json')).toEqual({
      text:
        'AIRUDDER stats monitor · 📋 Rules changed: added agent-reception-rate (Agent reception rate). ' +
        'Now 1 rule in use (sha256:bbbbbbbbbbbb) from config/rules.json.',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*AIRUDDER stats monitor* · 📋 Rules changed: added agent-reception-rate (Agent reception rate)',
          },
        },
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: 'Now 1 rule in use (sha256:bbbbbbbbbbbb) from config/rules.json.' },
          ],
        },
      ],
    });
  });

  it('says the same rules can never fire, and later that they can fire again, with no rule named', () => {
    const state = announcing(facts([TRANSFER, VOLUME]));
    const reason = 'rule "transfer-success-rate" can never fire: muted all week';
    const muted = facts([TRANSFER, VOLUME], 'sha256:dddddddddddd', [
      reason,
      'rule "volume-drop" can never fire',
    ]);
    const [silenced] = owedRulesNotices(state, muted, AT);
    if (silenced === undefined) throw new Error('a notice is owed');
    const never = buildRulesNoticeMessage(silenced, 'config/rules.json');
    expect(never.text).toBe(
      'AIRUDDER stats monitor · ⚠️ The rules in use can never fire. Now 2 rules in use (sha256:dddddddddddd) ' +
        'from config/rules.json. ⚠️ This set can never fire (accepted with --allow-silent): ' +
        `${reason}; rule "volume-drop" can never fire`,
    );
    expect(never.blocks).toHaveLength(3);

    const back = facts([TRANSFER, VOLUME], 'sha256:eeeeeeeeeeee');
    const [again] = owedRulesNotices(markRulesNotified(state, silenced, AT), back, AT);
    if (again === undefined) throw new Error('a notice is owed');
    const message = buildRulesNoticeMessage(again, 'config/rules.json');
    expect(message.text).toBe(
      'AIRUDDER stats monitor · ✅ The rules in use can fire again. Now 2 rules in use (sha256:eeeeeeeeeeee) ' +
        'from config/rules.json. ✅ The set can fire again.',
    );
    expect(message.blocks.map((block) => (block.type === 'section' ? block.text?.text : block.type))).toEqual(
      [
        '*AIRUDDER stats monitor* · ✅ The rules in use can fire again',
        '✅ The set can fire again.',
        'context',
      ],
    );
  });

  it('says why a set cannot fire, and stays within Block Kit limits for 100 rules removed', () => {
    const many = facts(
      Array.from({ length: 100 }, (_, index) => ({ id: `rule-${index}`, title: 'T'.repeat(150) })),
    );
    const empty = facts([], 'sha256:ffffffffffff', ['the set has no rules: nothing can ever fire']);
    const [notice] = owedRulesNotices(announcing(many), empty, AT);
    if (notice === undefined) throw new Error('a notice is owed');
    const message = buildRulesNoticeMessage(notice, 'config/rules.json');
    expect(message.text).toMatch(/^AIRUDDER stats monitor · 📋 Rules changed: removed rule-0 \(T+\), rule-1/);
    expect(JSON.stringify(message.blocks)).toContain(
      '⚠️ This set can never fire (accepted with --allow-silent): the set has no rules: nothing can ever fire',
    );
    expect(checkBlockKitLimits(message)).toEqual([]);
  });
});
