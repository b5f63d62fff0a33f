import fc from 'fast-check';
import {
  BINARY_CODEC,
  BINARY_MAGIC,
  JSON_CODEC,
  codecFor,
  createMessage,
  decodePreamble,
  kindName,
  MarshalizerKind,
  MessageKind,
  VMError,
  ErrorCode,
  type ErrorDefinition,
  type Message,
  type MessageOf,
} from '@vm/protocol';
import { canonicalMessage, messageArb, WIRE_KINDS } from '@vm/testkit';

function caught(fn: () => unknown): VMError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VMError);
    return error as VMError;
  }
  throw new Error('expected an error');
}

function expectError(fn: () => unknown, definition: ErrorDefinition, detail?: RegExp): void {
  const error = caught(fn);
  expect(error.code).toBe(definition.code);
  expect(error.critical).toBe(true);
  if (detail) expect(error.message).toMatch(detail);
}

const storageRequest = (address: Uint8Array | null, index: Uint8Array | null): Message =>
  ({
    ...createMessage(MessageKind.BlockchainGetStorageDataRequest, { Address: address, Index: index }),
    DialogueNonce: 3,
  }) as Message;

const output = (
  accounts: MessageOf<MessageKind.ContractResponse>['VMOutput'] extends infer O
    ? O extends { OutputAccounts: infer A }
      ? A
      : never
    : never,
) =>
  createMessage(MessageKind.ContractResponse, {
    VMOutput: {
      ReturnData: [Uint8Array.of(1), null],
      ReturnCode: 0,
      ReturnMessage: 'ok',
      GasRemaining: 5n,
      GasRefund: null,
      OutputAccounts: accounts,
      DeletedAccounts: null,
      TouchedAccounts: [],
      Logs: null,
    },
  });
const account = (address: number[], balance: bigint | null = 1n) => ({
  Address: Uint8Array.from(address),
  Nonce: 1n,
  Balance: balance,
  BalanceDelta: null,
  StorageUpdates: null,
  Code: null,
  CodeMetadata: null,
  Data: null,
  GasLimit: 0n,
  CallType: 0,
});

describe('[@vm/protocol] the binary codec', () => {
  it.each(WIRE_KINDS.map((kind) => [kindName(kind), kind] as const))(
    'round-trips %s (%i) losslessly, to what the JSON codec gives',
    (_name, kind) => {
      fc.assert(
        fc.property(messageArb(kind), (message) => {
          const frame = BINARY_CODEC.encodeFrame(message);
          expect(decodePreamble(frame)).toEqual({ length: frame.length - 8, kind });
          const decoded = BINARY_CODEC.decodeMessage(kind, frame.subarray(8));
          expect(canonicalMessage(decoded)).toEqual(canonicalMessage(message));
          expect(canonicalMessage(decoded)).toEqual(
            canonicalMessage(JSON_CODEC.decodeMessage(kind, JSON_CODEC.encodeMessage(message))),
          );
          expect(BINARY_CODEC.encodeMessage(decoded).equals(frame.subarray(8))).toBe(true); // canonical: re-encoding gives the same bytes
        }),
        { numRuns: 40 },
      );
    },
  );

  it('has a fixed, documented layout', () => {
    const payload = BINARY_CODEC.encodeMessage(storageRequest(Uint8Array.of(0xaa, 0xbb), null));
    // magic | nonce 3 | kind 8 | ErrorMessage: 0 code units | Address: length 2, aa bb | Index: nil
    expect(payload.toString('hex')).toBe('b1' + '03000000' + '08000000' + '00000000' + '02000000aabb' + 'ffffffff');
    const withBigInt = BINARY_CODEC.encodeMessage(output(null));
    const decoded = BINARY_CODEC.decodeMessage(
      MessageKind.ContractResponse,
      withBigInt,
    ) as MessageOf<MessageKind.ContractResponse>;
    expect(decoded.VMOutput!.ReturnData).toEqual([Uint8Array.of(1), null]);
    expect(decoded.VMOutput!.TouchedAccounts).toEqual([]);
    expect(decoded.VMOutput!.OutputAccounts).toBeNull();
  });

  it('keeps big integers, uint64 max and any JavaScript string exactly', () => {
    const big = (1n << 256n) - 1n;
    const message = createMessage(MessageKind.ContractResponse, {
      VMOutput: {
        ReturnData: null,
        ReturnCode: -(2 ** 53 - 1),
        ReturnMessage: 'lone \ud800 surrogate, ☃ and 𝄞',
        GasRemaining: (1n << 64n) - 1n,
        GasRefund: -big,
        OutputAccounts: [account([1], 0n)],
        DeletedAccounts: null,
        TouchedAccounts: null,
        Logs: null,
      },
    });
    const decoded = BINARY_CODEC.decodeMessage(
      5,
      BINARY_CODEC.encodeMessage(message),
    ) as MessageOf<MessageKind.ContractResponse>;
    expect(decoded.VMOutput).toEqual(message.VMOutput);
  });

  it('is canonical: a map is written in key order, whatever order it was given in', () => {
    const ascending = BINARY_CODEC.encodeMessage(output([account([1]), account([2]), account([1, 0])]));
    const shuffled = BINARY_CODEC.encodeMessage(output([account([2]), account([1, 0]), account([1])]));
    expect(shuffled.equals(ascending)).toBe(true);
  });

  it('refuses to encode what the JSON codec refuses, with the same error', () => {
    const bad: unknown[] = [
      createMessage(MessageKind.BlockchainLastNonceResponse, { Result: -1n }),
      createMessage(MessageKind.BlockchainLastEpochResponse, { Result: 2 ** 32 }),
      createMessage(MessageKind.BlockchainGetStorageDataRequest, { Address: 'not bytes' as never, Index: null }),
      createMessage(MessageKind.BlockchainIsSmartContractResponse, { Result: 1 as never }),
      createMessage(MessageKind.ContractCallRequest, { CallInput: { Function: 5 } as never }),
      output([account([1]), account([1])]),
      output([{ ...account([1]), Address: null as never }]),
      output([account([1], 1.5 as never)]),
      createMessage(MessageKind.BlockchainGetAllStateResponse, { AllState: [{ key: null as never, value: null }] }),
      createMessage(MessageKind.BlockchainGetBuiltinFunctionNamesResponse, { FunctionNames: ['a', 'a'] }),
      { ...createMessage(MessageKind.DiagnoseWaitRequest, { Milliseconds: 1 }), DialogueNonce: -1 },
    ];
    for (const message of bad) {
      const fromJson = caught(() => JSON_CODEC.encodeMessage(message as Message));
      const fromBinary = caught(() => BINARY_CODEC.encodeMessage(message as Message));
      expect(fromBinary.code).toBe(ErrorCode.InvalidMessage.code);
      expect(fromBinary.message).toBe(fromJson.message);
    }
  });

  describe('malformed payloads: a typed BadFrame error, never anything else', () => {
    const valid = BINARY_CODEC.encodeMessage(output([account([1], -(1n << 70n)), account([2])]));

    it('every truncation', () => {
      for (let length = 0; length < valid.length; length++) {
        expectError(
          () => BINARY_CODEC.decodeMessage(MessageKind.ContractResponse, valid.subarray(0, length)),
          ErrorCode.InvalidBinary,
        );
      }
    });

    it('random corruption', () => {
      fc.assert(
        fc.property(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
          const corrupt = Buffer.from(valid);
          corrupt[at] ^= xor;
          try {
            BINARY_CODEC.decodeMessage(MessageKind.ContractResponse, corrupt);
          } catch (error) {
            expect(VMError.is(error, ErrorCode.BadFrame)).toBe(true);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('what it accepts is canonical: a corrupted payload that still decodes re-encodes to the very same bytes', () => {
      let accepted = 0;
      fc.assert(
        fc.property(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
          const corrupt = Buffer.from(valid);
          corrupt[at] ^= xor;
          let decoded: Message;
          try {
            decoded = BINARY_CODEC.decodeMessage(MessageKind.ContractResponse, corrupt);
          } catch {
            return; // refused (typed: the test above)
          }
          accepted++;
          expect(BINARY_CODEC.encodeMessage(decoded).equals(corrupt)).toBe(true);
        }),
        { numRuns: 2000 },
      );
      expect(accepted).toBeGreaterThan(0); // (bytes inside byte fields and integers change the value, not the layout)
    });

    it('random bytes for every kind', () => {
      fc.assert(
        fc.property(fc.constantFrom(...WIRE_KINDS), fc.uint8Array({ maxLength: 64 }), (kind, tail) => {
          try {
            BINARY_CODEC.decodeMessage(kind, Buffer.concat([Buffer.of(BINARY_MAGIC), tail]));
          } catch (error) {
            expect(VMError.is(error, ErrorCode.BadFrame)).toBe(true);
          }
        }),
        { numRuns: 2000 },
      );
    });

    const header = (kind: number) => Buffer.concat([Buffer.of(BINARY_MAGIC), u32(1), u32(kind), u32(0)]);
    const u32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(n);
      return b;
    };
    const u64 = (n: bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(n);
      return b;
    };
    const bigIntAccount = (sign: number, magnitude: number[]) =>
      Buffer.concat([
        header(5),
        Buffer.of(1),
        u32(0xffffffff),
        u64(0n),
        u32(0),
        u64(0n),
        Buffer.of(sign),
        u32(magnitude.length),
        Buffer.from(magnitude),
      ]);

    it.each([
      [
        'a JSON payload',
        Buffer.from('{"DialogueNonce":1}'),
        8,
        /JSON payload: both ends must use the same marshalizer/,
      ],
      ['another first byte', Buffer.of(0x00, 1), 8, /starts with byte 0/],
      ['an empty payload', Buffer.alloc(0), 8, /starts with byte none/],
      ['bytes after the last field', Buffer.concat([header(2), Buffer.of(0)]), 2, /1 bytes after the last field/],
      [
        'a length beyond the payload',
        Buffer.concat([header(8), u32(1000), Buffer.of(1, 2)]),
        8,
        /\.Address: truncated/,
      ],
      [
        'a count that cannot fit',
        Buffer.concat([header(5), Buffer.of(1), u32(0xfffffffe)]),
        5,
        /\.VMOutput\.ReturnData: count 4294967294/,
      ],
      ['a bool byte of 2', Buffer.concat([header(45), Buffer.of(2)]), 45, /\.Result: bool byte 2/],
      ['a pointer tag of 2', Buffer.concat([header(5), Buffer.of(2)]), 5, /\.VMOutput: pointer tag 2/],
      ['a bigInt sign byte of 3', bigIntAccount(3, []), 5, /\.GasRefund: bigInt sign byte 3/],
      ['negative zero', bigIntAccount(2, []), 5, /\.GasRefund: negative zero/],
      ['a leading zero byte', bigIntAccount(1, [0, 1]), 5, /\.GasRefund: bigInt magnitude with a leading zero byte/],
      [
        'an odd-sized string',
        Buffer.concat([Buffer.of(BINARY_MAGIC), u32(1), u32(2), u32(0xffffffff)]),
        2,
        /\.ErrorMessage: truncated/,
      ],
    ])('%s', (_name, payload, kind, detail) =>
      expectError(() => BINARY_CODEC.decodeMessage(kind, payload), ErrorCode.InvalidBinary, detail),
    );

    it('a payload kind other than the preamble kind', () => {
      expectError(() => BINARY_CODEC.decodeMessage(2, header(45)), ErrorCode.KindMismatch, /preamble 2, payload 45/);
    });

    it('keys out of order or repeated', () => {
      const ascending = output([account([1]), account([2])]);
      const payload = BINARY_CODEC.encodeMessage(ascending);
      const first = payload.indexOf(Buffer.from([1, 0, 0, 0, 1]));
      const second = payload.indexOf(Buffer.from([1, 0, 0, 0, 2]));
      const swapped = Buffer.from(payload);
      swapped[first + 4] = 2;
      swapped[second + 4] = 1;
      expectError(
        () => BINARY_CODEC.decodeMessage(5, swapped),
        ErrorCode.InvalidBinary,
        /OutputAccounts\[1\]: keys not in strictly ascending order/,
      );
      const repeated = Buffer.from(payload);
      repeated[second + 4] = 1;
      expectError(
        () => BINARY_CODEC.decodeMessage(5, repeated),
        ErrorCode.InvalidBinary,
        /keys not in strictly ascending order/,
      );
    });

    it('a decoded message does not share memory with the payload it came from', () => {
      const payload = BINARY_CODEC.encodeMessage(storageRequest(Uint8Array.of(7), Uint8Array.of(8)));
      const decoded = BINARY_CODEC.decodeMessage(8, payload) as MessageOf<MessageKind.BlockchainGetStorageDataRequest>;
      payload.fill(0);
      expect(decoded.Address).toEqual(Uint8Array.of(7));
      expect(decoded.Index).toEqual(Uint8Array.of(8));
    });
  });

  it('codecFor: JSON and Binary; Gob and unknown kinds refused', () => {
    expect(codecFor(MarshalizerKind.JSON)).toBe(JSON_CODEC);
    expect(codecFor(MarshalizerKind.Binary)).toBe(BINARY_CODEC);
    expectError(() => codecFor(MarshalizerKind.Gob), ErrorCode.UnsupportedMarshalizer, /MessagesMarshalizer: gob/);
    expectError(() => codecFor(9), ErrorCode.UnsupportedMarshalizer, /unknown kind 9/);
  });
});
