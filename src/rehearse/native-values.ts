// Deterministic values for synthetic rows in MySQL/MariaDB and SQLite, by the column's own type (the
// PostgreSQL ones are values.ts). A value is the text the database reads for the type, or an SQL
// expression where text cannot say it (bit strings).
import type { ValueType } from './catalog.js';
import { EARLIEST_DATE, LATEST_DATE, type Variant } from './values.js';

export type NativeValue = { text: string } | { sql: string };

const MYSQL_INTS: Record<string, [signedMin: string, signedMax: string, unsignedMax: string]> = {
  tinyint: ['-128', '127', '255'],
  smallint: ['-32768', '32767', '65535'],
  mediumint: ['-8388608', '8388607', '16777215'],
  int: ['-2147483648', '2147483647', '4294967295'],
  integer: ['-2147483648', '2147483647', '4294967295'],
  bigint: ['-9223372036854775808', '9223372036854775807', '18446744073709551615'],
};

/** Bytes a MySQL text or blob type holds (the string limit twoway keeps to, in characters). */
const MYSQL_LONG: Record<string, number> = {
  tinytext: 255,
  text: 65535,
  mediumtext: 16777215,
  longtext: 4294967295,
  tinyblob: 255,
  blob: 65535,
  mediumblob: 16777215,
  longblob: 4294967295,
};

/** `varchar(255)` → 'varchar', [255]; `decimal(10,2) unsigned` → 'decimal', [10, 2], unsigned. */
export function parseMysqlType(columnType: string): { name: string; args: number[]; unsigned: boolean } {
  const lower = columnType.toLowerCase();
  const open = lower.indexOf('(');
  const name = (open < 0 ? lower.split(' ')[0] : lower.slice(0, open)) ?? lower;
  const args =
    open < 0 || name === 'enum' || name === 'set'
      ? []
      : lower
          .slice(open + 1, lower.indexOf(')', open))
          .split(',')
          .map((s) => Number.parseInt(s, 10));
  return { name: name.trim(), args, unsigned: lower.includes(' unsigned') };
}

/** The category values.ts's ValueType carries, for a MySQL column type. */
export function mysqlCategory(columnType: string): string {
  const { name, args } = parseMysqlType(columnType);
  if (name === 'tinyint' && args[0] === 1) return 'B';
  if (name in MYSQL_INTS || ['decimal', 'numeric', 'float', 'double', 'real', 'bit', 'year'].includes(name)) return 'N';
  if (['date', 'datetime', 'timestamp', 'time'].includes(name)) return 'D';
  if (name === 'enum' || name === 'set') return 'E';
  if (['char', 'varchar', 'binary', 'varbinary'].includes(name) || name in MYSQL_LONG) return 'S';
  return 'U';
}

const pad = (value: number | string, width: number) => String(value).padStart(width, '0');

/** Text of row `row` for a bounded string: distinct per row, capitalised every other row, never past `limit`. */
function stringValue(limit: number | null, row: number, variant: Variant, label: string, maxChar = 'é'): string {
  if (variant === 'min') return '';
  if (variant === 'max') {
    const length = Math.min(limit ?? 300, 300);
    return `${maxChar.repeat(Math.max(0, length - String(row).length))}${row}`.slice(-length);
  }
  const text = `${row % 2 ? label.charAt(0).toUpperCase() + label.slice(1) : label} ${row}`;
  if (limit === null || text.length <= limit) return text;
  return row.toString(36).slice(-limit).padStart(limit, 'x');
}

function decimalValue(precision: number, scale: number, row: number, variant: Variant): string {
  const digits = '9'.repeat(Math.max(0, precision - scale)) || '0';
  const max = scale > 0 ? `${digits}.${'9'.repeat(scale)}` : digits;
  if (variant === 'max') return max;
  if (variant === 'min') return `-${max}`;
  return scale > 0 ? `${(row + 1) % 10 ** Math.max(1, precision - scale)}.${'5'.padEnd(scale, '0')}` : String((row + 1) % 10 ** precision);
}

function uuidValue(row: number, variant: Variant): string {
  return variant === 'max' ? 'ffffffff-ffff-4fff-bfff-ffffffffffff' : `00000000-0000-4000-8000-${pad(row + 1, 12)}`;
}

function jsonValue(row: number, variant: Variant): string {
  if (variant === 'max') return '{"nested": {"list": [1, "two", null, true], "unicode": "é✓"}}';
  return variant === 'min' ? '[]' : `{"row": ${row}}`;
}

/** One of an enum's labels, or of the values a CHECK lists: the last for the largest row, the first for the smallest. */
function labelValue(labels: readonly string[], row: number, variant: Variant): NativeValue | null {
  const pick = variant === 'max' ? labels.at(-1) : variant === 'min' ? labels[0] : labels[row % labels.length];
  return pick === undefined ? null : { text: pick };
}

/** A MySQL/MariaDB value, or null when twoway has none for the type (the caller falls back to the default). */
export function mysqlValue(t: ValueType, row: number, variant: Variant, label: string): NativeValue | null {
  const { name, args, unsigned } = parseMysqlType(t.base);
  if (t.labels?.length) return labelValue(t.labels, row, variant);
  const ints = MYSQL_INTS[name];
  if (ints) {
    if (name === 'tinyint' && args[0] === 1) return { text: variant === 'max' ? '1' : variant === 'min' ? '0' : String(row % 2) };
    if (variant === 'max') return { text: unsigned ? ints[2] : ints[1] };
    if (variant === 'min') return { text: unsigned ? '0' : ints[0] };
    return { text: String(row + 1) };
  }
  switch (name) {
    case 'decimal':
    case 'numeric': {
      const value = decimalValue(args[0] ?? 10, args[1] ?? 0, row, variant);
      return { text: unsigned && value.startsWith('-') ? '0' : value };
    }
    case 'float':
      return { text: variant === 'max' ? '3.4e38' : variant === 'min' ? (unsigned ? '0' : '-3.4e38') : `${row + 1}.5` };
    case 'double':
    case 'real':
      return { text: variant === 'max' ? '1.7e308' : variant === 'min' ? (unsigned ? '0' : '-1.7e308') : `${row + 1}.5` };
    case 'bit': {
      const bits = args[0] ?? 1;
      return { sql: variant === 'max' ? `b'${'1'.repeat(bits)}'` : variant === 'min' ? "b'0'" : `b'${row % 2}'` };
    }
    case 'year':
      return { text: variant === 'max' ? '2155' : variant === 'min' ? '1901' : String(2020 + (row % 10)) };
    case 'date':
      return { text: variant === 'max' ? LATEST_DATE : variant === 'min' ? EARLIEST_DATE : `2024-01-${pad(row + 1, 2)}` };
    case 'datetime':
      return {
        text:
          variant === 'max'
            ? `${LATEST_DATE} 23:59:59`
            : variant === 'min'
              ? `${EARLIEST_DATE} 00:00:00`
              : `2024-01-${pad(row + 1, 2)} 12:34:56`,
      };
    case 'timestamp':
      // The session's time zone is UTC: TIMESTAMP holds 1970-01-01 00:00:01 to 2038-01-19 03:14:07.
      return {
        text: variant === 'max' ? '2038-01-19 03:14:07' : variant === 'min' ? '1970-01-01 00:00:01' : `2024-01-${pad(row + 1, 2)} 12:34:56`,
      };
    case 'time':
      return { text: variant === 'max' ? '838:59:59' : variant === 'min' ? '-838:59:59' : `12:34:${pad(row % 60, 2)}` };
    case 'json':
      return { text: jsonValue(row, variant) };
    case 'uuid':
      return { text: uuidValue(row, variant) };
    case 'inet4':
      return { text: `10.0.${Math.floor(row / 250)}.${(row % 250) + 1}` };
    case 'inet6':
      return { text: variant === 'max' ? '2001:db8::ffff' : `2001:db8::${row + 1}` };
    case 'binary':
    case 'varbinary':
      return { text: stringValue(args[0] ?? 1, row, variant, label, 'b') };
    case 'char':
    case 'varchar':
      return { text: stringValue(args[0] ?? 1, row, variant, label) };
  }
  if (name in MYSQL_LONG) return { text: stringValue(MYSQL_LONG[name] ?? null, row, variant, label, name.endsWith('blob') ? 'b' : 'é') };
  return null;
}

/** SQLite's type affinity of a declared type (https://sqlite.org/datatype3.html, 3.1). */
export function sqliteAffinity(declared: string): 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC' {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t.includes('BLOB') || t.trim() === '') return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

/** The category values.ts's ValueType carries, for an SQLite declared type. */
export function sqliteCategory(declared: string): string {
  const t = declared.toUpperCase();
  if (t.includes('BOOL')) return 'B';
  if (t.includes('DATE') || t.includes('TIME')) return 'D';
  const affinity = sqliteAffinity(declared);
  return affinity === 'TEXT' || affinity === 'BLOB' ? 'S' : affinity === 'NUMERIC' && !t.includes('NUM') && !t.includes('DEC') ? 'U' : 'N';
}

/** An SQLite value for the declared type: the names apps use (BOOLEAN, DATETIME, UUID, JSON) first, then the affinity. */
export function sqliteValue(t: ValueType, row: number, variant: Variant, label: string): NativeValue | null {
  if (t.labels?.length) return labelValue(t.labels, row, variant);
  const declared = t.base.toUpperCase();
  const open = declared.indexOf('(');
  const limit = open < 0 ? null : Number.parseInt(declared.slice(open + 1), 10) || null;
  if (declared.includes('BOOL')) return { text: variant === 'max' ? '1' : variant === 'min' ? '0' : String(row % 2) };
  if (declared.includes('UUID')) return { text: uuidValue(row, variant) };
  if (declared.includes('JSON')) return { text: jsonValue(row, variant) };
  if (declared.includes('TIMESTAMP') || declared.includes('DATETIME'))
    return {
      text:
        variant === 'max'
          ? `${LATEST_DATE} 23:59:59`
          : variant === 'min'
            ? `${EARLIEST_DATE} 00:00:00`
            : `2024-01-${pad(row + 1, 2)} 12:34:56`,
    };
  if (declared.includes('DATE'))
    return { text: variant === 'max' ? LATEST_DATE : variant === 'min' ? EARLIEST_DATE : `2024-01-${pad(row + 1, 2)}` };
  if (declared.includes('TIME'))
    return { text: variant === 'max' ? '23:59:59' : variant === 'min' ? '00:00:00' : `12:34:${pad(row % 60, 2)}` };
  switch (sqliteAffinity(declared)) {
    case 'INTEGER':
      return { text: variant === 'max' ? '9223372036854775807' : variant === 'min' ? '-9223372036854775808' : String(row + 1) };
    case 'REAL':
      return { text: variant === 'max' ? '1.7e308' : variant === 'min' ? '-1.7e308' : `${row + 1}.5` };
    case 'NUMERIC': {
      const [precision, scale] =
        open < 0
          ? []
          : declared
              .slice(open + 1, declared.indexOf(')'))
              .split(',')
              .map((s) => Number.parseInt(s, 10));
      if (precision) return { text: decimalValue(precision, scale ?? 0, row, variant) };
      return { text: variant === 'max' ? '12345678901234567890.5' : variant === 'min' ? '-0.000001' : `${row + 1}.25` };
    }
    case 'TEXT':
      return { text: stringValue(limit, row, variant, label) };
    case 'BLOB':
      return { text: stringValue(limit, row, variant, label, 'b') };
  }
}
