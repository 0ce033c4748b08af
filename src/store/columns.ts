import type { SQLOutputValue } from 'node:sqlite';

/** A row as node:sqlite returns it. */
export type Row = Record<string, SQLOutputValue>;

/**
 * Typed reads of one column, for the repositories' row mappers. A wrong type is a bug in
 * our schema or SQL (a TypeError naming the table and column), never a user's mistake.
 */
export function text(row: Row, table: string, column: string): string {
  const v = row[column];
  if (typeof v !== 'string') throw new TypeError(`${table}.${column}: expected text, got ${typeof v}`);
  return v;
}

export function optText(row: Row, table: string, column: string): string | null {
  return row[column] === null ? null : text(row, table, column);
}

export function int(row: Row, table: string, column: string): number {
  const v = row[column];
  if (typeof v !== 'number') throw new TypeError(`${table}.${column}: expected an integer, got ${typeof v}`);
  return v;
}

export function optInt(row: Row, table: string, column: string): number | null {
  return row[column] === null ? null : int(row, table, column);
}

export function bool(row: Row, table: string, column: string): boolean {
  return int(row, table, column) !== 0;
}

/** A JSON column, parsed. */
export function json(row: Row, table: string, column: string): unknown {
  return JSON.parse(text(row, table, column)) as unknown;
}

/** JSON text for a column; refuses what JSON cannot hold instead of storing "undefined". */
export function toJson(value: unknown, what: string): string {
  const out = JSON.stringify(value);
  if (out === undefined) throw new TypeError(`${what} must be JSON-serialisable`);
  return out;
}
