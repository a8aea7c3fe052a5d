/**
 * The non-TypeScript files of a build (Dockerfile, README, ignore files) are Mustache
 * templates in `templates/build/`, so they read as the files they become.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Mustache from 'mustache';
import { packageRoot } from '../config/package-root.js';

export function renderBuildTemplate(name: string, view: object): string {
  const template = readFileSync(join(packageRoot(), 'templates', 'build', name), 'utf8');
  // These are not HTML: values go in as written.
  return Mustache.render(template, view, {}, { escape: (text: string) => text });
}
