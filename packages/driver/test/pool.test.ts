import { ReturnCode, type ContractCallInput } from '@vm/protocol';
import { VMQueryPool } from '@vm/driver';
import { FakeBlockchainHook, wat } from '@vm/testkit';
import { testGasScheduleMap } from './helpers';

describe('[@vm/driver] a pool of VM processes for read-only queries', () => {
  it('runs queries on separate processes at the same time', async () => {
    const pool = new VMQueryPool(2, {
      blockchainHook: new FakeBlockchainHook(),
      gasSchedule: testGasScheduleMap(),
      maxLoopTimeMs: 10000,
    });
    try {
      await Promise.all([pool.onLeastBusy((d) => d.diagnoseWait(1)), pool.onLeastBusy((d) => d.diagnoseWait(1))]); // both started
      const started = performance.now();
      await Promise.all([pool.onLeastBusy((d) => d.diagnoseWait(600)), pool.onLeastBusy((d) => d.diagnoseWait(600))]);
      // one process would need 1200 ms for the two
      expect(performance.now() - started).toBeLessThan(1100);
    } finally {
      await pool.close();
    }
  }, 30000);

  it('answers contract queries', async () => {
    const hook = new FakeBlockchainHook();
    const sc = Buffer.alloc(32, 7);
    hook.setAccount(sc, {
      code: await wat(
        `(module (import "env" "int64finish" (func $f (param i64))) (memory (export "memory") 1) (func (export "get") (call $f (i64.const 5))))`,
      ),
    });
    const pool = new VMQueryPool(2, { blockchainHook: hook, gasSchedule: testGasScheduleMap(), maxLoopTimeMs: 10000 });
    const input: ContractCallInput = {
      CallerAddr: Buffer.alloc(32, 1),
      Arguments: [],
      CallValue: 0n,
      CallType: 0,
      GasPrice: 0n,
      GasProvided: 100000n,
      OriginalTxHash: null,
      CurrentTxHash: null,
      RecipientAddr: sc,
      Function: 'get',
    };
    try {
      const outputs = await Promise.all(Array.from({ length: 6 }, () => pool.query(input)));
      expect(outputs.every((o) => o.ReturnCode === ReturnCode.Ok && o.ReturnData![0]![0] === 5)).toBe(true);
    } finally {
      await pool.close();
    }
  }, 30000);
});
