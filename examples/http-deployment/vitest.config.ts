import { packageTestConfig } from '../../vitest.shared.ts';

export default packageTestConfig('example-http-deployment', {
  // Runs the built server, as a deployment would; the server's own test setup builds it and the packs.
  globalSetup: ['../../apps/server/test/global-setup.ts'],
  hookTimeout: 120_000,
});
