import {
  decodeMessage,
  encodeFrame,
  encodeMessage,
  decodePreamble,
  type MessageKind,
  type MessageOf,
} from '@vm/protocol';
import { GOLDEN_FRAMES } from './golden/referenceFrames';

const text = (s: string) => Buffer.from(s, 'utf8');
const ascii = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('latin1'));

describe('[@vm/protocol] reference frames (golden)', () => {
  describe.each(GOLDEN_FRAMES)('$name', ({ kind, json, preambleHex }) => {
    it('re-encodes byte-identically to Go encoding/json', () => {
      expect(encodeMessage(decodeMessage(kind, text(json))).toString('utf8')).toBe(json);
    });

    it('frames with the reference preamble', () => {
      const frame = encodeFrame(decodeMessage(kind, text(json)));
      expect(decodePreamble(frame)).toEqual({ length: Buffer.byteLength(json), kind });
      if (preambleHex) expect(frame.subarray(0, 8).toString('hex')).toBe(preambleHex);
    });
  });

  it('decodes the call request to the expected values', () => {
    const m = decodeMessage(4, text(GOLDEN_FRAMES[0].json)) as MessageOf<MessageKind.ContractCallRequest>;
    expect(m.DialogueNonce).toBe(1);
    expect(m.CallInput).not.toBeNull();
    const input = m.CallInput!;
    expect(ascii(input.CallerAddr)).toBe('me');
    expect(ascii(input.RecipientAddr)).toBe('mycontract');
    expect(input.Function).toBe('increment');
    expect(input.Arguments).toEqual([]);
    expect(input.CallValue).toBe(0n);
    expect(input.GasPrice).toBe(100000000n);
    expect(input.GasProvided).toBe(2000000n);
    expect(input.OriginalTxHash).toBeNull();
  });

  it('decodes the contract response, storage update keyed by its inner Offset', () => {
    const frame = GOLDEN_FRAMES.find((g) => g.name === 'ContractResponse')!;
    const m = decodeMessage(5, text(frame.json)) as MessageOf<MessageKind.ContractResponse>;
    const out = m.VMOutput!;
    expect(out.ReturnData).toEqual([Uint8Array.of(2)]);
    expect(out.GasRemaining).toBe(1999650n);
    expect(out.GasRefund).toBe(0n);
    expect(out.OutputAccounts).toHaveLength(1);
    const account = out.OutputAccounts![0];
    expect(ascii(account.Address)).toBe('mycontract');
    expect(account.Balance).toBeNull();
    expect(account.BalanceDelta).toBe(0n);
    expect(ascii(account.StorageUpdates![0].Offset)).toBe('mycounter' + '\0'.repeat(23));
    expect(account.StorageUpdates![0].Data).toEqual(Uint8Array.of(2));
  });

  it('decodes hook responses with and without an error', () => {
    const withError = decodeMessage(
      9,
      text(GOLDEN_FRAMES[4].json),
    ) as MessageOf<MessageKind.BlockchainGetStorageDataResponse>;
    expect(withError.ErrorMessage).toBe('storage read failed <&>');
    expect(withError.Data).toBeNull();
    const account = decodeMessage(
      41,
      text(GOLDEN_FRAMES[6].json),
    ) as MessageOf<MessageKind.BlockchainGetUserAccountResponse>;
    expect(account.Account!.Nonce).toBe(42n);
    expect(account.Account!.DeveloperReward).toBe(43n);
    expect(account.Account!.Code).toEqual(Uint8Array.from([0, 0x61, 0x73, 0x6d]));
  });

  it('decodes the Initialize arguments with the gas schedule as bigints', () => {
    const init = decodeMessage(1, text(GOLDEN_FRAMES.at(-1)!.json)) as MessageOf<MessageKind.Initialize>;
    expect(init.Arguments.BlockGasLimit).toBe(10000000n);
    expect(init.Arguments.GasSchedule!.BaseOperationCost.CompilePerByte).toBe(1n);
    expect(ascii(init.Arguments.Kalyan3104ProtectedKeyPrefix)).toBe('KALYAN3104');
    expect(init.Arguments.VMType).toEqual(Uint8Array.of(5, 0));
  });
});
