import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every `*.test.yaml` in the project: under `tests/` or beside the endpoint files. */
export async function findTestFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  await walk(root, found);
  return found.sort();
}

async function walk(dir: string, found: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) await walk(path, found);
    else if (entry.isFile() && /\.test\.ya?ml$/.test(entry.name)) found.push(path);
  }
}
