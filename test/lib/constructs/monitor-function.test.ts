import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HANDLER_ENTRY, runDeadlineMs } from '../../../lib/constructs/monitor-function';

describe('runDeadlineMs', () => {
  it.each([
    [30, 22_500],
    [60, 45_000],
    [120, 105_000],
    [300, 285_000],
    [900, 885_000],
  ])('leaves time after the deadline of a %i s function (deadline %i ms)', (timeoutSeconds, expected) => {
    expect(runDeadlineMs(timeoutSeconds)).toBe(expected);
  });
});

describe('DEFAULT_HANDLER_ENTRY', () => {
  it('is lambda/handler.ts at the repository root', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    expect(DEFAULT_HANDLER_ENTRY).toBe(path.join(root, 'lambda', 'handler.ts'));
  });
});
