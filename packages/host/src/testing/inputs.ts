/**
 * Checking what a test passes to the API, with errors that name the operation and the field: a declarative table
 * of fields per operation, and one reader per kind of value.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TestInputError } from './errors';

/** Reads one value; `where` is `deploy: gasLimit`, `u64`, ... */
export type Reader<T> = (value: unknown, where: string) => T;

/** Something that names an account: its 32 bytes, their hex (with or without 0x), or a handle with an `address`. */
export type AddressLike = Uint8Array | string | { readonly address: Uint8Array };

export const ADDRESS_LENGTH = 32;

/** What a value is, for an error message: `the number 5`, `a string`, `undefined`. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${value}`;
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (value instanceof Uint8Array) return `${value.length} byte${value.length === 1 ? '' : 's'}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return `a ${value.constructor?.name ?? 'value'}`;
}

const fail = (where: string, message: string): never => {
  throw new TestInputError(`${where}: ${message}`);
};

export const bigintValue: Reader<bigint> = (value, where) => {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value))
    fail(where, `expected a bigint, got the number ${value} (write ${value}n)`);
  return fail(where, `expected a bigint, got ${kindOf(value)}`);
};

/** A bigint ≥ 0. */
export const amountValue: Reader<bigint> = (value, where) => {
  const amount = bigintValue(value, where);
  return amount < 0n ? fail(where, `must not be negative, got ${amount}n`) : amount;
};

export const stringValue: Reader<string> = (value, where) =>
  typeof value === 'string' ? value : fail(where, `expected a string, got ${kindOf(value)}`);

export const booleanValue: Reader<boolean> = (value, where) =>
  typeof value === 'boolean' ? value : fail(where, `expected true or false, got ${kindOf(value)}`);

/** Bytes: a Uint8Array, or hex text (with or without 0x). */
export const bytesValue: Reader<Uint8Array> = (value, where) => {
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  if (typeof value === 'string') {
    const hex = value.startsWith('0x') ? value.slice(2) : value;
    if (hex.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(hex)) return Uint8Array.from(Buffer.from(hex, 'hex'));
    return fail(where, `expected bytes or hex text, got ${kindOf(value)} (not hex: use str() for text)`);
  }
  return fail(where, `expected bytes (a Uint8Array) or hex text, got ${kindOf(value)}`);
};

export const addressValue: Reader<Uint8Array> = (value, where) => {
  const isHandle = typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && 'address' in value;
  const bytes = bytesValue(isHandle ? (value as { address: unknown }).address : value, where);
  if (bytes.length !== ADDRESS_LENGTH)
    fail(
      where,
      `an address has ${ADDRESS_LENGTH} bytes, got ${bytes.length}${typeof value === 'string' ? ` (${kindOf(value)})` : ''}`,
    );
  return bytes;
};

/** Contract code: its bytes, or the path of a .wasm file. */
export const codeValue: Reader<Uint8Array> = (value, where) => {
  if (typeof value !== 'string') return bytesValue(value, where);
  try {
    return new Uint8Array(readFileSync(path.resolve(value)));
  } catch (error) {
    return fail(where, `cannot read ${value}: ${(error as Error).message}`);
  }
};

/** Contract arguments: each already encoded (`u64(5n)`, `str('x')`, ...). */
export const argumentsValue: Reader<Uint8Array[]> = (value, where) => {
  if (!Array.isArray(value)) return fail(where, `expected an array of encoded arguments, got ${kindOf(value)}`);
  return value.map((arg, i) =>
    arg instanceof Uint8Array
      ? Uint8Array.from(arg)
      : fail(
          `${where}[${i}]`,
          `expected encoded bytes (u64(5n), biguint(5n), str('x'), address(a), ...), got ${kindOf(arg)}`,
        ),
  );
};

interface Field<T> {
  readonly read: Reader<T>;
  readonly required: boolean;
}

export const required = <T>(read: Reader<T>): Field<T> => ({ read, required: true });
export const optional = <T>(read: Reader<T>): Field<T | undefined> => ({ read, required: false });

type FieldValues<S> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

/** Reads an options object by its table of fields: a missing required field, an unknown field or a bad value throw. */
export function readFields<S extends Record<string, Field<unknown>>>(
  where: string,
  input: unknown,
  spec: S,
): FieldValues<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    fail(where, `expected an object with ${Object.keys(spec).join(', ')}, got ${kindOf(input)}`);
  const given = input as Record<string, unknown>;
  for (const key of Object.keys(given))
    if (!(key in spec)) fail(where, `unknown field ${key} (known: ${Object.keys(spec).join(', ')})`);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec)) {
    const value = given[key];
    if (value === undefined) {
      if (field.required) fail(where, `${key} is missing`);
      continue;
    }
    out[key] = field.read(value, `${where}: ${key}`);
  }
  return out as FieldValues<S>;
}
