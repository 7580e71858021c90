export { conformancePack as default, conformancePack } from './pack.js';
