import { notBuilt } from './not-built.js';

export async function run(): Promise<number> {
  return notBuilt('validate');
}
