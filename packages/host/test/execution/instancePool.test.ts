import { ReturnCode } from '@vm/protocol';
import { wat, address, callInput, hex } from '@vm/testkit';
import { newHost } from '@vm/testkit/host';

const SC = address('stateful');

describe('[@vm/host] every execution starts from an instance in its initial state (pooled ones are reset)', () => {
  it('globals, memory and data segments are back to their initial values on the next call (also after a trap)', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(SC, {
      code: await wat(`(module
          (import "env" "finish" (func $finish (param i32 i32)))
          (import "env" "int64finish" (func $int64finish (param i64)))
          (memory (export "memory") 1)
          (data (i32.const 0) "abc")
          (global $counter (mut i64) (i64.const 40))
          (func (export "run")
            (global.set $counter (i64.add (global.get $counter) (i64.const 2)))
            (call $int64finish (global.get $counter))
            (call $finish (i32.const 0) (i32.const 3))
            (call $finish (i32.const 1000) (i32.const 1))
            (i32.store8 (i32.const 0) (i32.const 0x7a))
            (i32.store8 (i32.const 1000) (i32.const 0x7a)))
          (func (export "trap")
            (global.set $counter (i64.const 99))
            (i32.store8 (i32.const 1) (i32.const 0x7a))
            unreachable))`),
    });
    const first = vm.runSmartContractCall(callInput(SC, 'run'));
    expect(first.ReturnData!.map(hex)).toEqual(['2a', '616263', '00']);
    expect(vm.runSmartContractCall(callInput(SC, 'trap')).ReturnCode).toBe(ReturnCode.ExecutionFailed);
    for (let i = 0; i < 3; i++) expect(vm.runSmartContractCall(callInput(SC, 'run'))).toEqual(first);
  });
});
