import { type CallType, ErrorCode, VMError } from '@vm/protocol';
import { FakeBlockchainHook, wat, address, callInput, createInput } from '@vm/testkit';
import { newHost } from '@vm/testkit/host';

const SC = address('sc');

describe('[@vm/host] inputs a node never sends are refused, not executed', () => {
  it.each([
    ['a negative CallValue (5 units would vanish)', { CallValue: -5n }],
    ['CallType 7', { CallType: 7 as CallType }],
    ['CallType -1', { CallType: -1 as CallType }],
    ['a null RecipientAddr', { RecipientAddr: null }],
  ])('a call with %s throws InvalidContractInput', async (_, change) => {
    const code = await wat('(module (memory (export "memory") 1) (func (export "f")))');
    const { vm } = newHost(new FakeBlockchainHook().setAccount(SC, { code, balance: 100n }));
    expect(() => vm.runSmartContractCall(callInput(SC, 'f', change))).toThrow(VMError);
    try {
      vm.runSmartContractCall(callInput(SC, 'f', change));
    } catch (error) {
      expect(VMError.is(error, ErrorCode.InvalidContractInput)).toBe(true);
    }
  });

  it('a deploy with a negative CallValue throws InvalidContractInput', async () => {
    const code = await wat('(module (memory (export "memory") 1) (func (export "init")))');
    const { vm } = newHost();
    expect(() => vm.runSmartContractCreate(createInput(code, { CallValue: -1n }))).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidContractInput.code }),
    );
  });
});
