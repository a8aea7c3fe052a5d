export * from './diagnostic.js';
export { suggestKey } from './suggest.js';
