import { packageTestConfig } from '../vitest.shared.ts';

export default packageTestConfig('scripts', { include: ['*.test.mjs'], testTimeout: 60_000 });
