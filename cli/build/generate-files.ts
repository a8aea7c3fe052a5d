/**
 * Every text file of a built project, generated in memory from the portable manifest:
 * what `flapi build` writes and what the golden test compares.
 */
import type { EndpointSpec, Manifest } from '../../runtime/manifest.js';
import { buildOpenApi } from '../../runtime/openapi/index.js';
import { clientFile, type ClientEndpoint } from './client-file.js';
import { clientPackageJson, clientPackageName, clientTsconfigJson } from './client-package.js';
import { clientFunctionNames, endpointFileNames, pascalCase } from './code-names.js';
import { dockerfile, dockerignore, gitignore } from './dockerfile.js';
import { endpointFile } from './endpoint-file.js';
import { endpointsIndexFile } from './endpoints-index-file.js';
import { lambdaFile } from './lambda-file.js';
import { projectDependencies } from './optional-packages.js';
import { packageJson, packageJsonName, tsconfigJson } from './package-json.js';
import { templateDirs } from './portable-manifest.js';
import { readmeFile } from './readme-file.js';
import { serverFile } from './server-file.js';
import { createTsProject } from './ts-project.js';
import { typesFile } from './types-file.js';
import { VENDOR_DIR, vendorPackageJson, type VendoredRuntime } from './vendor-runtime.js';

export interface GenerateInput {
  manifest: Manifest;
  runtime: Pick<VendoredRuntime, 'dependencies' | 'typeDependencies' | 'version' | 'nodeEngines'>;
  hasData: boolean;
}

/** Where a template's text goes in the output: its project path, unless that leaves the project. */
export function templateOutputPath(file: string): string {
  const normal = file.split('\\').join('/').replace(/^\.\//, '');
  if (!normal.split('/').includes('..') && !normal.startsWith('/')) return normal;
  return `sql/${normal.split('/').filter((p) => p !== '..' && p !== '').join('/')}`;
}

function templateFiles(endpoints: readonly EndpointSpec[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const e of endpoints) {
    for (const t of [e.template, e.cache?.template]) if (t !== undefined) files.set(templateOutputPath(t.file), t.sql);
  }
  return files;
}

/** Relative path → file text, sorted by path. */
export function generateFiles(input: GenerateInput): Map<string, string> {
  const { manifest } = input;
  const projectName = manifest.project.name;
  const packageName = packageJsonName(projectName);
  const http = manifest.endpoints.filter((e) => e.urlPath !== undefined);
  const functionNames = clientFunctionNames(http);
  const fileNames = endpointFileNames(http);
  const endpoints: ClientEndpoint[] = http.map((endpoint) => {
    const functionName = functionNames.get(endpoint.name)!;
    return { endpoint, functionName, moduleName: pascalCase(functionName), file: fileNames.get(endpoint.name)! };
  });

  const files = new Map<string, string>();
  const project = createTsProject();
  files.set('src/types.ts', typesFile(project, projectName));
  for (const e of endpoints) files.set(`src/endpoints/${e.file}.ts`, endpointFile(project, `src/endpoints/${e.file}.ts`, e.endpoint, manifest.server.bigint));
  files.set('src/endpoints/index.ts', endpointsIndexFile(project, endpoints.map((e) => ({ name: e.moduleName, file: e.file }))));
  files.set('src/server.ts', serverFile(project, projectName));
  files.set('src/lambda.ts', lambdaFile(project, projectName));
  files.set('src/client.ts', clientFile(project, projectName, endpoints));

  files.set('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  files.set('openapi.json', `${JSON.stringify(buildOpenApi(manifest, '/'), null, 2)}\n`);
  const templates = templateFiles(manifest.endpoints);
  for (const [path, sql] of templates) files.set(path, sql.endsWith('\n') ? sql : `${sql}\n`);

  const { dependencies, omitted } = projectDependencies(input.runtime.dependencies, manifest);
  files.set('package.json', packageJson({ projectName, description: manifest.project.description, runtime: input.runtime, dependencies }));
  files.set('client/package.json', clientPackageJson(packageName, projectName));
  files.set('client/tsconfig.json', clientTsconfigJson());
  files.set('tsconfig.json', tsconfigJson());
  files.set('Dockerfile', dockerfile({ projectName, packageName, port: manifest.server.port || 8080, hasData: input.hasData }));
  files.set('.dockerignore', dockerignore());
  files.set('.gitignore', gitignore());
  files.set('README.md', readmeFile({
    manifest,
    packageName,
    clientPackage: clientPackageName(packageName),
    endpoints,
    templateDirs: templateDirs([...templates.keys()]),
    hasData: input.hasData,
    nodeEngines: input.runtime.nodeEngines,
    omitted,
  }));
  files.set(`${VENDOR_DIR}/package.json`, vendorPackageJson(input.runtime.version));
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}
