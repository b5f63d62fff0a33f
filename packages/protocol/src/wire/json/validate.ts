/**
 * ajv validators for every message kind, compiled once (lazily, on first use of a kind) and cached.
 */
import Ajv, { type ValidateFunction, type ErrorObject } from 'ajv';
import { inGoRange, integerValue, type GoIntegerType } from './goJson';
import { messageSchema } from './schema';
import { isStrictBase64 } from './base64';
import type { WireKind } from '../messageShapes';
import type { DecodeState } from './decodeState';

/** Keyword validators run with `this` = the message's DecodeState (ajv's passContext: `validate.call(state, json)`). */
type KeywordValidator = {
  (this: DecodeState | undefined, type: GoIntegerType, data: unknown): boolean;
  errors?: Partial<ErrorObject>[];
};

const goInteger: KeywordValidator = function (type, data) {
  const value = integerValue(data, this?.marked ?? false);
  if (value !== undefined && inGoRange(value, type)) return true;
  goInteger.errors = [{ keyword: 'goInteger', message: `must be a ${type} integer`, params: { type } }];
  return false;
};

/** Same language as BASE64_PATTERN (tested); a long string's decoded bytes are kept for decodeShape. */
function goBytes(this: DecodeState | undefined, _schema: boolean, data: unknown): boolean {
  return typeof data !== 'string' || isStrictBase64(data, this);
}

/**
 * The schemas are generated from the shapes, and the tests check every one against the JSON Schema meta-schema:
 * validating them again here would only compile the meta-schema, ~35 ms of every VM process's start.
 */
function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: false,
    allowUnionTypes: true,
    strict: true,
    unicodeRegExp: false,
    validateSchema: false,
    passContext: true,
    code: { optimize: true },
  });
  ajv.addKeyword({ keyword: 'goInteger', schemaType: 'string', errors: true, validate: goInteger });
  ajv.addKeyword({ keyword: 'goBytes', schemaType: 'boolean', errors: false, validate: goBytes });
  return ajv;
}

let ajv: Ajv | undefined;
const validators = new Map<number, ValidateFunction>();

export function validatorFor(kind: WireKind): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    ajv ??= createAjv();
    validate = ajv.compile(messageSchema(kind));
    validators.set(kind, validate);
  }
  return validate;
}

/** A short description of the first schema error: its JSON path and what was wrong. */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'unknown schema error';
  const where = first.instancePath || '/';
  if (first.keyword === 'additionalProperties')
    return `${where} has unexpected key ${JSON.stringify(first.params.additionalProperty)}`;
  if (first.keyword === 'required') return `${where} is missing key ${JSON.stringify(first.params.missingProperty)}`;
  return `${where} ${first.message ?? first.keyword}`;
}
