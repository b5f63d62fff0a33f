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
