import { describe, expect, it } from 'vitest';
import {
  buildRulesNoticeMessage,
  emptyRulesState,
  markRulesNotified,
  observeRuleSet,
  owedRuleSetNotice,
  owedRulesNotices,
  type RuleSetFacts,
  type RulesState,
  RulesStateSchema,
} from '../../../../lambda/domain/alerts/rules-status';
import { checkBlockKitLimits } from '../../../../lambda/domain/slack/block-kit-limits';

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
  });

  it('reads a state/rules.json written before the record existed, and refuses a record that could not read back', () => {
    const old = {
      version: 1,
      lastGood: { version: 'sha256:aaaaaaaaaaaa', text: '{}', seenAt: AT.toISOString() },
      notified: { status: 'ok', since: AT.toISOString(), at: AT.toISOString() },
    };
    expect(RulesStateSchema.safeParse(old).success).toBe(true);
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
