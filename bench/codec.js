// Encode + decode times of representative messages through @vm/protocol, with both codecs (the JSON one is the
// baseline of the binary one).
'use strict';
const { BINARY_CODEC, JSON_CODEC, createMessage, MessageKind } = require('@vm/protocol');
const { timePerCall } = require('./stats');

const address = (i) => Buffer.alloc(32, i);

function sampleMessages() {
  const callRequest = createMessage(MessageKind.ContractCallRequest, {
    CallInput: {
      CallerAddr: address(1),
      Arguments: [Buffer.from('0a0b', 'hex'), address(2)],
      CallValue: 10n ** 18n,
      CallType: 0,
      GasPrice: 1000000000n,
      GasProvided: 5000000n,
      OriginalTxHash: address(3),
      CurrentTxHash: address(3),
      RecipientAddr: address(4),
      Function: 'transferToken',
    },
  });
  const storageRequest = createMessage(MessageKind.BlockchainGetStorageDataRequest, {
    Address: address(4),
    Index: Buffer.from('mycounter'.padEnd(32, '\0')),
  });
  const storageResponse = createMessage(MessageKind.BlockchainGetStorageDataResponse, { Data: Buffer.alloc(32, 9) });
  const account = (i) => ({
    Address: address(i),
    Nonce: BigInt(i),
    Balance: null,
    BalanceDelta: -(10n ** 20n) * BigInt(i),
    Code: null,
    CodeMetadata: null,
    Data: null,
    GasLimit: 0n,
    CallType: 0,
    StorageUpdates: [1, 2, 3].map((k) => ({ Offset: Buffer.alloc(32, k), Data: Buffer.alloc(32, i + k) })),
  });
  const vmOutput = createMessage(MessageKind.ContractResponse, {
    VMOutput: {
      ReturnData: [Buffer.from('ok')],
      ReturnCode: 0,
      ReturnMessage: '',
      GasRemaining: 4_000_000n,
      GasRefund: 0n,
      OutputAccounts: [1, 2, 3, 4, 5].map(account),
      DeletedAccounts: [],
      TouchedAccounts: [address(1)],
      Logs: [
        {
          Identifier: Buffer.from('transfer'),
          Address: address(4),
          Topics: [address(1), address(2)],
          Data: Buffer.alloc(32, 1),
        },
      ],
    },
  });
  return { callRequest, storagePair: [storageRequest, storageResponse], vmOutput };
}

function codecBenchmarks() {
  const { callRequest, storagePair, vmOutput } = sampleMessages();
  const results = {};
  for (const [codecName, codec] of [
    ['JSON', JSON_CODEC],
    ['binary', BINARY_CODEC],
  ]) {
    const roundTrip = (message) => codec.decodeMessage(message.Kind, codec.encodeMessage(message));
    const bytes = (...messages) => messages.reduce((sum, m) => sum + codec.encodeMessage(m).length, 0);
    results[codecName] = {
      ContractCallRequest: { ...timePerCall(() => roundTrip(callRequest)), bytes: bytes(callRequest) },
      'storage hook pair (request + response)': {
        ...timePerCall(() => (roundTrip(storagePair[0]), roundTrip(storagePair[1]))),
        bytes: bytes(...storagePair),
      },
      'VMOutput, 5 accounts': { ...timePerCall(() => roundTrip(vmOutput), { perBatch: 200 }), bytes: bytes(vmOutput) },
    };
  }
  return results;
}

module.exports = { codecBenchmarks };
