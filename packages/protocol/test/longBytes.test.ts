import {
  createMessage,
  decodeMessage,
  encodeFrame,
  encodeMessage,
  ErrorCode,
  MessageKind,
  VMError,
} from '@vm/protocol';

// A node speaking the reference protocol sends a contract's whole code in every account answer: the JSON codec keeps
// the last few long base64 texts (wire/json/base64.ts). None of that may ever show: these pin down that it does not.
const account = (code: Uint8Array) =>
  createMessage(MessageKind.BlockchainGetUserAccountResponse, {
    Account: {
      Nonce: 0n,
      Balance: 0n,
      CodeHash: null,
      RootHash: null,
      Address: new Uint8Array(32),
      DeveloperReward: 0n,
      OwnerAddress: new Uint8Array(0),
      UserName: null,
      CodeMetadata: null,
      Code: code,
    },
  });

const payloadOf = (frame: Buffer) => frame.subarray(8);
const codeOf = (frame: Buffer) =>
  (decodeMessage(MessageKind.BlockchainGetUserAccountResponse, payloadOf(frame)) as ReturnType<typeof account>).Account!
    .Code as Uint8Array;
const longCode = (seed: number) => Uint8Array.from({ length: 5000 }, (_, i) => (i * 31 + seed) & 0xff);

describe('[@vm/protocol] long byte strings seen again', () => {
  it('encode to the same text each time, and to the new text once the bytes change in place', () => {
    const code = longCode(1);
    const first = encodeFrame(account(code));
    expect(encodeFrame(account(code)).equals(first)).toBe(true);
    expect(encodeFrame(account(Uint8Array.from(code))).equals(first)).toBe(true);
    code[4000] ^= 0xff;
    const changed = encodeFrame(account(code));
    expect(changed.equals(first)).toBe(false);
    expect(Buffer.from(codeOf(changed)).equals(Buffer.from(code))).toBe(true);
  });

  it('decode to equal bytes that are never shared between messages', () => {
    const frame = encodeFrame(account(longCode(2)));
    const a = codeOf(frame);
    const b = codeOf(frame);
    expect(Buffer.from(a).equals(Buffer.from(longCode(2)))).toBe(true);
    a[0] ^= 0xff;
    expect(b[0]).toBe(longCode(2)[0]);
    expect(codeOf(frame)[0]).toBe(longCode(2)[0]);
  });

  it('are still checked: a broken text of the same length as one seen is refused', () => {
    const frame = encodeFrame(account(longCode(3)));
    codeOf(frame);
    const text = payloadOf(frame).toString('utf8');
    const at = text.indexOf('"Code":"') + 20;
    const broken = Buffer.from(`${text.slice(0, at)}-${text.slice(at + 1)}`, 'utf8');
    expect(() => decodeMessage(MessageKind.BlockchainGetUserAccountResponse, broken)).toThrow(VMError);
    try {
      decodeMessage(MessageKind.BlockchainGetUserAccountResponse, broken);
    } catch (error) {
      expect((error as VMError).code).toBe(ErrorCode.SchemaViolation.code);
    }
  });
});

describe('[@vm/protocol] encodeFrame', () => {
  it('is the preamble and the payload, for text beyond ASCII too', () => {
    const message = {
      ...createMessage(MessageKind.ContractResponse, {
        VMOutput: {
          ReturnData: [Uint8Array.of(1)],
          ReturnCode: 4,
          ReturnMessage: 'ünïcödé ✓ 𝄞 <&>',
          GasRemaining: 1n,
          GasRefund: 0n,
          OutputAccounts: [],
          DeletedAccounts: [],
          TouchedAccounts: [],
          Logs: [],
        },
      }),
      DialogueNonce: 7,
    };
    const payload = encodeMessage(message);
    const frame = encodeFrame(message);
    expect(frame.readUInt32LE(0)).toBe(payload.length);
    expect(frame.readUInt32LE(4)).toBe(MessageKind.ContractResponse);
    expect(frame.subarray(8).equals(payload)).toBe(true);
    expect(decodeMessage(MessageKind.ContractResponse, payload)).toEqual(message);
  });
});
