/**
 * Whether a secret in the config was written as `{{env.NAME}}`. Substitution happens on
 * the text before parsing, so the parsed value is already the variable's content; this
 * looks at what the user wrote at the value's position instead. A secret that is exactly
 * one `{{env.NAME}}` stays a reference in the manifest and is read when the server starts,
 * so a built server never carries it.
 */
import { readFileSync } from 'node:fs';
import type { SecretSpec } from '../../runtime/manifest.js';
import type { YamlDocument, YamlPath } from './yaml-document.js';

const ENV_ONLY = /^(['"]?)\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\1\s*(?:#.*)?$/;

function writtenAt(doc: YamlDocument, path: YamlPath): string | undefined {
  const at = doc.locate(path);
  try {
    const line = readFileSync(at.file, 'utf8').split(/\r?\n/)[at.line - 1];
    return line?.slice(at.column - 1);
  } catch {
    return undefined;
  }
}

/** The environment variable a value was written as, when it is nothing but `{{env.NAME}}`. */
export function envReference(doc: YamlDocument, path: YamlPath): string | undefined {
  const text = writtenAt(doc, path);
  return text === undefined ? undefined : ENV_ONLY.exec(text)?.[2];
}

export function secretSource(doc: YamlDocument, path: YamlPath, value: string): SecretSpec {
  const env = envReference(doc, path);
  return env !== undefined ? { env } : { value };
}
