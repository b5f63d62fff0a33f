import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ReturnCode } from '@vm/protocol';
import { wat, createInput } from '@vm/testkit';
import { newHost } from '@vm/testkit/host';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

describe('[@vm/host] long runs', () => {
  it('100,000 consecutive deploys all succeed without growing memory', async () => {
    const code = await wat(
      `(module (import "env" "int64finish" (func $f (param i64))) (memory (export "memory") 2) (func (export "init") (call $f (i64.const 42))))`,
    );
    const { vm } = newHost();
    const deploy = () => vm.runSmartContractCreate(createInput(code, { GasProvided: 100_000n }));
    for (let i = 0; i < 1000; i++) deploy();
    gc();
    const before = process.memoryUsage();
    let failures = 0;
    for (let i = 0; i < 100_000; i++) if (deploy().ReturnCode !== ReturnCode.Ok) failures++;
    gc();
    const after = process.memoryUsage();
    expect(failures).toBe(0);
    expect(vm.compilations).toBe(1);
    // Allow for collector slack, not for per-deploy growth (100,000 leaked memories would be gigabytes).
    expect(after.heapUsed - before.heapUsed).toBeLessThan(64 * 1024 * 1024);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);
});

describe('[@vm/host] compiled codes are found by their bytes', () => {
  // same-length codes: each deploy returns its own constant (1000..1019 all encode in two LEB128 bytes)
  const codes = Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      wat(
        `(module (import "env" "int64finish" (func $f (param i64))) (memory (export "memory") 1) (func (export "init") (call $f (i64.const ${1000 + i}))))`,
      ),
    ),
  );
  const deploy = (vm: ReturnType<typeof newHost>['vm'], code: Uint8Array) =>
    vm.runSmartContractCreate(createInput(code, { GasProvided: 100_000n })).ReturnData?.[0];
  const returned = (i: number) => Uint8Array.of(((1000 + i) >> 8) & 0xff, (1000 + i) & 0xff);

  it('twenty codes of one length, each arriving as a new array, each run as itself', async () => {
    const all = await codes;
    expect(new Set(all.map((code) => code.length)).size).toBe(1);
    const { vm } = newHost();
    for (let pass = 0; pass < 2; pass++)
      all.forEach((code, i) => expect(deploy(vm, Uint8Array.from(code))).toEqual(returned(i)));
    const compiled = vm.compilations;
    // the 16 most recently used of one length are kept: running them again compiles nothing
    for (let i = all.length - 1; i >= all.length - 16; i--)
      expect(deploy(vm, Uint8Array.from(all[i]))).toEqual(returned(i));
    expect(vm.compilations).toBe(compiled);
  });

  it('an array changed in place after a run runs its new bytes', async () => {
    const [first, second] = await codes;
    const { vm } = newHost();
    const code = Uint8Array.from(first);
    expect(deploy(vm, code)).toEqual(returned(0));
    code.set(second);
    expect(deploy(vm, code)).toEqual(returned(1));
    code.set(first);
    expect(deploy(vm, code)).toEqual(returned(0));
  });
});
