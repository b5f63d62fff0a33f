/**
 * fast-check arbitraries derived from the protocol's shapes: any shape, any message kind.
 * Byte arrays include invalid UTF-8; big integers go up to 2^256.
 */
import fc from 'fast-check';
import {
  EnvelopeShape,
  PAYLOAD_SHAPES,
  MESSAGE_KIND_TABLE,
  isKnownKind,
  type Field,
  type Message,
  type Shape,
  type WireKind,
} from '@vm/protocol';

const UINT64_MAX = (1n << 64n) - 1n;
const TWO_256 = 1n << 256n;

export const bytesArb = fc.uint8Array({ maxLength: 48 });
const nullableBytes = fc.option(bytesArb, { nil: null, freq: 5 });
const bigIntArb = fc.bigInt({ min: -TWO_256, max: TWO_256 });
/** Names include non-ASCII and characters Go escapes. */
const stringArb = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.constantFrom('', '<&>', '\u2028', 'a\\b\bc\f', 'naïve ☃ 𝄞'),
);

/** Distinct keys (a Go map), some of them invalid UTF-8. */
const distinctKeyed = <T>(item: fc.Arbitrary<T>, key: (t: T) => Uint8Array) =>
  fc.uniqueArray(item, { maxLength: 4, selector: (t) => Buffer.from(key(t)).toString('hex') });

export function fieldArb(field: Field): fc.Arbitrary<unknown> {
  switch (field.t) {
    case 'bytes':
      return nullableBytes;
    case 'bytesList':
      return fc.option(fc.array(nullableBytes, { maxLength: 4 }), { nil: null, freq: 5 });
    case 'bigInt':
      return fc.option(bigIntArb, { nil: null, freq: 5 });
    case 'u64':
      return fc.bigInt({ min: 0n, max: UINT64_MAX });
    case 'u32':
      return fc.nat({ max: 0xffffffff });
    case 'int':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'bool':
      return fc.boolean();
    case 'string':
      return stringArb;
    case 'struct':
      return field.nullable ? fc.option(shapeArb(field.shape), { nil: null, freq: 5 }) : shapeArb(field.shape);
    case 'structList':
      return fc.option(fc.array(shapeArb(field.shape), { maxLength: 3 }), { nil: null, freq: 5 });
    case 'keyedList': {
      const item = shapeArb(field.shape).chain((value) => bytesArb.map((key) => ({ ...value, [field.keyField]: key })));
      return fc.option(
        distinctKeyed(item, (v) => v[field.keyField] as Uint8Array),
        { nil: null, freq: 5 },
      );
    }
    case 'bytesMap':
      return fc.option(
        distinctKeyed(fc.record({ key: bytesArb, value: nullableBytes }), (e) => e.key),
        { nil: null, freq: 5 },
      );
    case 'nameSet':
      return fc.option(fc.uniqueArray(fc.string({ maxLength: 12 }), { maxLength: 4 }), { nil: null, freq: 5 });
    case 'gasSchedule':
      return fc.option(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 8 }),
          fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.bigInt({ min: 0n, max: UINT64_MAX }), {
            maxKeys: 3,
          }),
          { maxKeys: 3 },
        ),
        { nil: null, freq: 5 },
      );
  }
}

export function shapeArb(shape: Shape): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, field] of Object.entries(shape)) model[name] = fieldArb(field);
  return fc.record(model) as fc.Arbitrary<Record<string, unknown>>;
}

/** Every kind a frame can carry. */
export const WIRE_KINDS: WireKind[] = MESSAGE_KIND_TABLE.map((_, kind) => kind).filter(isKnownKind) as WireKind[];

export function messageArb(kind: WireKind): fc.Arbitrary<Message> {
  return fc
    .record({
      DialogueNonce: fc.nat({ max: 0xffffffff }),
      ErrorMessage: stringArb,
      payload: shapeArb(PAYLOAD_SHAPES[kind]),
    })
    .map(
      ({ DialogueNonce, ErrorMessage, payload }) =>
        ({ DialogueNonce, Kind: kind, ErrorMessage, ...payload }) as Message,
    );
}

/**
 * The canonical form of a message, for comparing round trips: keyed lists and byte maps sorted by raw key
 * bytes (Go's map order), name sets and gas-schedule keys sorted, bytes as hex.
 */
export function canonicalMessage(message: Message): unknown {
  return canonicalShape(
    { ...EnvelopeShape, ...PAYLOAD_SHAPES[message.Kind] },
    message as unknown as Record<string, unknown>,
  );
}

function canonicalShape(shape: Shape, value: Record<string, unknown> | null): unknown {
  if (value === null) return null;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(shape)) out[name] = canonicalField(field, value[name]);
  return out;
}

const hex = (b: unknown) => (b instanceof Uint8Array ? Buffer.from(b).toString('hex') : b);
const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function canonicalField(field: Field, value: unknown): unknown {
  if (value === null) return null;
  switch (field.t) {
    case 'bytes':
      return hex(value);
    case 'bytesList':
      return (value as unknown[]).map(hex);
    case 'struct':
      return canonicalShape(field.shape, value as Record<string, unknown>);
    case 'structList':
      return (value as Record<string, unknown>[]).map((v) => canonicalShape(field.shape, v));
    case 'keyedList':
      return (value as Record<string, unknown>[])
        .map((v): [string, unknown] => [hex(v[field.keyField]) as string, canonicalShape(field.shape, v)])
        .sort(byKey);
    case 'bytesMap':
      return (value as { key: Uint8Array; value: unknown }[])
        .map((e): [string, unknown] => [hex(e.key) as string, hex(e.value)])
        .sort(byKey);
    case 'nameSet':
      return [...(value as string[])].sort();
    case 'gasSchedule':
      return Object.entries(value as Record<string, Record<string, bigint>>)
        .map(([section, costs]): [string, unknown] => [section, Object.entries(costs).sort(byKey)])
        .sort(byKey);
    default:
      return value;
  }
}
