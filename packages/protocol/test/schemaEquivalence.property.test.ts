import Ajv from 'ajv';
import fc from 'fast-check';
import {
  BASE64_PATTERN,
  decodeMessage,
  encodeMessage,
  messageSchema,
  MessageKind,
  parseJsonLossless,
  type Message,
  type WireKind,
} from '@vm/protocol';
import { messageArb } from '@vm/testkit';

// decodeMessage checks and decodes a valid message in one walk, and falls back to its ajv validators otherwise; it
// must accept exactly what the kind's schema accepts. The reference here is an ajv of its own over the published
// schema, with goInteger and goBytes written from their documentation.
const RANGES: Record<string, [bigint | undefined, bigint | undefined]> = {
  uint64: [0n, (1n << 64n) - 1n],
  uint32: [0n, 0xffffffffn],
  int: [-(2n ** 53n - 1n), 2n ** 53n - 1n],
  bigInt: [undefined, undefined],
};
const base64 = new RegExp(BASE64_PATTERN);
const ajv = new Ajv({ strict: false, allowUnionTypes: true });
ajv.addKeyword({
  keyword: 'goInteger',
  schemaType: 'string',
  validate: (type: string, data: unknown) => {
    const value =
      typeof data === 'bigint' ? data : typeof data === 'number' && Number.isSafeInteger(data) ? BigInt(data) : null;
    const [min, max] = RANGES[type];
    return value !== null && (min === undefined || value >= min) && (max === undefined || value <= max);
  },
});
ajv.addKeyword({
  keyword: 'goBytes',
  schemaType: 'boolean',
  validate: (_: boolean, data: unknown) => typeof data !== 'string' || base64.test(data),
});

/** JSON text of a lossless value (bigints as bare digits). */
function stringify(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(stringify).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${stringify(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** Every object or array in a value, with its keys. */
function containers(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (value !== null && typeof value === 'object') {
    out.push(value as Record<string, unknown>);
    for (const item of Object.values(value)) containers(item, out);
  }
  return out;
}

// (integers of 16 digits or more are left out: the parser reads them as marked strings, which a string field
// takes as text, through ajv and the one-walk decoder alike)
const REPLACEMENTS: unknown[] = [null, true, 'x', 'AAAA', 'AA=A', '', -1, 1.5, 2 ** 32, 2 ** 40, [], {}, 7];

const KINDS: WireKind[] = [
  MessageKind.ContractCallRequest,
  MessageKind.ContractResponse,
  MessageKind.BlockchainGetUserAccountResponse,
  MessageKind.BlockchainGetStorageDataRequest,
  MessageKind.InitializeAcknowledge,
  MessageKind.BlockchainIsSmartContractResponse,
  MessageKind.ContractDeployRequest,
];

describe('[@vm/protocol] JSON decoding accepts exactly what the schema accepts', () => {
  it.each(KINDS.map((kind) => [kind] as const))('kind %i: random mutations of valid messages', (kind) => {
    const validate = ajv.compile(messageSchema(kind));
    fc.assert(
      fc.property(
        messageArb(kind),
        fc.nat(),
        fc.nat(),
        fc.nat({ max: REPLACEMENTS.length + 1 }),
        (message: Message, where, which, how) => {
          const value = parseJsonLossless(encodeMessage(message).toString('utf8'));
          const targets = containers(value);
          const target = targets[where % targets.length];
          const keys = Object.keys(target);
          // an array's items are only replaced (a key added to or deleted from it would not survive stringify)
          const replacement = Array.isArray(target) ? how % REPLACEMENTS.length : how;
          if (replacement === REPLACEMENTS.length) target[`extra${which % 3}`] = 1;
          else if (keys.length > 0) {
            const key = keys[which % keys.length];
            if (replacement === REPLACEMENTS.length + 1) delete target[key];
            else target[key] = REPLACEMENTS[replacement];
          }
          const text = stringify(value);
          let accepted: boolean;
          try {
            decodeMessage(kind, Buffer.from(text));
            accepted = true;
          } catch {
            accepted = false;
          }
          // (the text is the truth: a hole or a named property of an array does not survive stringify)
          const sent = parseJsonLossless(text) as { Kind: unknown };
          expect(accepted).toBe(validate(sent) && Number(sent.Kind) === kind);
        },
      ),
      { numRuns: 300 },
    );
  });
});
