import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ConfigLocation {
  dir?: string;
  config?: string;
  env: Record<string, string | undefined>;
  cwd?: string;
}

/**
 * Where flapi.yaml is: `-c` wins, then FLAPI_CONFIG, then the project folder argument
 * (which may itself name a YAML file). Returns an absolute path, or an error text.
 */
export function findConfig(location: ConfigLocation): { file: string } | { error: string } {
  const cwd = location.cwd ?? process.cwd();
  const explicit = location.config ?? location.env.FLAPI_CONFIG;
  if (explicit) {
    const file = resolve(cwd, explicit);
    return existsSync(file) && statSync(file).isFile()
      ? { file }
      : { error: `config file ${file} not found; check the -c option or FLAPI_CONFIG` };
  }
  const target = resolve(cwd, location.dir ?? '.');
  if (!existsSync(target)) return { error: `project folder ${target} not found` };
  if (statSync(target).isFile()) return { file: target };
  for (const name of ['flapi.yaml', 'flapi.yml']) {
    const file = join(target, name);
    if (existsSync(file)) return { file };
  }
  return { error: `no flapi.yaml in ${target}; run \`flapi init ${location.dir ?? '.'}\` to create a project, or pass -c path/to/flapi.yaml` };
}
