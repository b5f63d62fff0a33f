/**
 * JSON schemas derived from the shapes: one per message kind, describing the wire form (base64 strings, bare
 * integers, objects keyed by raw bytes). Integers use the keyword `goInteger` (uint64 | uint32 | int | bigInt),
 * because a lossless parse yields bigints that JSON Schema's `integer` cannot describe; byte arrays use `goBytes`
 * (padded standard base64, i.e. BASE64_PATTERN).
 */
import type { Field, Shape } from '../fields';
import { isKnownKind, kindName } from '../../messageKinds';
import { messageShape, type WireKind } from '../messageShapes';

export type JsonSchema = Record<string, unknown>;

/** Padded standard base64, as Go writes `[]byte`. */
export const BASE64_PATTERN = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';

/** `goBytes`: padded standard base64 (BASE64_PATTERN), checked by a faster equivalent than the pattern (see validate.ts). */
const bytesSchema: JsonSchema = { type: ['string', 'null'], goBytes: true };
const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, nullable: true });

export function shapeSchema(shape: Shape): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, field] of Object.entries(shape)) properties[name] = fieldSchema(field);
  const required = Object.keys(shape).filter((name) => !shape[name].extension);
  return { type: 'object', properties, required, additionalProperties: false };
}

export function fieldSchema(field: Field): JsonSchema {
  switch (field.t) {
    case 'bytes':
      return bytesSchema;
    case 'bytesList':
      return nullable({ type: 'array', items: bytesSchema });
    case 'bigInt':
      return { anyOf: [{ type: 'null' }, { goInteger: 'bigInt' }] };
    case 'u64':
      return { goInteger: 'uint64' };
    case 'u32':
      return { goInteger: 'uint32' };
    case 'int':
      return { goInteger: 'int' };
    case 'bool':
      return { type: 'boolean' };
    case 'string':
      return { type: 'string' };
    case 'struct':
      return field.nullable ? nullable(shapeSchema(field.shape)) : shapeSchema(field.shape);
    case 'structList':
      return nullable({ type: 'array', items: shapeSchema(field.shape) });
    case 'keyedList':
      return nullable({ type: 'object', additionalProperties: shapeSchema(field.shape) });
    case 'bytesMap':
      return nullable({ type: 'object', additionalProperties: bytesSchema });
    case 'nameSet':
      return nullable({ type: 'object', additionalProperties: { type: 'object', maxProperties: 0 } });
    case 'gasSchedule':
      return nullable({
        type: 'object',
        additionalProperties: { type: 'object', additionalProperties: { goInteger: 'uint64' } },
      });
  }
}

/** The JSON schema of a message kind's payload (envelope included). */
export function messageSchema(kind: WireKind): JsonSchema {
  if (!isKnownKind(kind)) throw new RangeError(`no schema for kind ${kind}`);
  return { $id: `dme-vm/${kindName(kind)}`, title: kindName(kind), ...shapeSchema(messageShape(kind)) };
}
