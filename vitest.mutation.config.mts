import { defineConfig } from 'vitest/config';

// `npm run test:mutation` only: the state machine's own table-driven tests (evaluate, notify), and the
// digest's (its alert and attention sections), run per mutant.
export default defineConfig({
  test: {
    include: [
      'test/lambda/domain/alerts/evaluate.test.ts',
      'test/lambda/domain/alerts/notify.test.ts',
      'test/lambda/domain/digest/build-digest.test.ts',
      'test/lambda/domain/digest/figures.test.ts',
      'test/lambda/domain/digest/alerts-section.test.ts',
      'test/lambda/domain/digest/attention-section.test.ts',
    ],
    environment: 'node',
    allowOnly: false,
  },
});
