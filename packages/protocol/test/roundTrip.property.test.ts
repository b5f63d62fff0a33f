import fc from 'fast-check';
import { createMessage, decodeMessage, encodeMessage, kindName, MessageKind, type MessageOf } from '@vm/protocol';
import { canonicalMessage, messageArb, WIRE_KINDS } from '@vm/testkit';

describe('[@vm/protocol] lossless round trip of every message kind', () => {
  it.each(WIRE_KINDS.map((kind) => [kindName(kind), kind] as const))('%s (%i)', (_name, kind) => {
    fc.assert(
      fc.property(messageArb(kind), (message) => {
        const payload = encodeMessage(message);
        const decoded = decodeMessage(kind, payload);
        expect(canonicalMessage(decoded)).toEqual(canonicalMessage(message));
        expect(encodeMessage(decoded).equals(payload)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps integers up to 2^256 and uint64 max bit-exact', () => {
    const big = (1n << 256n) - 1n;
    const message = createMessage(MessageKind.ContractResponse, {
      VMOutput: {
        ReturnData: null,
        ReturnCode: 0,
        ReturnMessage: '',
        GasRemaining: (1n << 64n) - 1n,
        GasRefund: -big,
        OutputAccounts: [
          {
            Address: Uint8Array.of(1),
            Nonce: 2n ** 63n + 1n,
            Balance: big,
            BalanceDelta: big,
            StorageUpdates: null,
            Code: null,
            CodeMetadata: null,
            Data: null,
            GasLimit: 9007199254740993n,
            CallType: 0,
          },
        ],
        DeletedAccounts: null,
        TouchedAccounts: null,
        Logs: null,
      },
    });
    const json = encodeMessage(message).toString();
    expect(json).toContain(`"GasRefund":-${big}`);
    expect(json).toContain('"GasRemaining":18446744073709551615');
    const decoded = (decodeMessage(5, Buffer.from(json)) as MessageOf<MessageKind.ContractResponse>).VMOutput!;
    expect(decoded.GasRemaining).toBe((1n << 64n) - 1n);
    expect(decoded.OutputAccounts![0].Balance).toBe(big);
    expect(decoded.OutputAccounts![0].GasLimit).toBe(9007199254740993n);
    expect(decoded.OutputAccounts![0].Nonce).toBe(2n ** 63n + 1n);
  });
});
