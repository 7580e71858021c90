import { packageTestConfig } from '../../vitest.shared.ts';

export default packageTestConfig('example-conformance-pack', {
  // The end-to-end test runs the built composer and pack; the pack's own tests need no build.
  globalSetup: ['test/global-setup.ts'],
  hookTimeout: 120_000,
  testTimeout: 60_000,
});
