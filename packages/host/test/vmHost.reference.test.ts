import { ReturnCode } from '@vm/protocol';
import {
  describeWithConformance,
  referenceContract,
  address,
  callInput,
  createInput,
  hex,
  text,
  CALLER,
} from '@vm/testkit';
import { newHost } from '@vm/testkit/host';

// Outcomes the reference's own host tests assert (anchor-host.md §7.1), with its unit-test contracts.
describeWithConformance('[@vm/host] reference unit-test contracts', () => {
  describe('deploy', () => {
    it('init-correct with argument 0 and 1000 gas leaves 579, with the caller nonce cached and the value on the new account', () => {
      const { hook, vm } = newHost();
      hook.setAccount(CALLER, { nonce: 24n, balance: 1000n });
      hook.newAddressResult = address('new smartcontract');
      const out = vm.runSmartContractCreate(
        createInput(referenceContract('init-correct'), {
          Arguments: [Uint8Array.of(0)],
          GasProvided: 1000n,
          CallValue: 88n,
        }),
      );
      expect(out.ReturnCode).toBe(ReturnCode.Ok);
      expect(out.GasRemaining).toBe(579n);
      expect(hook.newAddressCalls).toEqual([{ creator: CALLER, nonce: 23n }]);
      const accounts = out.OutputAccounts!.map((a) => [
        text(a.Address),
        a.Nonce,
        a.BalanceDelta,
        a.Code === null ? 0 : a.Code.length,
      ]);
      expect(accounts).toEqual([
        [text(CALLER), 24n, 0n, 0],
        [text(address('new smartcontract')), 0n, 88n, referenceContract('init-correct').length],
      ]);
    });

    it('init-simple-popcnt returns [0x03]', () => {
      const out = newHost().vm.runSmartContractCreate(createInput(referenceContract('init-simple-popcnt')));
      expect(out.ReturnCode).toBe(ReturnCode.Ok);
      expect(out.ReturnData!.map(hex)).toEqual(['03']);
    });

    it.each(['memoryless', 'init-wrong', 'signatures', 'num-with-fp'])('%s is ContractInvalid', (name) => {
      const out = newHost().vm.runSmartContractCreate(createInput(referenceContract(name)));
      expect(out).toMatchObject({
        ReturnCode: ReturnCode.ContractInvalid,
        ReturnMessage: 'invalid contract code',
        GasRemaining: 0n,
        OutputAccounts: null,
      });
    });

    it('non-wasm code is ContractInvalid; too little gas for the code is OutOfGas', () => {
      const { vm } = newHost();
      expect(vm.runSmartContractCreate(createInput(Buffer.from('not WASM')))).toMatchObject({
        ReturnCode: ReturnCode.ContractInvalid,
      });
      expect(vm.runSmartContractCreate(createInput(Buffer.from('contract'), { GasProvided: 8n }))).toMatchObject({
        ReturnCode: ReturnCode.OutOfGas,
        ReturnMessage: 'not enough gas',
      });
    });
  });

  describe('call', () => {
    const counter = address('counter');
    function counterHost(stored?: number) {
      const host = newHost();
      host.hook.setAccount(counter, { code: referenceContract('counter') });
      if (stored !== undefined)
        host.hook.setStorage(
          counter,
          Buffer.from('mycounter'.padEnd(32, '\0')),
          Buffer.from(stored.toString(16).padStart(4, '0'), 'hex'),
        );
      return host;
    }

    it('counter.increment with 1001 stored writes 1002', () => {
      const out = counterHost(1001).vm.runSmartContractCall(callInput(counter, 'increment'));
      expect(out.ReturnCode).toBe(ReturnCode.Ok);
      expect(out.OutputAccounts).toHaveLength(1);
      expect(
        out.OutputAccounts![0].StorageUpdates!.map((u) => [text(u.Offset)!.replace(/\0+$/, ''), hex(u.Data)]),
      ).toEqual([['mycounter', '03ea']]);
    });

    it.each([
      ['init', ReturnCode.UserError, 'invalid function (calling init() directly is forbidden)'],
      ['callBack', ReturnCode.UserError, 'invalid function (calling callBack() directly is forbidden)'],
      ['wrong', ReturnCode.FunctionNotFound, 'invalid function (not found)'],
    ])('calling %s fails with the reference error', (fn, code, message) => {
      expect(counterHost().vm.runSmartContractCall(callInput(counter, fn))).toMatchObject({
        ReturnCode: code,
        ReturnMessage: message,
        GasRemaining: 0n,
      });
    });

    it('a missing contract is ContractNotFound; zero gas is OutOfGas; non-wasm code is ContractInvalid', () => {
      const { hook, vm } = counterHost();
      expect(vm.runSmartContractCall(callInput(address('nobody'), 'increment'))).toMatchObject({
        ReturnCode: ReturnCode.ContractNotFound,
        ReturnMessage: 'invalid contract code (not found)',
      });
      expect(vm.runSmartContractCall(callInput(counter, 'increment', { GasProvided: 0n }))).toMatchObject({
        ReturnCode: ReturnCode.OutOfGas,
        ReturnMessage: 'not enough gas',
      });
      hook.setAccount(address('text'), { code: Buffer.from('not WASM') });
      expect(vm.runSmartContractCall(callInput(address('text'), 'increment'))).toMatchObject({
        ReturnCode: ReturnCode.ContractInvalid,
      });
    });

    it('breakpoint.testFunc(1) stops at the first signalError; testFunc(15) returns [100]', () => {
      const { hook, vm } = newHost();
      hook.setAccount(address('bp'), { code: referenceContract('breakpoint') });
      expect(
        vm.runSmartContractCall(callInput(address('bp'), 'testFunc', { Arguments: [Uint8Array.of(1)] })),
      ).toMatchObject({ ReturnCode: ReturnCode.UserError, ReturnMessage: 'exit here', ReturnData: null });
      const ok = vm.runSmartContractCall(callInput(address('bp'), 'testFunc', { Arguments: [Uint8Array.of(15)] }));
      expect(ok.ReturnCode).toBe(ReturnCode.Ok);
      expect(ok.ReturnData!.map(hex)).toEqual(['64']);
    });

    it('a cached call never recompiles', () => {
      const { vm } = counterHost(5);
      vm.runSmartContractCall(callInput(counter, 'increment'));
      const compiled = vm.compilations;
      for (let i = 0; i < 10; i++) vm.runSmartContractCall(callInput(counter, 'get'));
      expect(vm.compilations).toBe(compiled);
    });
  });
});
