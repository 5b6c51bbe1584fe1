import { defineConfig } from 'vitest/config';

// `npm run test:mutation` only: the tests of the mutated files (stryker.config.json), run per mutant —
// the alert domain's (state machine, episode record, what is owed and how it reads), the delivery
// protocol's (claims, outgoing, deliver-once) and the digest's alert and attention sections'.
export default defineConfig({
  test: {
    include: [
      'test/lambda/domain/alerts/*.test.ts',
      'test/lambda/domain/slack/claim.test.ts',
      'test/lambda/use-cases/deliver-once.test.ts',
      'test/lambda/domain/digest/build-digest.test.ts',
      'test/lambda/domain/digest/figures.test.ts',
      'test/lambda/domain/digest/alerts-section.test.ts',
      'test/lambda/domain/digest/attention-section.test.ts',
    ],
    environment: 'node',
    // Mutants run on a loaded machine: a slow generated-day test is not a failed one.
    testTimeout: 60_000,
    allowOnly: false,
  },
});
