import { defineConfig } from 'vitest/config';

// `npm run test:mutation` only: the alert domain's own tests (state machine, episode record, what is
// owed and how it reads), run per mutant.
export default defineConfig({
  test: {
    include: [
      'test/lambda/domain/alerts/evaluate.test.ts',
      'test/lambda/domain/alerts/notify.test.ts',
      'test/lambda/domain/alerts/episode.test.ts',
      'test/lambda/domain/alerts/state.test.ts',
      'test/lambda/domain/alerts/render.test.ts',
    ],
    environment: 'node',
    allowOnly: false,
  },
});
