/** The dry-run's parameter values live in the runtime: an artifact check renders templates the same way. */
export { dryRunParams, placeholderValue } from '../../runtime/params/placeholder-values.js';
