/**
 * `{{env.NAME}}` in YAML is substituted when the project compiles, so a build bakes the
 * value into `manifest.json` (and any image made from it). Templates' `env.*` are read at
 * request time and are not affected. This names the variables whose values ended up in
 * the manifest, so a secret is not shipped unnoticed.
 */
import { readFileSync } from 'node:fs';

const ENV_TAG = /\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Names used as `{{env.NAME}}` in YAML files, outside full-line comments. */
function yamlEnvNames(files: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    if (!/\.ya?ml$/i.test(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (/^\s*#/.test(line)) continue;
      for (const match of line.matchAll(ENV_TAG)) names.add(match[1]!);
    }
  }
  return names;
}

export function bakedEnvironment(files: readonly string[], manifestJson: string, env: Readonly<Record<string, string | undefined>>): string[] {
  const baked: string[] = [];
  for (const name of yamlEnvNames(files)) {
    const value = env[name];
    // Short values (a port, "true") match by accident; they are not secrets either.
    if (value !== undefined && value.length >= 4 && manifestJson.includes(JSON.stringify(value).slice(1, -1))) baked.push(name);
  }
  return baked.sort();
}
