/** The OpenAPI document as YAML, for flAPI's `/doc.yaml` alias. */
import { stringify } from 'yaml';
import type { OpenApiDocument } from './build-openapi.js';

export function openApiYaml(document: OpenApiDocument): string {
  // aliasDuplicateObjects off: shared sub-objects are written out, not as &anchors.
  return stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
}
