import { describeSuite } from './describe-suite.js';
import suite from './web.cases.js';

describeSuite(suite);
