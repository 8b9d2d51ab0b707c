import { defineConfig } from 'vitest/config';

// Two projects: unit tests (no network, no real timers) and integration tests (a real
// kube-apiserver and etcd started once per run by the global setup, the emulator over HTTP).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
