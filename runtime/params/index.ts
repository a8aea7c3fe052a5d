export { compileParams, type ParamParser, type CompileParamsOptions } from './compile-params.js';
export { compileCheck, checkFor } from './compile-check.js';
export { paginationParams } from './pagination-params.js';
export {
  Invalid,
  type FieldError,
  type ParamValue,
  type ParseResult,
  type RawScalar,
  type RequestInput,
  type ValueCheck,
} from './param-types.js';
export { dryRunParams, placeholderValue } from './placeholder-values.js';
