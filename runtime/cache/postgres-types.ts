/**
 * PostgreSQL result columns (type OID + modifier from the row description) as DuckDB
 * columns for reading COPY's CSV. Most types travel as their text form, which DuckDB
 * parses directly; a few need a different text on the PostgreSQL side (`export`) and a
 * conversion on the DuckDB side (`load`).
 */
export interface PgField {
  name: string;
  dataTypeID: number;
  dataTypeModifier: number;
}

export interface ColumnTransfer {
  name: string;
  /** DuckDB type of the column in the CSV. */
  csvType: string;
  /** PostgreSQL expression producing the CSV text, with `$` standing for the column. */
  exportExpr: string;
  /** DuckDB expression turning the CSV value into the cached value, with `$` for the column. */
  loadExpr: string;
  /** The cached column's DuckDB type. */
  type: string;
}

const SCALAR: Record<number, string> = {
  16: 'BOOLEAN',
  18: 'VARCHAR', // "char"
  19: 'VARCHAR', // name
  20: 'BIGINT',
  21: 'SMALLINT',
  23: 'INTEGER',
  25: 'VARCHAR',
  26: 'UBIGINT', // oid
  114: 'JSON',
  142: 'VARCHAR', // xml
  700: 'FLOAT',
  701: 'DOUBLE',
  1042: 'VARCHAR', // bpchar
  1043: 'VARCHAR',
  1082: 'DATE',
  1083: 'TIME',
  1114: 'TIMESTAMP',
  1184: 'TIMESTAMPTZ',
  1186: 'INTERVAL',
  1266: 'TIMETZ',
  2950: 'UUID',
  3802: 'JSON', // jsonb
};

/** Array OIDs by element type; they travel as JSON and become DuckDB lists. */
const ARRAY_OF: Record<number, string> = {
  1000: 'BOOLEAN',
  1005: 'SMALLINT',
  1007: 'INTEGER',
  1016: 'BIGINT',
  1009: 'VARCHAR',
  1015: 'VARCHAR',
  1014: 'VARCHAR',
  1021: 'FLOAT',
  1022: 'DOUBLE',
  1182: 'DATE',
  1115: 'TIMESTAMP',
  1185: 'TIMESTAMPTZ',
  2951: 'UUID',
  1231: 'DOUBLE',
};

const NUMERIC = 1700;
const BYTEA = 17;

export function columnTransfer(field: PgField): ColumnTransfer {
  const plain = (type: string): ColumnTransfer => ({ name: field.name, csvType: type, exportExpr: '$', loadExpr: '$', type });
  if (field.dataTypeID === NUMERIC) return plain(numericType(field.dataTypeModifier));
  if (field.dataTypeID === BYTEA) {
    return { name: field.name, csvType: 'VARCHAR', exportExpr: "encode($, 'hex')", loadExpr: 'unhex($)', type: 'BLOB' };
  }
  const element = ARRAY_OF[field.dataTypeID];
  if (element !== undefined) {
    const type = `${element}[]`;
    return { name: field.name, csvType: 'VARCHAR', exportExpr: 'array_to_json($)', loadExpr: `CAST(CAST($ AS JSON) AS ${type})`, type };
  }
  // Enums, domains over text, network types, money and the rest: their text form.
  return plain(SCALAR[field.dataTypeID] ?? 'VARCHAR');
}

/**
 * numeric(p,s) keeps its precision when DuckDB can hold it (p ≤ 38); an unconstrained
 * numeric, which may hold any scale, becomes DOUBLE as in DuckDB's own postgres scanner.
 */
function numericType(modifier: number): string {
  if (modifier < 4) return 'DOUBLE';
  const precision = ((modifier - 4) >> 16) & 0xffff;
  const scale = (modifier - 4) & 0xffff;
  return precision >= 1 && precision <= 38 && scale <= precision ? `DECIMAL(${precision},${scale})` : 'DOUBLE';
}
