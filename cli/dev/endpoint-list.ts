/** The start-up banner of `flapi dev`: where it listens and what it serves. */
import type { Manifest } from '../../runtime/manifest.js';

export function endpointList(manifest: Manifest, url: string): string {
  const rows = manifest.endpoints
    .filter((e) => e.urlPath !== undefined)
    .map((e) => `  ${e.method.padEnd(6)} ${url}${e.urlPath}${e.pagination && e.operation.type === 'read' ? '  (paged)' : ''}`);
  const lines = [`flapi dev: ${manifest.project.name} serving at ${url}`];
  lines.push(rows.length > 0 ? `${rows.length} endpoint(s):` : 'no HTTP endpoints yet (add a YAML file with url-path).');
  lines.push(...rows);
  lines.push(`  health ${url}/_flapi/health   ready ${url}/_flapi/ready`);
  return `${lines.join('\n')}\n`;
}
