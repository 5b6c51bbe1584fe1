import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import {
  ALERT_STATE_KEY,
  type AlertState,
  AlertStateSchema,
  emptyAlertState,
  recordRunFailure,
} from '../../../lambda/domain/alerts/state';
import type { ObjectStore } from '../../../lambda/domain/archive/object-store';
import {
  DocumentCorruptError,
  DocumentInvalidError,
  readDocument,
  updateDocument,
} from '../../../lambda/use-cases/json-document';
import { EXAMPLE_AT, rates, rule, simulate } from '../domain/alerts/alert-test-helpers';

let dir: string;
let store: ObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'json-document-'));
  store = createFolderObjectStore(dir);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Counts the store's reads, to show which ones a run is spared. */
function countingReads(inner: ObjectStore): { store: ObjectStore; reads: () => number } {
  let reads = 0;
  return {
    store: {
      ...inner,
      get: (key) => {
        reads += 1;
        return inner.get(key);
      },
    },
    reads: () => reads,
  };
}

const write = (state: AlertState) =>
  updateDocument(store, ALERT_STATE_KEY, AlertStateSchema, () => ({ value: state, result: undefined }));

describe('what updateDocument writes', () => {
  it('refuses a value its own schema would not read back, writes nothing, and names the key and field', async () => {
    // #22 finding 1: a write that is never validated can leave a document no later run can read.
    const good = emptyAlertState();
    await write(good);
    const bad: AlertState = {
      ...good,
      snoozes: {
        all: { until: '2025-11-12T05:00:00Z', at: '2025-11-12T03:00:00Z', reason: 'x'.repeat(501) },
      },
    };
    const attempt = write(bad);
    await expect(attempt).rejects.toBeInstanceOf(DocumentInvalidError);
    await expect(attempt).rejects.toThrow(
      /alerts\.json: it would not match its schema \(snoozes\.all\.reason/,
    );
    expect((await readDocument(store, ALERT_STATE_KEY, AlertStateSchema))?.value).toEqual(good);
  });
});

describe('the alert state through readDocument and updateDocument', () => {
  it('reads back an evaluated state exactly as it was written: firing, notified, history, a failing monitor', async () => {
    // Prepare
    const { state } = simulate([rule()], rates(0.5, 0.5, 0.3, 0.7, 0.5));
    const withMonitor = recordRunFailure(state, new Date('2025-11-12T09:00:00Z'), 'API down: HTTP 503', 3);
    // Act
    await write(withMonitor);
    // Assess
    expect((await readDocument(store, ALERT_STATE_KEY, AlertStateSchema))?.value).toEqual(withMonitor);
  });

  it('keeps the claim a run holds while it delivers', async () => {
    const { state } = simulate([rule()], rates(0.5));
    const claimed = structuredClone(state);
    const ruleState = claimed.rules['transfer-success'];
    if (ruleState) ruleState.claim = { runId: 'run-1', at: EXAMPLE_AT.toISOString() };
    await write(claimed);
    const read = await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
    expect(read?.value.rules['transfer-success']?.claim).toEqual({
      runId: 'run-1',
      at: EXAMPLE_AT.toISOString(),
    });
  });

  it.each([
    { name: 'not JSON', text: '{', expected: /state\/alerts\.json is not JSON/ },
    {
      name: 'a future version',
      text: JSON.stringify({ ...emptyAlertState(), version: 2 }),
      expected: /state\/alerts\.json does not match its schema: version/,
    },
    {
      name: 'an unknown status',
      text: JSON.stringify({ ...emptyAlertState(), rules: { a: { status: 'burning' } } }),
      expected: /does not match its schema: rules\.a\.status/,
    },
  ])(
    'rejects a stored document that is $name with a DocumentCorruptError naming the key and field',
    async ({ text, expected }) => {
      // Prepare: the document damaged on disk, as a person editing it by hand might leave it
      await write(emptyAlertState());
      await writeFile(join(dir, ALERT_STATE_KEY), text);
      // Act
      const reading = readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
      // Assess
      await expect(reading).rejects.toThrow(DocumentCorruptError);
      await expect(readDocument(store, ALERT_STATE_KEY, AlertStateSchema)).rejects.toThrow(expected);
    },
  );

  it('returns the document it wrote, with its new version, so the next update reads nothing', async () => {
    // Prepare
    const counted = countingReads(store);
    const first = await updateDocument(counted.store, ALERT_STATE_KEY, AlertStateSchema, () => ({
      value: emptyAlertState(),
      result: 'written',
    }));
    const readsAfterFirst = counted.reads();
    // Act
    const second = await updateDocument(
      counted.store,
      ALERT_STATE_KEY,
      AlertStateSchema,
      (current) => ({
        value: current && recordRunFailure(current, EXAMPLE_AT, 'HTTP 503', 3),
        result: 'again',
      }),
      { alreadyRead: first.document ?? null },
    );
    // Assess
    expect(first.result).toBe('written');
    expect(first.document?.version).toEqual(expect.any(String));
    expect(counted.reads()).toBe(readsAfterFirst);
    expect(second.document?.version).not.toBe(first.document?.version);
    expect(second.document?.version).toBe((await store.get(ALERT_STATE_KEY))?.version);
    expect(
      (await readDocument(store, ALERT_STATE_KEY, AlertStateSchema))?.value.monitor.consecutiveFailures,
    ).toBe(1);
  });

  it('rereads when the document it started from is stale, and applies the update to the newer one', async () => {
    // Prepare: this run wrote version 1, then another run wrote on top of it
    const mine = await write(emptyAlertState());
    await write(recordRunFailure(emptyAlertState(), EXAMPLE_AT, 'HTTP 503', 3));
    // Act
    const updated = await updateDocument(
      store,
      ALERT_STATE_KEY,
      AlertStateSchema,
      (current) => ({
        value: current && recordRunFailure(current, new Date(EXAMPLE_AT.getTime() + 900_000), 'HTTP 503', 3),
        result: undefined,
      }),
      { alreadyRead: mine.document ?? null },
    );
    // Assess: both failures counted, none lost
    expect(updated.document?.value.monitor.consecutiveFailures).toBe(2);
    expect(
      (await readDocument(store, ALERT_STATE_KEY, AlertStateSchema))?.value.monitor.consecutiveFailures,
    ).toBe(2);
  });
});
