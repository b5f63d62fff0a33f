import { ReturnCode } from '@vm/protocol';
import { VMQueryPool } from '@vm/driver';
import { callInput, FakeBlockchainHook, wat } from '@vm/testkit';
import { testGasScheduleMap } from '@vm/testkit/host';

const GET_FIVE = `(module (import "env" "int64finish" (func $f (param i64))) (memory (export "memory") 1)
  (func (export "get") (call $f (i64.const 5))))`;

const query = (sc: Uint8Array) => callInput(sc, 'get', { CallerAddr: Buffer.alloc(32, 1), GasProvided: 100000n });

describe('[@vm/driver] a pool of VM processes for read-only queries', () => {
  it('runs queries on separate processes at the same time', async () => {
    // Each query waits in the node's hook until both queries are there: one process at a time would never get
    // the second one (and time out); two processes answer both.
    const hook = new FakeBlockchainHook();
    const sc = Buffer.alloc(32, 7);
    hook.setAccount(sc, { code: await wat(GET_FIVE) });
    const answer = hook.getUserAccount.bind(hook);
    const waiting: (() => void)[] = [];
    let together = false;
    hook.getUserAccount = (address) => {
      if (together) return answer(address);
      return new Promise((resolve) => {
        waiting.push(() => resolve(answer(address)));
        if (waiting.length === 2) {
          together = true;
          for (const release of waiting) release();
        }
      }) as never;
    };
    const pool = new VMQueryPool(2, { blockchainHook: hook, gasSchedule: testGasScheduleMap(), maxLoopTimeMs: 30000 });
    try {
      const outputs = await Promise.all([pool.query(query(sc)), pool.query(query(sc))]);
      expect(outputs.map((o) => o.ReturnCode)).toEqual([ReturnCode.Ok, ReturnCode.Ok]);
      expect(together).toBe(true);
    } finally {
      await pool.close();
    }
  }, 60000);

  it('answers contract queries', async () => {
    const hook = new FakeBlockchainHook();
    const sc = Buffer.alloc(32, 7);
    hook.setAccount(sc, { code: await wat(GET_FIVE) });
    const pool = new VMQueryPool(2, { blockchainHook: hook, gasSchedule: testGasScheduleMap(), maxLoopTimeMs: 30_000 });
    const input = query(sc);
    try {
      const outputs = await Promise.all(Array.from({ length: 6 }, () => pool.query(input)));
      expect(outputs.every((o) => o.ReturnCode === ReturnCode.Ok && o.ReturnData![0]![0] === 5)).toBe(true);
    } finally {
      await pool.close();
    }
  }, 30000);
});
