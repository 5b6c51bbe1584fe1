import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    environment: 'node',
    // Loopback servers and CDK synthesis are slow on a 2-core machine; no test is timed for speed.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    allowOnly: false,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
