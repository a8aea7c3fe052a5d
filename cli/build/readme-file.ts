/** `README.md` of the built project: how to run, deploy and call it. */
import type { EndpointSpec, Manifest } from '../../runtime/manifest.js';
import { NODE_LTS } from './dockerfile.js';
import type { OmittedFeature } from './optional-packages.js';
import { renderBuildTemplate } from './render-template.js';

export interface ReadmeEndpoint {
  endpoint: EndpointSpec;
  functionName: string;
  file: string;
}

function exampleArgs(endpoint: EndpointSpec): string {
  const required = endpoint.params.filter((p) => p.required && p.default === undefined);
  if (required.length === 0) return '';
  const value = (p: EndpointSpec['params'][number]) => JSON.stringify(p.example ?? (p.validators.some((v) => v.type === 'int' || v.type === 'number') ? 1 : '...'));
  return `{ ${required.map((p) => `${/^[A-Za-z_$][\w$]*$/.test(p.name) ? p.name : JSON.stringify(p.name)}: ${value(p)}`).join(', ')} }`;
}

/** Whether the example call can show real values: every required parameter has an example or is a number. */
function hasExampleValues(endpoint: EndpointSpec): boolean {
  return endpoint.params.every((p) => !p.required || p.default !== undefined || p.example !== undefined || p.validators.some((v) => v.type === 'int' || v.type === 'number'));
}

/** `>=22.12` → `22.12 or later`; any other range as written (`^22.12 || >=24`). */
function nodeRange(engines: string): string {
  const floor = /^>=\s*([\d.]+)$/.exec(engines.trim());
  return floor ? `${floor[1]} or later` : `\`${engines}\``;
}

export interface ReadmeInput {
  manifest: Manifest;
  packageName: string;
  clientPackage: string;
  endpoints: readonly ReadmeEndpoint[];
  templateDirs: readonly string[];
  hasData: boolean;
  /** `engines.node` of the built project, e.g. `>=20.19`. */
  nodeEngines: string;
  /** Features the project does not use, whose packages the build left out. */
  omitted: readonly OmittedFeature[];
}

export function readmeFile(input: ReadmeInput): string {
  const { manifest, packageName, endpoints, templateDirs, hasData } = input;
  const first = endpoints.find((e) => hasExampleValues(e.endpoint)) ?? endpoints[0];
  return renderBuildTemplate('README.md', {
    projectName: manifest.project.name,
    description: manifest.project.description,
    packageName,
    clientPackage: input.clientPackage,
    port: manifest.server.port || 8080,
    host: manifest.server.host,
    nodeRange: nodeRange(input.nodeEngines),
    omitted: input.omitted.map((o) => ({
      feature: o.feature,
      packages: o.packages.map((p) => `\`${p.name}\``).join(', '),
      install: o.packages.map((p) => `${p.name}@${p.version}`).join(' '),
    })),
    nodeVersion: NODE_LTS,
    hasData,
    templateDirs: templateDirs.length > 0 ? templateDirs.map((d) => `\`${d}/\``).join(', ') : 'SQL files',
    endpoints: endpoints.map((e) => ({ method: e.endpoint.method, path: e.endpoint.urlPath, functionName: e.functionName, file: e.file })),
    example: first ? { functionName: first.functionName, args: exampleArgs(first.endpoint) } : undefined,
  });
}
