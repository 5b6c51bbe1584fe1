import { describe, expect, it } from 'vitest';
import { diffRules, renderRuleChanges } from '../../../../lambda/domain/alerts/rules-diff';

const file = (...rules: unknown[]) => ({ rules });

describe('diffRules', () => {
  it('names added, changed and removed rules, changed fields by path as written, in path order', () => {
    const before = file(
      {
        id: 'transfer',
        title: 'Transfer',
        warn: 0.75,
        repeat: { everyMinutes: 60 },
        mute: [{ from: '22:00', to: '06:00' }],
      },
      { id: 'gone', title: 'Gone' },
      { id: 'same', title: 'Same', warn: 1 },
    );
    const after = file(
      { id: 'transfer', title: 'Transfer', warn: 0.7, repeat: { everyMinutes: 120 }, crit: 0.5, mute: [] },
      { id: 'same', title: 'Same', warn: 1 },
      { id: 'new', title: 'New' },
    );
    expect(diffRules(before, after)).toEqual([
      {
        kind: 'changed',
        id: 'transfer',
        fields: [
          { path: 'crit', before: undefined, after: '0.5' },
          { path: 'mute', before: '[{"from":"22:00","to":"06:00"}]', after: '[]' },
          { path: 'repeat.everyMinutes', before: '60', after: '120' },
          { path: 'warn', before: '0.75', after: '0.7' },
        ],
      },
      { kind: 'added', id: 'new', title: 'New' },
      { kind: 'removed', id: 'gone', title: 'Gone' },
    ]);
  });

  it('reads anything that is not a rules file as no rules, names a rule without an id by its place, and skips non-objects', () => {
    expect(diffRules(null, { rules: 'none' })).toEqual([]);
    expect(diffRules([], file({ title: 'Untitled' }, 'text', null, [1]))).toEqual([
      { kind: 'added', id: '#0', title: 'Untitled' },
    ]);
    expect(diffRules(file({ id: 'x', title: 7 }), file())).toEqual([{ kind: 'removed', id: 'x', title: '' }]);
  });
});

describe('renderRuleChanges', () => {
  it('shows one line per added or removed rule and one per changed field, "(not set)" for a missing side', () => {
    expect(
      renderRuleChanges([
        {
          kind: 'changed',
          id: 'transfer',
          fields: [
            { path: 'warn', before: '0.75', after: '0.7' },
            { path: 'crit', after: '0.5' },
            { path: 'unit', before: '"rate"' },
          ],
        },
        { kind: 'added', id: 'new', title: 'New' },
        { kind: 'removed', id: 'gone', title: 'Gone' },
      ]),
    ).toEqual([
      '  ~ transfer',
      '      warn: 0.75 → 0.7',
      '      crit: (not set) → 0.5',
      '      unit: "rate" → (not set)',
      '  + new (New)',
      '  - gone (Gone)',
    ]);
  });
});
