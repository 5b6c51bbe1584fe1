import { defineConfig } from 'vitest/config';

// `npm run test:mutation` only: the state machine's own table-driven tests (evaluate, notify), run per mutant.
export default defineConfig({
  test: {
    include: ['test/lambda/domain/alerts/evaluate.test.ts', 'test/lambda/domain/alerts/notify.test.ts'],
    environment: 'node',
    allowOnly: false,
  },
});
