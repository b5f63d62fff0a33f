/**
 * The reference's AsyncContextInfo (arwen/interface.go): the pending promises of a transaction, which the promises
 * API stores in contract storage under `<original tx hash>asyncCalls` as Go's encoding/json writes it (struct
 * field order, map keys sorted by their bytes, []byte as base64). The structs are shapes, encoded by the wire codec.
 */
import { encodeShape } from '../wire/json/codec';
import { compareBytes } from '../wire/json/byteKeys';
import { f, type Bytes, type ShapeValue } from '../wire/fields';
import { goQuote } from '../wire/json/goJson';

export const AsyncGeneratedCallShape = {
  Status: f.int,
  Destination: f.bytes,
  Data: f.bytes,
  GasLimit: f.u64,
  ValueBytes: f.bytes,
  SuccessCallback: f.string,
  ErrorCallback: f.string,
  ProvidedGas: f.u64,
} as const;

export const AsyncContextShape = {
  Callback: f.string,
  AsyncCalls: f.structList(AsyncGeneratedCallShape),
} as const;

export type AsyncGeneratedCallRecord = ShapeValue<typeof AsyncGeneratedCallShape>;
export type AsyncContextRecord = ShapeValue<typeof AsyncContextShape>;

/** `AsyncContextMap` (a Go `map[string]*AsyncContext`) as entries: the key's bytes and the context. */
export interface AsyncContextInfo {
  CallerAddr: Bytes;
  ReturnData: Bytes;
  AsyncContextMap: { id: Uint8Array; context: AsyncContextRecord }[];
}

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
const base64 = (bytes: Bytes) => (bytes === null ? 'null' : `"${Buffer.from(bytes).toString('base64')}"`);

/** Go's encoding of the record (a string in Go is its bytes: a key is written as their UTF-8 reading). */
export function encodeAsyncContextInfo(info: AsyncContextInfo): string {
  const entries = [...info.AsyncContextMap].sort((a, b) => compareBytes(a.id, b.id));
  const map = entries
    .map(({ id, context }) => `${goQuote(utf8(id))}:${encodeShape(AsyncContextShape, context, 'AsyncContextMap')}`)
    .join(',');
  return `{"CallerAddr":${base64(info.CallerAddr)},"ReturnData":${base64(info.ReturnData)},"AsyncContextMap":{${map}}}`;
}

/** A stored record back, or undefined when the text is not one (a contract may write that key too). */
export function decodeAsyncContextInfo(text: string): AsyncContextInfo | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  if (!isObject(json) || !isBytes(json.CallerAddr) || !isBytes(json.ReturnData)) return undefined;
  const map = json.AsyncContextMap ?? {};
  if (!isObject(map)) return undefined;
  const entries: AsyncContextInfo['AsyncContextMap'] = [];
  for (const [id, context] of Object.entries(map)) {
    if (!isObject(context) || typeof context.Callback !== 'string') return undefined;
    const calls = context.AsyncCalls ?? [];
    if (!Array.isArray(calls)) return undefined;
    const records: AsyncGeneratedCallRecord[] = [];
    for (const call of calls) {
      const record = callRecord(call);
      if (!record) return undefined;
      records.push(record);
    }
    entries.push({
      id: new Uint8Array(Buffer.from(id, 'utf8')),
      context: { Callback: context.Callback, AsyncCalls: records },
    });
  }
  return { CallerAddr: bytes(json.CallerAddr), ReturnData: bytes(json.ReturnData), AsyncContextMap: entries };
}

function callRecord(call: unknown): AsyncGeneratedCallRecord | undefined {
  if (!isObject(call)) return undefined;
  const { Status, Destination, Data, GasLimit, ValueBytes, SuccessCallback, ErrorCallback, ProvidedGas } = call;
  if (!Number.isInteger(Status) || !isBytes(Destination) || !isBytes(Data) || !isBytes(ValueBytes)) return undefined;
  if (typeof SuccessCallback !== 'string' || typeof ErrorCallback !== 'string') return undefined;
  if (!isUint(GasLimit) || !isUint(ProvidedGas)) return undefined;
  return {
    Status: Status as number,
    Destination: bytes(Destination),
    Data: bytes(Data),
    GasLimit: BigInt(GasLimit as number),
    ValueBytes: bytes(ValueBytes),
    SuccessCallback,
    ErrorCallback,
    ProvidedGas: BigInt(ProvidedGas as number),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isBytes = (value: unknown): value is string | null => value === null || typeof value === 'string';
/** JSON.parse reads a uint64 as a number (exact up to 2^53; the gas fields are not read back). */
const isUint = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const bytes = (value: string | null): Bytes => (value === null ? null : new Uint8Array(Buffer.from(value, 'base64')));
