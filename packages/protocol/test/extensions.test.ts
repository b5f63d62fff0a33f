import {
  ALL_CAPABILITIES,
  BINARY_CODEC,
  Capability,
  capabilityNames,
  capabilitySet,
  codeHash,
  JSON_CODEC,
  MessageKind,
  createMessage,
  decodeMessage,
  encodeMessage,
  type MessageOf,
} from '@vm/protocol';

const initialize = (extra: { MaxFrameSize?: number; Capabilities?: number }) =>
  createMessage(MessageKind.Initialize, {
    Arguments: {
      VMType: Uint8Array.of(5, 0),
      BlockGasLimit: 1n,
      GasSchedule: null,
      ProtocolBuiltinFunctions: null,
      Kalyan3104ProtectedKeyPrefix: null,
      LogsMarshalizer: 0,
      MessagesMarshalizer: 0,
      ...extra,
    },
  });

describe('[@vm/protocol] extension fields (Initialize.MaxFrameSize)', () => {
  it('round-trips in both codecs', () => {
    const message = initialize({ MaxFrameSize: 4 * 1024 * 1024 });
    for (const codec of [JSON_CODEC, BINARY_CODEC]) {
      const decoded = codec.decodeMessage(
        MessageKind.Initialize,
        codec.encodeMessage(message),
      ) as MessageOf<MessageKind.Initialize>;
      expect(decoded.Arguments.MaxFrameSize).toBe(4 * 1024 * 1024);
    }
  });

  it("a reference node's Initialize (no such key) decodes as 0 and re-encodes without it", () => {
    const json = encodeMessage(initialize({})).toString('utf8');
    expect(json).not.toContain('MaxFrameSize');
    const decoded = decodeMessage(MessageKind.Initialize, Buffer.from(json)) as MessageOf<MessageKind.Initialize>;
    expect(decoded.Arguments.MaxFrameSize).toBe(0);
    expect(encodeMessage(decoded).toString('utf8')).toBe(json);
  });

  it('a value out of the uint32 range is refused', () => {
    expect(() => encodeMessage(initialize({ MaxFrameSize: 2 ** 32 }))).toThrow(/uint32/);
  });
});

describe('[@vm/protocol] negotiated extensions on the wire', () => {
  const call = createMessage(MessageKind.ContractCallRequest, {
    CallInput: {
      CallerAddr: Uint8Array.of(1),
      Arguments: [],
      CallValue: 0n,
      CallType: 0,
      GasPrice: 1n,
      GasProvided: 2n,
      OriginalTxHash: null,
      CurrentTxHash: null,
      RecipientAddr: Uint8Array.of(2),
      Function: 'f',
    },
  });
  const account = {
    Nonce: 1n,
    Balance: 2n,
    CodeHash: null,
    RootHash: null,
    Address: Uint8Array.of(2),
    DeveloperReward: 0n,
    OwnerAddress: null,
    UserName: null,
    CodeMetadata: null,
    Code: null,
    CodeByHash: codeHash(Uint8Array.of(0, 0x61, 0x73, 0x6d)),
    CodeSize: 4,
  };
  const withPrefetch = {
    ...call,
    Prefetch: {
      Accounts: [{ Address: Uint8Array.of(2), Account: account }],
      Storage: [{ Address: Uint8Array.of(2), Index: Uint8Array.of(9), Data: null }],
    },
  };

  it('a request without Prefetch (and Initialize with Capabilities 0) is the reference message, byte for byte', () => {
    const json = encodeMessage(call).toString('utf8');
    expect(json).not.toContain('Prefetch');
    expect(encodeMessage({ ...call, Prefetch: null } as never).toString('utf8')).toBe(json);
    expect(encodeMessage(initialize({ Capabilities: 0 } as never))).toEqual(encodeMessage(initialize({})));
    const decoded = decodeMessage(MessageKind.ContractCallRequest, Buffer.from(json));
    expect((decoded as MessageOf<MessageKind.ContractCallRequest>).Prefetch).toBeNull();
  });

  it('Prefetch, CodeByHash and the kinds of ours round-trip in both codecs', () => {
    const ours = [
      withPrefetch,
      createMessage(MessageKind.InitializeAcknowledge, {
        Version: '1.0.0',
        Build: 'b',
        Capabilities: ALL_CAPABILITIES,
      }),
      createMessage(MessageKind.VersionRequest, {}),
      createMessage(MessageKind.VersionResponse, { Version: '1.0.0', Build: 'b' }),
      createMessage(MessageKind.GasScheduleChangeRequest, { GasSchedule: { BaseOperationCost: { StorePerByte: 3n } } }),
      createMessage(MessageKind.GasScheduleChangeResponse, {}, 'refused'),
      createMessage(MessageKind.BlockchainGetCodeRequest, { Address: Uint8Array.of(2), CodeHash: account.CodeByHash }),
      createMessage(MessageKind.BlockchainGetCodeResponse, { Code: Uint8Array.of(0, 0x61, 0x73, 0x6d) }),
    ];
    for (const codec of [JSON_CODEC, BINARY_CODEC])
      for (const message of ours) {
        const decoded = codec.decodeMessage(message.Kind, codec.encodeMessage(message as never));
        expect(codec.encodeMessage(decoded)).toEqual(codec.encodeMessage(message as never));
        expect(decoded).toEqual(message);
      }
  });

  it('a GetUserAccount answer of a reference node (no CodeByHash) re-encodes byte-identically', () => {
    const response = createMessage(MessageKind.BlockchainGetUserAccountResponse, {
      Account: { ...account, CodeByHash: undefined, CodeSize: undefined, Code: Uint8Array.of(1) },
    });
    const json = encodeMessage(response as never).toString('utf8');
    expect(json).not.toMatch(/CodeByHash|CodeSize/);
    const decoded = decodeMessage(response.Kind, Buffer.from(json));
    expect(encodeMessage(decoded).toString('utf8')).toBe(json);
  });

  it('the capability set: names and bits', () => {
    expect(capabilitySet([Capability.CodeByHash, Capability.Version])).toBe(9);
    expect(capabilityNames(ALL_CAPABILITIES)).toEqual([
      'CodeByHash',
      'AccountPrefetch',
      'StoragePrefetch',
      'Version',
      'GasScheduleChange',
    ]);
  });
});
