/**
 * The reference's request JSON (Go field names, matched case-insensitively, unknown keys ignored) bound and
 * digested: defaults, validation with the reference's error texts, hex decoding, names and paths checked.
 */
import path from 'node:path';

/** A request the tool refuses (HTTP 400). `scope` is where it was refused: binding or the operation. */
export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    message: string,
    readonly binding = false,
  ) {
    super(message);
  }
}

type FieldType = 'string' | 'u64' | 'strings' | 'bool';
type FieldTable = Readonly<Record<string, FieldType>>;

const BASE: FieldTable = { DatabasePath: 'string', World: 'string', Outcome: 'string' };
const TX: FieldTable = {
  ...BASE,
  ImpersonatedHex: 'string',
  GasLimit: 'u64',
  GasPrice: 'u64',
  ArgumentsHex: 'strings',
};
const CODE: FieldTable = { CodeHex: 'string', CodePath: 'string', CodeMetadata: 'string', Value: 'string' };

/** The fields of each request type (Go struct names in parentheses of the reference). */
export const REQUEST_FIELDS = {
  CreateAccountRequest: { ...BASE, AddressHex: 'string', Balance: 'string', Nonce: 'u64', Replace: 'bool' },
  DeployRequest: { ...TX, ...CODE },
  UpgradeRequest: { ...TX, ...CODE, ContractAddressHex: 'string' },
  RunRequest: { ...TX, Value: 'string', ContractAddressHex: 'string', Function: 'string' },
  QueryRequest: { ...TX, ContractAddressHex: 'string', Function: 'string' },
} as const satisfies Record<string, FieldTable>;

export type RequestType = keyof typeof REQUEST_FIELDS;

/** Every request field, bound (a request type allows only its own). */
export interface DebugRequest {
  DatabasePath?: string;
  World?: string;
  Outcome?: string;
  ImpersonatedHex?: string;
  GasLimit?: bigint;
  GasPrice?: bigint;
  ArgumentsHex?: string[];
  CodeHex?: string;
  CodePath?: string;
  CodeMetadata?: string;
  Value?: string;
  ContractAddressHex?: string;
  Function?: string;
  AddressHex?: string;
  Balance?: string;
  Nonce?: bigint;
  Replace?: boolean;
}

const GO_TYPES: Record<FieldType, string> = { string: 'string', u64: 'uint64', strings: '[]string', bool: 'bool' };

/** Go's ShouldBindJSON: keys matched case-insensitively, unknown keys ignored, a type mismatch refused. */
export function bind(type: RequestType, body: unknown): DebugRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new RequestError(`json: cannot unmarshal ${jsonType(body)} into Go value of type ${type}`, true);
  const table: FieldTable = REQUEST_FIELDS[type];
  const byLower = new Map(Object.keys(table).map((name) => [name.toLowerCase(), name]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const name = byLower.get(key.toLowerCase());
    if (!name || value === null || value === undefined) continue;
    const fieldType = table[name];
    const ok =
      fieldType === 'string'
        ? typeof value === 'string'
        : fieldType === 'bool'
          ? typeof value === 'boolean'
          : fieldType === 'u64'
            ? typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
            : Array.isArray(value) && value.every((v) => typeof v === 'string');
    if (!ok)
      throw new RequestError(
        `json: cannot unmarshal ${jsonType(value)} into Go struct field ${type}.${name} of type ${GO_TYPES[fieldType]}`,
        true,
      );
    out[name] = fieldType === 'u64' ? BigInt(value as number) : value;
  }
  return out as DebugRequest;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** Go's hex.DecodeString: no 0x, even length. */
export function decodeHex(text: string, message: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw new RequestError(message);
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

/** A 32-byte address, as the reference's world needs. */
export function decodeAddress(text: string | undefined, what: string): Uint8Array {
  if (!text) throw new RequestError(`empty ${what} address`);
  const bytes = decodeHex(text, `invalid ${what} address`);
  if (bytes.length !== 32) throw new RequestError(`invalid ${what} address`);
  return bytes;
}

export function decodeDecimal(text: string | undefined): bigint {
  if (text === undefined || text === '') return 0n;
  if (!/^\d+$/.test(text)) throw new RequestError('invalid value');
  return BigInt(text);
}

export function decodeArguments(items: string[] | undefined): Uint8Array[] {
  return (items ?? []).map((item) => decodeHex(item, 'invalid contract argument encoding'));
}

/** A world or outcome name: a file name, never a path (no separators, no `..`, no leading dot). */
export function checkName(name: string, what: 'world' | 'outcome'): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(name))
    throw new RequestError(`invalid ${what} name ${JSON.stringify(name)}: letters, digits, '_', '-', '.' only`);
  return name;
}

/** `given` resolved against `base`; refused unless it stays inside `root`. */
export function insideRoot(root: string, base: string, given: string, what: string): string {
  const resolved = path.resolve(base, given);
  const relative = path.relative(root, resolved);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative))
    throw new RequestError(`invalid ${what} ${JSON.stringify(given)}: outside the root ${root}`);
  return resolved;
}
