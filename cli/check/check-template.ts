import { spliceParams } from '../../runtime/plan/splice-rule.js';
import { compileTemplate, TemplateSyntaxError, type CompiledTemplate, type TemplateReference } from '../../runtime/template/index.js';
import type { ProjectEnvironment } from '../config/environment.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export interface CheckedTemplates {
  main?: CompiledTemplate;
  cache?: CompiledTemplate;
}


/** Parses an endpoint's templates and checks every tag against what the endpoint declares. */
export function checkTemplates(endpoint: CompiledEndpoint, env: ProjectEnvironment, connectionProperties: readonly string[], diagnostics: Diagnostic[]): CheckedTemplates {
  const { spec } = endpoint;
  const out: CheckedTemplates = {};
  const context = { endpoint, env, connectionProperties, diagnostics };
  if (endpoint.templatePath && spec.template.sql !== '') {
    out.main = parse(spec.template.sql, endpoint.templatePath, spliceParams(spec.params), diagnostics);
    out.main?.references.forEach((ref) => checkReference(ref, endpoint.templatePath!, false, context));
  }
  if (endpoint.cacheTemplatePath && spec.cache?.template?.sql) {
    out.cache = parse(spec.cache.template.sql, endpoint.cacheTemplatePath, new Map(), diagnostics);
    out.cache?.references.forEach((ref) => checkReference(ref, endpoint.cacheTemplatePath!, true, context));
  }
  return out;
}

function parse(sql: string, file: string, splice: ReadonlyMap<string, readonly string[]>, diagnostics: Diagnostic[]): CompiledTemplate | undefined {
  try {
    return compileTemplate(sql, { splice });
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    diagnostics.push({ severity: 'error', file, ...syntaxErrorPosition(err, sql), code: 'template-syntax',
      message: `template syntax error: ${err.message}` });
    return undefined;
  }
}

interface ReferenceContext {
  endpoint: CompiledEndpoint;
  env: ProjectEnvironment;
  connectionProperties: readonly string[];
  diagnostics: Diagnostic[];
}

function checkReference(ref: TemplateReference, file: string, isCacheTemplate: boolean, context: ReferenceContext): void {
  const { spec } = context.endpoint;
  const at = { file, line: ref.line, column: ref.column };
  const yaml = spec.file;
  const push = (severity: Diagnostic['severity'], code: string, message: string) => {
    // A warning about a name once per template file, not at each of its tags.
    if (severity === 'warning' && context.diagnostics.some((d) => d.code === code && d.file === file && d.message === message)) return;
    context.diagnostics.push({ severity, ...at, code, message });
  };
  if (ref.path === '.' || (ref.placement === 'section' && ref.namespace === undefined)) return;
  switch (ref.namespace) {
    case 'params': {
      if (ref.key === undefined) return;
      if (isCacheTemplate) {
        // flAPI renders a refresh with no request values: sections on params.* are skipped.
        push('warning', 'cache-template-params', `cache template uses ${ref.path}, which a cache refresh renders empty (a refresh has no request); use cache.*, conn.* or env.* instead`);
        return;
      }
      const param = spec.params.find((p) => p.name === ref.key);
      const paging = spec.pagination && (ref.key === 'limit' || ref.key === 'offset');
      if (!param && !paging) {
        // As in flAPI, an undeclared request value still reaches the template: as text, always bound.
        if (spec.requestFieldsValidation) {
          push('warning', 'param-undeclared', `template uses ${ref.path}, but \`${ref.key}\` is not declared and request-fields-validation rejects undeclared fields, so it always renders empty; add \`- field-name: ${ref.key}\` under \`request:\` in ${yaml}`);
        } else {
          push('warning', 'param-undeclared', `template uses ${ref.path}, but \`${ref.key}\` is not declared: a request value is passed as unvalidated text (bound, never spliced); add \`- field-name: ${ref.key}\` under \`request:\` in ${yaml}`);
        }
        if (ref.placement === 'identifier') {
          push('error', 'param-as-sql-text', `${ref.path} stands where SQL text is expected, but \`${ref.key}\` is not declared; declare it with an \`enum\` validator in ${yaml}`);
        }
        return;
      }
      if (ref.placement === 'identifier' && !param?.validators.some((v) => v.type === 'enum')) {
        push('error', 'param-as-sql-text', `${ref.path} stands where SQL text is expected (an identifier or after ORDER BY/GROUP BY/FROM/JOIN), but \`${ref.key}\` is not enum-validated; add an \`enum\` validator with \`allowedValues\` to \`${ref.key}\` in ${yaml}`);
      }
      return;
    }
    case 'auth':
      if (ref.placement === 'identifier') {
        push('error', 'auth-as-sql-text', `${ref.path} stands where SQL text is expected; auth values are bound as parameters, so compare them as values instead (e.g. \`WHERE owner = {{${ref.path}}}\`)`);
      }
      return;
    case 'env':
      if (ref.key !== undefined && !context.env.allows(ref.key)) {
        push('warning', 'env-not-whitelisted', `${ref.path} is not whitelisted and renders empty; add a pattern matching ${ref.key} to \`template.environment-whitelist\` in flapi.yaml`);
      }
      return;
    case 'conn':
      if (ref.key !== undefined && !context.connectionProperties.includes(ref.key)) {
        const connection = spec.connection[0] ?? '(none)';
        push('warning', 'conn-property-missing', `${ref.path} is not a property of connection \`${connection}\` and renders empty; add \`${ref.key}\` under its \`properties:\` in flapi.yaml`);
      }
      return;
    case 'cache':
      if (!spec.cache) {
        push('warning', 'cache-undeclared', `${ref.path} is used but the endpoint has no \`cache:\` block, so it renders empty; add a cache block to ${yaml}`);
      }
      return;
    default:
      push('warning', 'unknown-namespace', `{{${ref.path}}} reads no known namespace and renders empty; use params.*, conn.*, env.*, auth.* or cache.*`);
  }
}

/** Mustache reports an unclosed section at the end of the text; the opening tag is what to fix. */
function syntaxErrorPosition(err: TemplateSyntaxError, sql: string): { line: number; column: number } {
  const name = /Unclosed section "([^"]+)"/.exec(err.message)?.[1];
  if (!name) return { line: err.line, column: err.column };
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const opening = [...sql.matchAll(new RegExp(`\\{\\{\\s*[#^]\\s*${escaped}\\s*\\}\\}`, 'g'))].pop();
  if (opening?.index === undefined) return { line: err.line, column: err.column };
  const before = sql.slice(0, opening.index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
