import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { ProjectEnvironment } from './environment.js';
import { readWhitelist } from './read-whitelist.js';
import { substituteFile } from './substitute.js';
import { YamlDocument } from './yaml-document.js';
import { suggestKey } from '../diagnostics/suggest.js';

/** Top-level keys that make a YAML file an endpoint; any other YAML file is a shared fragment. */
export const ENDPOINT_KEYS = ['url-path', 'mcp-tool', 'mcp-resource', 'mcp-prompt'] as const;

export interface LoadedProject {
  configFile: string;
  /** Folder of flapi.yaml: every project path resolves against it. */
  root: string;
  main: YamlDocument;
  env: ProjectEnvironment;
  templateDir: string;
  endpoints: YamlDocument[];
}

export function loadProject(
  configFile: string,
  envValues: Record<string, string | undefined>,
  diagnostics: Diagnostic[],
  files: Set<string>,
): LoadedProject | undefined {
  const root = dirname(configFile);
  let rawText = '';
  try {
    rawText = readFileSync(configFile, 'utf8');
  } catch {
    // substituteFile reports it.
  }
  const env = new ProjectEnvironment(readWhitelist(rawText), envValues);
  const context = { env, diagnostics, files };
  const mainSource = substituteFile(configFile, context);
  if (!mainSource) return undefined;
  const main = new YamlDocument(configFile, mainSource);
  diagnostics.push(...main.parseDiagnostics);
  if (main.data === undefined) return undefined;

  const template = (main.data as { template?: { path?: unknown } } | null)?.template;
  const templatePath = typeof template?.path === 'string' ? template.path : './sqls';
  const templateDir = resolve(root, templatePath);
  const endpoints: YamlDocument[] = [];
  for (const file of yamlFilesUnder(templateDir)) {
    if (file === configFile) continue;
    const source = substituteFile(file, context);
    if (!source) continue;
    const doc = new YamlDocument(file, source);
    const isEndpoint = doc.data === undefined
      ? ENDPOINT_KEYS.some((k) => new RegExp(`^${k}\\s*:`, 'm').test(source.text))
      : isEndpointData(doc.data);
    if (!isEndpoint) {
      warnNearMiss(doc, diagnostics);
      continue;
    }
    diagnostics.push(...doc.parseDiagnostics);
    endpoints.push(doc);
  }
  return { configFile, root, main, env, templateDir, endpoints };
}

export function isEndpointData(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) &&
    ENDPOINT_KEYS.some((k) => k in (data as Record<string, unknown>));
}

/** YAML files below `dir`, recursively, in a stable order. */
function yamlFilesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFilesUnder(path));
    else if (/\.ya?ml$/i.test(entry.name) && !/\.test\.ya?ml$/i.test(entry.name)) out.push(path);
  }
  return out;
}

/** `url_path:` makes a file a silent fragment; say so, since that is rarely what was meant. */
function warnNearMiss(doc: YamlDocument, diagnostics: Diagnostic[]): void {
  for (const { key, position } of doc.keysAt([])) {
    const suggestion = suggestKey(key, ENDPOINT_KEYS);
    if (!suggestion) continue;
    diagnostics.push({ severity: 'warning', ...position, code: 'unknown-key',
      message: `unknown key \`${key}\`; did you mean \`${suggestion}\`? Without ${ENDPOINT_KEYS.join(', ')} this file is treated as a shared fragment, not an endpoint` });
  }
}
