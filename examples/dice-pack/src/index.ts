export { diceConfigSchema, dicePack as default, dicePack } from './pack.js';
