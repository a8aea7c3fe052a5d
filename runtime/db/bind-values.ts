/**
 * Binds template values to a prepared statement with the type DuckDB expects where the
 * statement says it (`parameterTypeId`), so a number meant for a VARCHAR column or a
 * bigint meant for a BIGINT one arrives exactly. Text is bound as VARCHAR and left to
 * DuckDB's cast, which is how `'2024-01-31'` reaches a DATE parameter.
 */
import { DuckDBTypeId, type DuckDBPreparedStatement } from '@duckdb/node-api';
import type { BoundValue } from '../template/index.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const parameterTypes = new WeakMap<DuckDBPreparedStatement, DuckDBTypeId[]>();

/** The parameter types of a statement, read once and remembered with it. */
export function parameterTypesOf(statement: DuckDBPreparedStatement): DuckDBTypeId[] {
  let types = parameterTypes.get(statement);
  if (types === undefined) {
    types = [];
    for (let i = 1; i <= statement.parameterCount; i++) types.push(statement.parameterTypeId(i));
    parameterTypes.set(statement, types);
  }
  return types;
}

function isTextType(type: DuckDBTypeId): boolean {
  return type === DuckDBTypeId.VARCHAR;
}

function isFloatType(type: DuckDBTypeId): boolean {
  return type === DuckDBTypeId.DOUBLE || type === DuckDBTypeId.FLOAT || type === DuckDBTypeId.DECIMAL;
}

function bindBig(statement: DuckDBPreparedStatement, index: number, value: bigint, type: DuckDBTypeId): void {
  if (isTextType(type)) statement.bindVarchar(index, value.toString());
  else if (type === DuckDBTypeId.HUGEINT || value < INT64_MIN || value > INT64_MAX) statement.bindHugeInt(index, value);
  else statement.bindBigInt(index, value);
}

function bindNumber(statement: DuckDBPreparedStatement, index: number, value: number, type: DuckDBTypeId): void {
  if (isTextType(type)) statement.bindVarchar(index, String(value));
  else if (!Number.isInteger(value) || isFloatType(type)) statement.bindDouble(index, value);
  else if (value >= INT32_MIN && value <= INT32_MAX && type !== DuckDBTypeId.BIGINT) statement.bindInteger(index, value);
  else if (Number.isSafeInteger(value)) statement.bindBigInt(index, BigInt(value));
  else statement.bindDouble(index, value);
}

export function bindValues(statement: DuckDBPreparedStatement, values: readonly BoundValue[]): void {
  const types = parameterTypesOf(statement);
  if (values.length !== types.length) {
    throw new Error(`statement expects ${types.length} parameters, got ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const index = i + 1;
    const type = types[i]!;
    if (value === null || value === undefined) statement.bindNull(index);
    else if (typeof value === 'string') statement.bindVarchar(index, value);
    else if (typeof value === 'number') bindNumber(statement, index, value, type);
    else if (typeof value === 'bigint') bindBig(statement, index, value, type);
    else if (isTextType(type)) statement.bindVarchar(index, value ? 'true' : 'false');
    else statement.bindBoolean(index, value);
  }
}
