/**
 * GEOMETRY values as WKT text (`POINT (1 2)`), as flAPI and DuckDB's own VARCHAR cast
 * write them. DuckDB hands a geometry over as WKB bytes; this reads ISO and extended
 * WKB (Z, M, ZM) for the seven OGC types. Anything it cannot read is given as base64,
 * so no value is lost.
 */

class Reader {
  private offset = 0;
  private little = true;
  constructor(private readonly view: DataView) {}

  byteOrder(): void {
    this.little = this.view.getUint8(this.offset++) === 1;
  }
  uint32(): number {
    const value = this.view.getUint32(this.offset, this.little);
    this.offset += 4;
    return value;
  }
  double(): number {
    const value = this.view.getFloat64(this.offset, this.little);
    this.offset += 8;
    return value;
  }
}

const NAMES = ['', 'POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION'];

const number = (value: number): string => String(value);

function geometry(reader: Reader): string {
  reader.byteOrder();
  let type = reader.uint32();
  // Extended WKB flags, then ISO's thousands (1001 = POINT Z, 2001 = POINT M, 3001 = POINT ZM).
  let z = (type & 0x80000000) !== 0;
  let m = (type & 0x40000000) !== 0;
  type &= 0x0fffffff;
  if (type > 1000) {
    const dims = Math.floor(type / 1000);
    z ||= dims === 1 || dims === 3;
    m ||= dims === 2 || dims === 3;
    type %= 1000;
  }
  const name = NAMES[type];
  if (name === undefined || name === '') throw new Error(`geometry type ${type}`);
  const width = 2 + (z ? 1 : 0) + (m ? 1 : 0);
  const suffix = z && m ? ' ZM' : z ? ' Z' : m ? ' M' : '';
  const point = () => Array.from({ length: width }, () => number(reader.double())).join(' ');
  const points = () => {
    const n = reader.uint32();
    return Array.from({ length: n }, point);
  };
  const list = (items: string[]) => (items.length === 0 ? ' EMPTY' : ` (${items.join(', ')})`);
  switch (type) {
    case 1: {
      const coords = Array.from({ length: width }, () => reader.double());
      return coords.every(Number.isNaN) ? `${name}${suffix} EMPTY` : `${name}${suffix} (${coords.map(number).join(' ')})`;
    }
    case 2:
      return `${name}${suffix}${list(points())}`;
    case 3: {
      const rings = reader.uint32();
      return `${name}${suffix}${list(Array.from({ length: rings }, () => `(${points().join(', ')})`))}`;
    }
    default: {
      const parts = reader.uint32();
      const members = Array.from({ length: parts }, () => geometry(reader));
      if (type === 7) return `${name}${suffix}${list(members)}`;
      // Multi* members are written without their own type names; a multipoint's points without parentheses.
      const bare = members.map((member) => member.replace(/^[A-Z]+( ZM| Z| M)? /, ''));
      return `${name}${suffix}${list(type === 4 ? bare.map((point) => point.replace(/^\((.*)\)$/, '$1')) : bare)}`;
    }
  }
}

export function wkbText(bytes: Uint8Array): string {
  try {
    return geometry(new Reader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  }
}
