/** Frames produced by the reference's Go encoding/json (anchor-ipc.md §2.8), with their preambles. */
export interface GoldenFrame {
  name: string;
  kind: number;
  preambleHex?: string;
  json: string;
}

const counterKey = 'mycounter' + '\\u0000'.repeat(23);

export const GOLDEN_FRAMES: GoldenFrame[] = [
  {
    name: 'ContractCallRequest increment',
    kind: 4,
    preambleHex: '0a01000004000000',
    json: '{"DialogueNonce":1,"Kind":4,"ErrorMessage":"","CallInput":{"CallerAddr":"bWU=","Arguments":[],"CallValue":0,"CallType":0,"GasPrice":100000000,"GasProvided":2000000,"OriginalTxHash":null,"CurrentTxHash":null,"RecipientAddr":"bXljb250cmFjdA==","Function":"increment"}}',
  },
  {
    name: 'ContractDeployRequest',
    kind: 3,
    json: '{"DialogueNonce":1,"Kind":3,"ErrorMessage":"","CreateInput":{"CallerAddr":"bWU=","Arguments":[],"CallValue":0,"CallType":0,"GasPrice":100000000,"GasProvided":2000000,"OriginalTxHash":null,"CurrentTxHash":null,"ContractCode":"AGFzbQEAAAA=","ContractCodeMetadata":"AQA="}}',
  },
  {
    name: 'GetStorageData request',
    kind: 8,
    preambleHex: '8200000008000000',
    json: '{"DialogueNonce":4,"Kind":8,"ErrorMessage":"","Address":"bXljb250cmFjdA==","Index":"bXljb3VudGVyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}',
  },
  {
    name: 'GetStorageData response',
    kind: 9,
    preambleHex: '3c00000009000000',
    json: '{"DialogueNonce":5,"Kind":9,"ErrorMessage":"","Data":"AQ=="}',
  },
  {
    name: 'GetStorageData response with error',
    kind: 9,
    json: '{"DialogueNonce":5,"Kind":9,"ErrorMessage":"storage read failed \\u003c\\u0026\\u003e","Data":null}',
  },
  {
    name: 'GetUserAccount request',
    kind: 40,
    json: '{"DialogueNonce":2,"Kind":40,"ErrorMessage":"","Address":"bXljb250cmFjdA=="}',
  },
  {
    name: 'GetUserAccount response',
    kind: 41,
    json: '{"DialogueNonce":3,"Kind":41,"ErrorMessage":"","Account":{"Nonce":42,"Balance":null,"CodeHash":null,"RootHash":null,"Address":null,"DeveloperReward":43,"OwnerAddress":null,"UserName":null,"CodeMetadata":null,"Code":"AGFzbQ=="}}',
  },
  {
    name: 'GetUserAccount response, not found with error',
    kind: 41,
    json: '{"DialogueNonce":3,"Kind":41,"ErrorMessage":"foo error","Account":null}',
  },
  {
    name: 'ContractResponse',
    kind: 5,
    preambleHex: '6c02000005000000',
    json: `{"DialogueNonce":6,"Kind":5,"ErrorMessage":"","VMOutput":{"ReturnData":["Ag=="],"ReturnCode":0,"ReturnMessage":"","GasRemaining":1999650,"GasRefund":0,"OutputAccounts":{"mycontract":{"Address":"bXljb250cmFjdA==","Nonce":0,"Balance":null,"BalanceDelta":0,"StorageUpdates":{"${counterKey}":{"Offset":"bXljb3VudGVyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","Data":"Ag=="}},"Code":null,"CodeMetadata":null,"Data":null,"GasLimit":0,"CallType":0}},"DeletedAccounts":[],"TouchedAccounts":[],"Logs":[]}}`,
  },
  {
    name: 'ContractResponse, VM panic',
    kind: 5,
    json: '{"DialogueNonce":2,"Kind":5,"ErrorMessage":"arwen.RunSmartContractCall, panic: boom","VMOutput":null}',
  },
  {
    name: 'Stop',
    kind: 2,
    json: '{"DialogueNonce":1,"Kind":2,"ErrorMessage":""}',
  },
  {
    name: 'DiagnoseWaitRequest',
    kind: 46,
    json: '{"DialogueNonce":1,"Kind":46,"ErrorMessage":"","Milliseconds":100}',
  },
  {
    name: 'DiagnoseWaitResponse',
    kind: 47,
    json: '{"DialogueNonce":2,"Kind":47,"ErrorMessage":""}',
  },
  {
    name: 'Initialize',
    kind: 1,
    json: '{"DialogueNonce":0,"Kind":1,"ErrorMessage":"","Arguments":{"VMType":"BQA=","BlockGasLimit":10000000,"GasSchedule":{"BaseOperationCost":{"CompilePerByte":1,"StorePerByte":1},"WASMOpcodeCost":{"AtomicFence":1}},"ProtocolBuiltinFunctions":null,"Kalyan3104ProtectedKeyPrefix":"S0FMWUFOMzEwNA==","LogsMarshalizer":0,"MessagesMarshalizer":0}}',
  },
];
