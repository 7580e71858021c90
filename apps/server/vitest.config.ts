import { packageTestConfig } from '../../vitest.shared.ts';

export default packageTestConfig('server', {
  // The tests run the built CLI (`node dist/cli.js`) as a child process, like a client would: build it once first.
  globalSetup: ['test/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
});
