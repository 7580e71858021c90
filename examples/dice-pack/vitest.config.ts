import { packageTestConfig } from '../../vitest.shared.ts';

export default packageTestConfig('example-dice-pack', {
  globalSetup: ['test/global-setup.ts'],
  hookTimeout: 120_000,
});
