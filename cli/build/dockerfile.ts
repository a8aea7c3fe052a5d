/**
 * `Dockerfile`: a two-stage image on the current Node LTS slim image, running as the
 * unprivileged `node` user, with a HEALTHCHECK on `/_flapi/health`.
 */
import { renderBuildTemplate } from './render-template.js';

/** The Node.js LTS line the image is built on (overridable with `--build-arg NODE_VERSION`). */
export const NODE_LTS = '26';

export interface DockerfileInput {
  projectName: string;
  packageName: string;
  port: number;
  hasData: boolean;
}

export function dockerfile(input: DockerfileInput): string {
  return renderBuildTemplate('Dockerfile', { ...input, nodeVersion: NODE_LTS });
}

export function dockerignore(): string {
  return renderBuildTemplate('dockerignore', {});
}

export function gitignore(): string {
  return renderBuildTemplate('gitignore', {});
}
