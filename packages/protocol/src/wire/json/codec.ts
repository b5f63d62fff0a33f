/**
 * The Go-compatible JSON codec, walking the shapes: typed values <-> JSON text.
 */
import { VMError, ErrorCode } from '../../errors';
import type { Bytes, BytesMapEntry, Field, GasScheduleMap, Shape } from '../fields';
import { compareBytes, keyToBytes, quoteByteKey } from './byteKeys';
import { base64Bytes, encodeBase64, isStrictBase64 } from './base64';
import { goQuote, inGoRange, integerValue, type GoIntegerType } from './goJson';
import type { DecodeState } from './decodeState';

type Json = unknown;
type JsonObject = Record<string, Json>;

// ---------------------------------------------------------------- decoding (schema-validated JSON -> values)

/** The values of a schema-validated JSON object; `state` is the message's (from its parse and validation). */
export function decodeShape(shape: Shape, json: JsonObject, state: DecodeState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in shape) out[name] = decodeField(shape[name], json[name], state);
  return out;
}

function decodeField(field: Field, json: Json, state: DecodeState): unknown {
  if (json === undefined && field.extension) return field.t === 'u32' ? 0 : null; // a reference peer's message
  switch (field.t) {
    case 'bytes':
      return decodeBytes(json, state);
    case 'bytesList':
      return json === null ? null : (json as Json[]).map((item) => decodeBytes(item, state));
    case 'bigInt':
      return json === null ? null : (integerValue(json, state.marked) as bigint);
    case 'u64':
      return integerValue(json, state.marked) as bigint;
    case 'u32':
      return Number(integerValue(json, state.marked));
    case 'int':
      return Number(integerValue(json, state.marked));
    case 'bool':
    case 'string':
      return json;
    case 'struct':
      return json === null ? null : decodeShape(field.shape, json as JsonObject, state);
    case 'structList':
      return json === null ? null : (json as JsonObject[]).map((item) => decodeShape(field.shape, item, state));
    case 'keyedList':
      return json === null ? null : decodeKeyedList(field.shape, field.keyField, json as JsonObject, state);
    case 'bytesMap':
      return json === null
        ? null
        : Object.entries(json as JsonObject).map(([key, value]): BytesMapEntry => ({
            key: keyToBytes(key),
            value: decodeBytes(value, state),
          }));
    case 'nameSet':
      return json === null ? null : Object.keys(json as JsonObject);
    case 'gasSchedule':
      return json === null ? null : decodeGasSchedule(json as Record<string, JsonObject>, state);
  }
}

function decodeBytes(json: Json, state: DecodeState): Bytes {
  if (json === null) return null;
  const buffer = base64Bytes(json as string, state);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/** The inner key field is the truth; the map key is used only when the inner field is null. */
function decodeKeyedList(
  shape: Shape,
  keyField: string,
  json: JsonObject,
  state: DecodeState,
): Record<string, unknown>[] {
  return Object.entries(json).map(([key, value]) => {
    const item = decodeShape(shape, value as JsonObject, state);
    if (item[keyField] === null) item[keyField] = keyToBytes(key);
    return item;
  });
}

function decodeGasSchedule(json: Record<string, JsonObject>, state: DecodeState): GasScheduleMap {
  const schedule: GasScheduleMap = Object.create(null);
  for (const [section, costs] of Object.entries(json)) {
    const decoded: Record<string, bigint> = Object.create(null);
    for (const [name, cost] of Object.entries(costs)) decoded[name] = integerValue(cost, state.marked) as bigint;
    schedule[section] = decoded;
  }
  return schedule;
}

// ---------------------------------------------------------------- encoding (values -> Go's JSON text)

export function encodeShape(shape: Shape, value: Record<string, unknown>, path: string): string {
  if (value === null || typeof value !== 'object') invalid(path, 'must be an object');
  let out = '{';
  let first = true;
  for (const name in shape) {
    // an extension at its zero value is left out, so a reference peer's message re-encodes byte-identically
    if (shape[name].extension && !value[name]) continue;
    out += `${first ? '' : ','}"${name}":${encodeField(shape[name], value[name], `${path}.${name}`)}`;
    first = false;
  }
  return out + '}';
}

function encodeField(field: Field, value: unknown, path: string): string {
  switch (field.t) {
    case 'bytes':
      return encodeBytes(value, path);
    case 'bytesList':
      return value === null
        ? 'null'
        : `[${asArray(value, path)
            .map((item, i) => encodeBytes(item, `${path}[${i}]`))
            .join(',')}]`;
    case 'bigInt':
      if (value === null) return 'null';
      if (typeof value !== 'bigint') invalid(path, 'must be a bigint or null');
      return value.toString();
    case 'u64':
      return encodeInteger(value, 'uint64', path);
    case 'u32':
      return encodeInteger(value, 'uint32', path);
    case 'int':
      return encodeInteger(value, 'int', path);
    case 'bool':
      if (typeof value !== 'boolean') invalid(path, 'must be a boolean');
      return value ? 'true' : 'false';
    case 'string':
      if (typeof value !== 'string') invalid(path, 'must be a string');
      return goQuote(value);
    case 'struct':
      if (value === null && field.nullable) return 'null';
      return encodeShape(field.shape, value as Record<string, unknown>, path);
    case 'structList':
      if (value === null) return 'null';
      return `[${asArray(value, path)
        .map((item, i) => encodeShape(field.shape, item as Record<string, unknown>, `${path}[${i}]`))
        .join(',')}]`;
    case 'keyedList':
      if (value === null) return 'null';
      return encodeByteKeyedObject(
        asArray(value, path).map((item, i) => {
          const key = (item as Record<string, unknown>)?.[field.keyField];
          if (!(key instanceof Uint8Array))
            invalid(`${path}[${i}].${field.keyField}`, 'must be bytes (it is the map key)');
          return { key, json: encodeShape(field.shape, item as Record<string, unknown>, `${path}[${i}]`) };
        }),
        path,
      );
    case 'bytesMap':
      if (value === null) return 'null';
      return encodeByteKeyedObject(
        asArray(value, path).map((entry, i) => {
          const { key, value: data } = entry as BytesMapEntry;
          if (!(key instanceof Uint8Array)) invalid(`${path}[${i}].key`, 'must be bytes');
          return { key, json: encodeBytes(data, `${path}[${i}].value`) };
        }),
        path,
      );
    case 'nameSet':
      if (value === null) return 'null';
      return encodeStringKeyedObject(
        asArray(value, path).map((name) => [asString(name, path), '{}']),
        path,
      );
    case 'gasSchedule': {
      if (value === null) return 'null';
      const sections = Object.entries(value as GasScheduleMap).map(([section, costs]): [string, string] => [
        section,
        encodeStringKeyedObject(
          Object.entries(costs).map(([name, cost]) => [
            name,
            encodeInteger(cost, 'uint64', `${path}.${section}.${name}`),
          ]),
          path,
        ),
      ]);
      return encodeStringKeyedObject(sections, path);
    }
  }
}

function encodeBytes(value: unknown, path: string): string {
  if (value === null) return 'null';
  if (!(value instanceof Uint8Array)) invalid(path, 'must be a Uint8Array or null');
  return `"${encodeBase64(value)}"`;
}

function encodeInteger(value: unknown, type: GoIntegerType, path: string): string {
  const integer =
    typeof value === 'bigint'
      ? value
      : typeof value === 'number' && Number.isSafeInteger(value)
        ? BigInt(value)
        : undefined;
  if (integer === undefined || !inGoRange(integer, type)) invalid(path, `must be a ${type} integer`);
  return integer.toString();
}

/** Go sorts map keys by their raw bytes; two entries with the same key cannot be a map. */
function encodeByteKeyedObject(entries: { key: Uint8Array; json: string }[], path: string): string {
  entries.sort((a, b) => compareBytes(a.key, b.key));
  for (let i = 1; i < entries.length; i++) {
    if (compareBytes(entries[i - 1].key, entries[i].key) === 0)
      invalid(path, `duplicate key ${Buffer.from(entries[i].key).toString('hex')}`);
  }
  return `{${entries.map((e) => `${quoteByteKey(e.key)}:${e.json}`).join(',')}}`;
}

function encodeStringKeyedObject(entries: [string, string][], path: string): string {
  return encodeByteKeyedObject(
    entries.map(([key, json]) => ({ key: Buffer.from(key, 'utf8'), json })),
    path,
  );
}

function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) invalid(path, 'must be an array or null');
  return value;
}

function asString(value: unknown, path: string): string {
  if (typeof value !== 'string') invalid(path, 'must contain strings');
  return value;
}

function invalid(path: string, what: string): never {
  throw new VMError(ErrorCode.InvalidMessage, `${path} ${what}`);
}

// ---------------------------------------------------------------- generated per shape (the fast path)

type ShapeEncoder = (value: Record<string, unknown>) => string;
type ShapeDecoder = (json: JsonObject, state: DecodeState) => Record<string, unknown>;

/** Thrown by generated code for anything it does not take as is: the field walk then runs, for its exact error. */
const REFUSED = new Error('refused');

/**
 * encodeShape through an encoder generated once per shape (fields by literal name, no dispatch or path string per
 * field). For a value it refuses, encodeShape runs instead: the same text, or the same InvalidMessage error.
 */
export function encodeShapeFast(shape: Shape, value: Record<string, unknown>, path: string): string {
  const encode = compiledEncoder(shape);
  if (encode) {
    try {
      return encode(value);
    } catch {
      // refused: the walk below names the field
    }
  }
  return encodeShape(shape, value, path);
}

/** decodeShape through a decoder generated once per shape (the JSON is schema-validated: it never refuses). */
export function decodeShapeFast(shape: Shape, json: JsonObject, state: DecodeState): Record<string, unknown> {
  let decode = decoders.get(shape);
  if (!decode) decoders.set(shape, (decode = compileDecoder(shape)));
  return decode(json, state);
}

const encoders = new WeakMap<Shape, ShapeEncoder | null>();
const decoders = new WeakMap<Shape, ShapeDecoder>();

function compiledEncoder(shape: Shape): ShapeEncoder | null {
  let encode = encoders.get(shape);
  if (encode === undefined) encoders.set(shape, (encode = compileEncoder(shape)));
  return encode;
}

const refuse = (): never => {
  throw REFUSED;
};

/** The field encoders of generated code: encodeField's text, or REFUSED where encodeField would throw. */
const ENCODE = {
  bytes(value: unknown): string {
    if (value === null) return 'null';
    if (!(value instanceof Uint8Array)) refuse();
    const bytes = value as Uint8Array;
    return `"${encodeBase64(bytes)}"`;
  },
  bytesList(value: unknown): string {
    if (value === null) return 'null';
    if (!Array.isArray(value)) refuse();
    let out = '[';
    for (let i = 0; i < (value as unknown[]).length; i++)
      out += (i === 0 ? '' : ',') + ENCODE.bytes((value as unknown[])[i]);
    return out + ']';
  },
  bigInt(value: unknown): string {
    if (value === null) return 'null';
    if (typeof value !== 'bigint') refuse();
    return (value as bigint).toString();
  },
  integer(value: unknown, type: GoIntegerType): string {
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      if (inGoRange(BigInt(value), type)) return String(value);
    } else if (typeof value === 'bigint' && inGoRange(value, type)) return value.toString();
    return refuse();
  },
  bool(value: unknown): string {
    if (typeof value !== 'boolean') refuse();
    return value ? 'true' : 'false';
  },
  string(value: unknown): string {
    if (typeof value !== 'string') refuse();
    return goQuote(value as string);
  },
  object(value: unknown): void {
    if (value === null || typeof value !== 'object') refuse();
  },
  struct(value: unknown, encode: ShapeEncoder, nullable: boolean): string {
    if (value === null && nullable) return 'null';
    return encode(value as Record<string, unknown>);
  },
  structList(value: unknown, encode: ShapeEncoder): string {
    if (value === null) return 'null';
    if (!Array.isArray(value)) refuse();
    let out = '[';
    for (let i = 0; i < (value as unknown[]).length; i++)
      out += (i === 0 ? '' : ',') + encode((value as Record<string, unknown>[])[i]);
    return out + ']';
  },
  keyedList(value: unknown, keyField: string, encode: ShapeEncoder): string {
    if (value === null) return 'null';
    if (!Array.isArray(value)) refuse();
    const entries = (value as Record<string, unknown>[]).map((item) => {
      const key = item?.[keyField];
      if (!(key instanceof Uint8Array)) refuse();
      return { key: key as Uint8Array, json: encode(item) };
    });
    return encodeByteKeyedObject(entries, '');
  },
  field: (field: Field, value: unknown): string => encodeField(field, value, ''),
};

/** null when the shape does not suit a fixed layout of commas (its first field is an extension, left out at 0). */
function compileEncoder(shape: Shape): ShapeEncoder | null {
  const names = Object.keys(shape);
  if (names.length > 0 && shape[names[0]].extension) return null;
  const nested: ShapeEncoder[] = [];
  const fields: Field[] = [];
  const lines = ['E.object(v);', "let out = '{';"];
  names.forEach((name, i) => {
    const field = shape[name];
    const value = `v[${JSON.stringify(name)}]`;
    const key = JSON.stringify(`${i === 0 ? '' : ','}"${name}":`);
    const sub = (s: Shape) => {
      const encode = compiledEncoder(s);
      if (!encode) return null;
      return `N[${nested.push(encode) - 1}]`;
    };
    let text: string | null;
    switch (field.t) {
      case 'bytes':
      case 'bytesList':
      case 'bigInt':
      case 'bool':
      case 'string':
        text = `E.${field.t}(${value})`;
        break;
      case 'u64':
        text = `E.integer(${value}, 'uint64')`;
        break;
      case 'u32':
        text = `E.integer(${value}, 'uint32')`;
        break;
      case 'int':
        text = `E.integer(${value}, 'int')`;
        break;
      case 'struct': {
        const encode = sub(field.shape);
        text = encode && `E.struct(${value}, ${encode}, ${field.nullable})`;
        break;
      }
      case 'structList': {
        const encode = sub(field.shape);
        text = encode && `E.structList(${value}, ${encode})`;
        break;
      }
      case 'keyedList': {
        const encode = sub(field.shape);
        text = encode && `E.keyedList(${value}, ${JSON.stringify(field.keyField)}, ${encode})`;
        break;
      }
      default:
        text = null;
    }
    text ??= `E.field(F[${fields.push(field) - 1}], ${value})`;
    // an extension at its zero value is left out (as encodeShape does)
    if (field.extension) lines.push(`if (${value}) out += ${key} + ${text};`);
    else lines.push(`out += ${key} + ${text};`);
  });
  lines.push("return out + '}';");
  const make = new Function('E', 'N', 'F', `return function encode(v) {\n${lines.join('\n')}\n};`);
  return make(ENCODE, nested, fields) as ShapeEncoder;
}

/** The field decoders of generated code (decodeField's values). */
const DECODE = {
  bytes: decodeBytes,
  bytesList: (json: Json, state: DecodeState) =>
    json === null ? null : (json as Json[]).map((item) => decodeBytes(item, state)),
  bigInt: (json: Json, state: DecodeState) => (json === null ? null : (integerValue(json, state.marked) as bigint)),
  u64: (json: Json, state: DecodeState) => integerValue(json, state.marked) as bigint,
  // (+ 0: a -0 reads as 0, as it does through a bigint)
  number: (json: Json, state: DecodeState) =>
    typeof json === 'number' ? json + 0 : Number(integerValue(json, state.marked)),
  struct: (json: Json, state: DecodeState, decode: ShapeDecoder) =>
    json === null ? null : decode(json as JsonObject, state),
  structList: (json: Json, state: DecodeState, decode: ShapeDecoder) =>
    json === null ? null : (json as JsonObject[]).map((item) => decode(item, state)),
  keyedList: (json: Json, state: DecodeState, keyField: string, decode: ShapeDecoder) =>
    json === null
      ? null
      : Object.entries(json as JsonObject).map(([key, value]) => {
          const item = decode(value as JsonObject, state);
          if (item[keyField] === null) item[keyField] = keyToBytes(key);
          return item;
        }),
  field: decodeField,
};

function compileDecoder(shape: Shape): ShapeDecoder {
  const nested: ShapeDecoder[] = [];
  const fields: Field[] = [];
  const sub = (s: Shape) => {
    let decode = decoders.get(s);
    if (!decode) decoders.set(s, (decode = compileDecoder(s)));
    return `N[${nested.push(decode) - 1}]`;
  };
  const values = Object.keys(shape).map((name) => {
    const field = shape[name];
    const json = `j[${JSON.stringify(name)}]`;
    let read: string;
    switch (field.t) {
      case 'bytes':
      case 'bytesList':
      case 'bigInt':
      case 'u64':
        read = `D.${field.t}(${json}, s)`;
        break;
      case 'u32':
      case 'int':
        read = `D.number(${json}, s)`;
        break;
      case 'bool':
      case 'string':
        read = json;
        break;
      case 'struct':
        read = `D.struct(${json}, s, ${sub(field.shape)})`;
        break;
      case 'structList':
        read = `D.structList(${json}, s, ${sub(field.shape)})`;
        break;
      case 'keyedList':
        read = `D.keyedList(${json}, s, ${JSON.stringify(field.keyField)}, ${sub(field.shape)})`;
        break;
      default:
        read = `D.field(F[${fields.push(field) - 1}], ${json}, s)`;
    }
    // an extension a reference peer left out reads as its zero (as decodeField does)
    if (field.extension) read = `(${json} === undefined ? ${field.t === 'u32' ? '0' : 'null'} : ${read})`;
    return `${JSON.stringify(name)}: ${read}`;
  });
  const make = new Function('D', 'N', 'F', `return function decode(j, s) {\nreturn {\n${values.join(',\n')}\n};\n};`);
  return make(DECODE, nested, fields) as ShapeDecoder;
}

// ---------------------------------------------------------------- validating decoders (schema check and decode in one walk)

/**
 * A decoder per shape that checks, field by field, what the kind's JSON schema checks (the types, `goInteger`
 * ranges, strict base64, required keys, no other key) while it decodes. It is at least as strict as the schema:
 * for anything it does not take as is it throws, and decodeParsed then validates with ajv (for the exact error)
 * and decodes with decodeShape; so its only effect is time (no schema pass over a valid message).
 */
export function validatingDecoder(shape: Shape): ShapeDecoder | null {
  let decode = validating.get(shape);
  if (decode === undefined) validating.set(shape, (decode = compileValidating(shape)));
  return decode;
}

const validating = new WeakMap<Shape, ShapeDecoder | null>();

const integerIn = (json: Json, state: DecodeState, type: GoIntegerType): bigint => {
  const value = integerValue(json, state.marked);
  if (value === undefined || !inGoRange(value, type)) refuse();
  return value as bigint;
};

const VALIDATE = {
  object(json: Json): void {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) refuse();
  },
  keys(json: JsonObject): number {
    let n = 0;
    for (const key in json) if (Object.prototype.hasOwnProperty.call(json, key)) n++;
    return n;
  },
  refuse,
  bytes(json: Json, state: DecodeState): Bytes {
    if (json === null) return null;
    if (typeof json !== 'string' || !isStrictBase64(json, state)) refuse();
    return decodeBytes(json, state);
  },
  bytesList(json: Json, state: DecodeState): Bytes[] | null {
    if (json === null) return null;
    if (!Array.isArray(json)) refuse();
    return (json as Json[]).map((item) => VALIDATE.bytes(item, state));
  },
  bigInt: (json: Json, state: DecodeState) => (json === null ? null : integerIn(json, state, 'bigInt')),
  u64: (json: Json, state: DecodeState) => integerIn(json, state, 'uint64'),
  u32: (json: Json, state: DecodeState) => Number(integerIn(json, state, 'uint32')),
  int: (json: Json, state: DecodeState) => Number(integerIn(json, state, 'int')),
  bool(json: Json): boolean {
    if (typeof json !== 'boolean') refuse();
    return json as boolean;
  },
  string(json: Json): string {
    if (typeof json !== 'string') refuse();
    return json as string;
  },
  struct: (json: Json, state: DecodeState, decode: ShapeDecoder, nullable: boolean) =>
    json === null && nullable ? null : decode(json as JsonObject, state),
  structList(json: Json, state: DecodeState, decode: ShapeDecoder): Record<string, unknown>[] | null {
    if (json === null) return null;
    if (!Array.isArray(json)) refuse();
    return (json as JsonObject[]).map((item) => decode(item, state));
  },
  keyedList(json: Json, state: DecodeState, keyField: string, decode: ShapeDecoder): Record<string, unknown>[] | null {
    if (json === null) return null;
    VALIDATE.object(json);
    return Object.entries(json as JsonObject).map(([key, value]) => {
      const item = decode(value as JsonObject, state);
      if (item[keyField] === null) item[keyField] = keyToBytes(key);
      return item;
    });
  },
};

/** null for a shape with a field it does not check itself (maps of names, gas schedules: rare kinds). */
function compileValidating(shape: Shape): ShapeDecoder | null {
  const nested: ShapeDecoder[] = [];
  const sub = (s: Shape) => {
    const decode = validatingDecoder(s);
    return decode && `N[${nested.push(decode) - 1}]`;
  };
  const names = Object.keys(shape);
  const lines = ['V.object(j);', 'let defined = 0;'];
  const values: string[] = [];
  for (const [i, name] of names.entries()) {
    const field = shape[name];
    const x = `x${i}`;
    lines.push(`const ${x} = j[${JSON.stringify(name)}];`);
    lines.push(
      field.extension ? `if (${x} !== undefined) defined++;` : `if (${x} === undefined) V.refuse(); defined++;`,
    );
    let read: string | null;
    switch (field.t) {
      case 'bytes':
      case 'bytesList':
      case 'bigInt':
      case 'u64':
      case 'u32':
      case 'int':
      case 'bool':
      case 'string':
        read = `V.${field.t}(${x}, s)`;
        break;
      case 'struct': {
        const decode = sub(field.shape);
        read = decode && `V.struct(${x}, s, ${decode}, ${field.nullable})`;
        break;
      }
      case 'structList': {
        const decode = sub(field.shape);
        read = decode && `V.structList(${x}, s, ${decode})`;
        break;
      }
      case 'keyedList': {
        const decode = sub(field.shape);
        read = decode && `V.keyedList(${x}, s, ${JSON.stringify(field.keyField)}, ${decode})`;
        break;
      }
      default:
        read = null;
    }
    if (read === null) return null;
    // an extension a reference peer left out reads as its zero
    if (field.extension) read = `(${x} === undefined ? ${field.t === 'u32' ? '0' : 'null'} : ${read})`;
    values.push(`${JSON.stringify(name)}: ${read}`);
  }
  lines.push('if (V.keys(j) !== defined) V.refuse();'); // no key but the shape's (additionalProperties: false)
  const body = `${lines.join('\n')}\nreturn {\n${values.join(',\n')}\n};`;
  const make = new Function('V', 'N', `return function decode(j, s) {\n${body}\n};`);
  return make(VALIDATE, nested) as ShapeDecoder;
}
