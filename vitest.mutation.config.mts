import { defineConfig } from 'vitest/config';

// `npm run test:mutation` only: the alert domain's own tests (state machine, episode record, what is
// owed and how it reads) and the delivery protocol's (claims, outgoing, deliver-once), run per mutant.
export default defineConfig({
  test: {
    include: [
      'test/lambda/domain/alerts/evaluate.test.ts',
      'test/lambda/domain/alerts/notify.test.ts',
      'test/lambda/domain/alerts/episode.test.ts',
      'test/lambda/domain/alerts/state.test.ts',
      'test/lambda/domain/alerts/render.test.ts',
      // The delivery protocol, claims and the suppression stage.
      'test/lambda/domain/alerts/claims.test.ts',
      'test/lambda/domain/alerts/outgoing.test.ts',
      'test/lambda/use-cases/deliver-once.test.ts',
      // The digest's alert and attention sections (#27).
      'test/lambda/domain/digest/build-digest.test.ts',
      'test/lambda/domain/digest/figures.test.ts',
    ],
    environment: 'node',
    allowOnly: false,
  },
});
