import { packageTestConfig } from '../../vitest.shared.ts';

export default packageTestConfig('core', {
  typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
});
