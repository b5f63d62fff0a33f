import {
  CallType,
  ErrorCode,
  VMError,
  assertContractInput,
  contractInputProblem,
  type ContractCallInput,
} from '@vm/protocol';

const valid: ContractCallInput = {
  CallerAddr: Buffer.alloc(32, 1),
  Arguments: [],
  CallValue: 0n,
  CallType: CallType.DirectCall,
  GasPrice: 0n,
  GasProvided: 1000n,
  OriginalTxHash: null,
  CurrentTxHash: null,
  RecipientAddr: Buffer.alloc(32, 2),
  Function: 'f',
};

describe('[@vm/protocol] contract inputs a node never sends', () => {
  it('a valid call and a valid create pass', () => {
    expect(contractInputProblem(valid, 'call')).toBeUndefined();
    expect(contractInputProblem({ ...valid, RecipientAddr: null }, 'create')).toBeUndefined();
  });

  it.each<[string, Partial<ContractCallInput>, RegExp]>([
    ['a negative CallValue', { CallValue: -5n }, /CallValue -5 is negative/],
    ['CallType 7', { CallType: 7 as CallType }, /CallType 7/],
    ['CallType -1', { CallType: -1 as CallType }, /CallType -1/],
    ['a null RecipientAddr', { RecipientAddr: null }, /RecipientAddr is missing/],
    ['an empty RecipientAddr', { RecipientAddr: new Uint8Array(0) }, /RecipientAddr is missing/],
    ['a negative GasProvided', { GasProvided: -1n }, /GasProvided -1 is not a u64/],
    ['a GasPrice above u64', { GasPrice: 1n << 64n }, /GasPrice .* is not a u64/],
    ['a number where a bigint belongs', { GasProvided: 5 as unknown as bigint }, /GasProvided must be a bigint/],
  ])('%s is refused with InvalidContractInput', (_, change, message) => {
    const input = { ...valid, ...change };
    expect(contractInputProblem(input, 'call')).toMatch(message);
    let thrown: unknown;
    try {
      assertContractInput(input, 'call');
    } catch (error) {
      thrown = error;
    }
    expect(VMError.is(thrown, ErrorCode.InvalidContractInput)).toBe(true);
    expect((thrown as VMError).critical).toBe(false);
  });
});
