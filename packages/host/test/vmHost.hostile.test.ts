import { ReturnCode } from '@vm/protocol';
import { wat, address, callInput, createInput } from '@vm/testkit';
import { newHost } from '@vm/testkit/host';

const SC = address('hostile');
const header = `(import "env" "finish" (func $finish (param i32 i32))) (memory (export "memory") 1)`;

async function runHostile(body: string, gas = 1_000_000n) {
  const { hook, vm } = newHost();
  hook.setAccount(SC, { code: await wat(`(module ${header} ${body})`) });
  return vm.runSmartContractCall(callInput(SC, 'run', { GasProvided: gas }));
}

async function deploy(text: string, { validate = true } = {}) {
  return newHost().vm.runSmartContractCreate(createInput(await wat(text, { validate })));
}

describe('[@vm/host] hostile contracts never hang or crash; each gets its ReturnCode', () => {
  it('an infinite loop runs out of gas', async () => {
    const out = await runHostile(`(func (export "run") (loop $l (br $l)))`);
    expect(out).toMatchObject({ ReturnCode: ReturnCode.OutOfGas, ReturnMessage: 'not enough gas', GasRemaining: 0n });
  });

  it('a memory.grow bomb stops at the deterministic cap (grow returns -1), and traps on out-of-bounds writes', async () => {
    const out = await runHostile(`
      (func (export "run") (local $n i32)
        (loop $l (local.set $n (memory.grow (i32.const 100))) (br_if $l (i32.ne (local.get $n) (i32.const -1))))
        (i64.store (i32.mul (memory.size) (i32.const 65536)) (i64.const 1)))`);
    expect(out.ReturnCode).toBe(ReturnCode.ExecutionFailed);
  });

  it('unbounded recursion fails the same way, with the same gas, every run', async () => {
    const body = `(func $f (param i64) (call $f (i64.add (local.get 0) (i64.const 1)))) (func (export "run") (call $f (i64.const 0)))`;
    const first = await runHostile(body, 10_000_000_000n);
    expect(first).toMatchObject({ ReturnCode: ReturnCode.CallStackOverFlow, ReturnMessage: 'call stack overflow' });
    for (let i = 0; i < 3; i++) expect(await runHostile(body, 10_000_000_000n)).toEqual(first);
  });

  it('a function body over 128 KiB is rejected', async () => {
    const nops = 'nop '.repeat(132_000);
    expect(await deploy(`(module ${header} (func (export "big") ${nops}))`)).toMatchObject({
      ReturnCode: ReturnCode.ContractInvalid,
    });
  });

  it.each([
    ['an unknown import', `(module (import "env" "noSuchFunction" (func)) (memory (export "memory") 1))`],
    ['a wrong import signature', `(module (import "env" "finish" (func (param i64))) (memory (export "memory") 1))`],
    ['an import from another namespace', `(module (import "wasi" "fd_write" (func)) (memory (export "memory") 1))`],
    ['a memory import', `(module (import "env" "memory" (memory 1)) (export "memory" (memory 0)))`],
    ['a float opcode', `(module (memory (export "memory") 1) (func (export "f") (drop (f32.const 1.5))))`],
    ['a float load', `(module (memory (export "memory") 1) (func (export "f") (drop (f64.load (i32.const 0)))))`],
    ['a start function', `(module (memory (export "memory") 1) (func $s) (start $s))`],
    ['SIMD', `(module (memory (export "memory") 1) (func (export "f") (drop (v128.const i64x2 0 0))))`],
    [
      'multi-value',
      `(module (memory (export "memory") 1) (func (export "f") (result i32 i32) (i32.const 1) (i32.const 2)))`,
    ],
    [
      'bulk memory',
      `(module (memory (export "memory") 1) (func (export "f") (memory.fill (i32.const 0) (i32.const 0) (i32.const 1))))`,
    ],
    ['threads (shared memory)', `(module (memory (export "memory") 1 1 shared))`],
    ['a non-void export', `(module (memory (export "memory") 1) (func (export "f") (result i32) (i32.const 1)))`],
    ['a reserved export name', `(module (memory (export "memory") 1) (func (export "finish")))`],
    ['no exported memory', `(module (memory 1) (func (export "f")))`],
  ])('%s is ContractInvalid', async (_name, text) => {
    expect(await deploy(text, { validate: false })).toMatchObject({
      ReturnCode: ReturnCode.ContractInvalid,
      ReturnMessage: 'invalid contract code',
    });
  });

  it.each([
    ['garbage bytes', Buffer.from('garbage garbage garbage')],
    ['a truncated module', Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 0x7f])],
    ['an empty module body', Buffer.alloc(0)],
  ])('%s is ContractInvalid', (_name, code) => {
    expect(newHost().vm.runSmartContractCreate(createInput(code))).toMatchObject({
      ReturnCode: ReturnCode.ContractInvalid,
    });
  });

  it('a trap (division by zero) is ExecutionFailed with all gas consumed', async () => {
    const out = await runHostile(`(func (export "run") (drop (i32.div_u (i32.const 1) (i32.const 0))))`);
    expect(out).toMatchObject({ ReturnCode: ReturnCode.ExecutionFailed, GasRemaining: 0n, OutputAccounts: null });
  });
});
