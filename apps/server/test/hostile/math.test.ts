import { describeSuite } from './describe-suite.js';
import suite from './math.cases.js';

describeSuite(suite);
