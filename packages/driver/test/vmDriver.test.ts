import path from 'node:path';
import { ErrorCode, MarshalizerKind, ReturnCode } from '@vm/protocol';
import { VMDriver, DriverError, locateArwen } from '@vm/driver';
import { callInput, FakeBlockchainHook, describeWithConformance, referenceContract, rejection } from '@vm/testkit';
import { testGasScheduleMap } from '@vm/testkit/host';

const FAKE = path.join(__dirname, 'fixtures', 'fakeArwen.js');
const COUNTER = Buffer.from('counter'.padEnd(32, '_'));
const input = (fn: string) => callInput(COUNTER, fn, { CallerAddr: Buffer.alloc(32, 1), GasProvided: 100000n });

function driver(options: Partial<ConstructorParameters<typeof VMDriver>[0]> = {}) {
  const hook = new FakeBlockchainHook();
  return {
    hook,
    // A request's budget includes a fresh child's start-up: generous, for a loaded machine. Tests of the
    // timeout itself set a short one (a slow start then only makes the timeout come sooner).
    driver: new VMDriver({
      blockchainHook: hook,
      gasSchedule: testGasScheduleMap(),
      maxLoopTimeMs: 30_000,
      ...options,
    }),
  };
}

describe('[@vm/driver] the arwen child process (reference IPC tests)', () => {
  it('DiagnoseWait(100) succeeds', async () => {
    const { driver: d } = driver();
    await d.diagnoseWait(100);
    expect(d.isClosed()).toBe(false);
    await d.close();
  }, 20000);

  it('DiagnoseWait(5000) with MaxLoopTime 1000: a critical "timeout" error, and the child is dead', async () => {
    const { driver: d } = driver({ maxLoopTimeMs: 1000 });
    const error = await rejection(d.diagnoseWait(5000));
    expect(error.code).toBe(ErrorCode.Timeout.code); // the node's deadline, not the VM's answer 5 s later
    expect(error.critical).toBe(true);
    expect(error.message).toContain('within 1000 ms');
    expect(d.isClosed()).toBe(true);
  }, 20000);

  describeWithConformance('with the reference counter contract', () => {
    it('deploys and calls counter.wasm through a real child; after close the next request restarts it', async () => {
      const { hook, driver: d } = driver();
      const code = referenceContract('counter');
      hook.setAccount(COUNTER, { code });
      const deployed = await d.runSmartContractCreate({
        ...input(''),
        ContractCode: code,
        ContractCodeMetadata: Uint8Array.of(1, 0),
      });
      expect(deployed.ReturnCode).toBe(ReturnCode.Ok);
      const called = await d.runSmartContractCall(input('increment'));
      expect(called.ReturnCode).toBe(ReturnCode.Ok);
      expect(d.isClosed()).toBe(false);
      await d.close();
      expect(d.isClosed()).toBe(true);
      expect(
        (
          await d.runSmartContractCreate({
            ...input(''),
            ContractCode: code,
            ContractCodeMetadata: Uint8Array.of(1, 0),
          })
        ).ReturnCode,
      ).toBe(ReturnCode.Ok);
      expect(d.isClosed()).toBe(false);
      await d.close();
    }, 30000);

    it('busy polling on (the default) or off, binary (the default) or JSON messages: the same outputs', async () => {
      const outputs = [];
      for (const options of [{}, { busyPollMicros: 0 }, { messagesMarshalizer: MarshalizerKind.JSON }]) {
        const { hook, driver: d } = driver(options);
        const code = referenceContract('counter');
        hook.setAccount(COUNTER, { code });
        const deployed = await d.runSmartContractCreate({
          ...input(''),
          ContractCode: code,
          ContractCodeMetadata: Uint8Array.of(1, 0),
        });
        outputs.push([
          deployed,
          await d.runSmartContractCall(input('increment')),
          await d.runSmartContractCall(input('get')),
        ]);
        await d.close();
      }
      expect(outputs[0][2].ReturnCode).toBe(ReturnCode.Ok);
      expect(outputs[1]).toEqual(outputs[0]);
      expect(outputs[2]).toEqual(outputs[0]);
    }, 30000);

    it('a marshalizer the VM does not speak is refused before anything starts', () => {
      expect(() => driver({ messagesMarshalizer: MarshalizerKind.Gob })).toThrow(
        /unsupported marshalizer: messagesMarshalizer: gob/,
      );
    });

    it('a missing contract is a VMOutput (ContractNotFound), not an IPC error', async () => {
      const { driver: d } = driver();
      expect(await d.runSmartContractCall(input('increment'))).toMatchObject({
        ReturnCode: ReturnCode.ContractNotFound,
      });
      await d.close();
    }, 20000);

    it('kill -9 in the middle of a request: a typed error at once, and the next request is served', async () => {
      const { hook, driver: d } = driver();
      hook.setAccount(COUNTER, { code: referenceContract('counter') });
      await d.diagnoseWait(1);
      const pending = d.diagnoseWait(3000);
      setTimeout(() => process.kill(d.pid!, 'SIGKILL'), 200);
      const error = await rejection(pending);
      // noticed through the exit (ArwenExited), not the 30 s deadline (Timeout)
      expect(error.code).toBe(DriverError.ArwenExited.code);
      expect(error.message).toContain('SIGKILL');
      expect((await d.runSmartContractCall(input('increment'))).ReturnCode).toBe(ReturnCode.Ok);
      await d.close();
    }, 30000);

    it('a hook implementation that never resolves: Timeout at MaxLoopTime, the child killed', async () => {
      const { hook, driver: d } = driver({ maxLoopTimeMs: 500 });
      hook.getUserAccount = () => new Promise(() => undefined) as never;
      const error = await rejection(d.runSmartContractCall(input('increment')));
      expect(error.code).toBe(ErrorCode.Timeout.code);
      expect(d.isClosed()).toBe(true);
    }, 20000);

    it('concurrent requests are queued, never interleaved', async () => {
      const { hook, driver: d } = driver();
      hook.setAccount(COUNTER, { code: referenceContract('counter') });
      const results = await Promise.all(Array.from({ length: 20 }, () => d.runSmartContractCall(input('increment'))));
      expect(results.every((r) => r.ReturnCode === ReturnCode.Ok)).toBe(true);
      await d.close();
    }, 30000);
  });
});

describe('[@vm/driver] misbehaving children', () => {
  it.each([
    ['garbage frames', 'garbage', ErrorCode.UnknownKind.code],
    ['an oversized frame', 'oversized', ErrorCode.FrameTooLarge.code],
  ])(
    '%s from the child: a typed critical error',
    async (_name, mode, code) => {
      const { driver: d } = driver({ arwenPath: FAKE, capabilities: [], env: { FAKE_ARWEN: mode } });
      const error = await rejection(d.diagnoseWait(10));
      expect(error.code).toBe(code);
      expect(error.critical).toBe(true);
      expect(d.isClosed()).toBe(true);
    },
    20000,
  );

  it("the VM's own error in a DiagnoseWait answer: ArwenPanic with its text, not critical, the child stays", async () => {
    const { driver: d } = driver({ arwenPath: FAKE, capabilities: [], env: { FAKE_ARWEN: 'diagnose-error' } });
    try {
      const error = await rejection(d.diagnoseWait(10));
      expect(error.code).toBe(DriverError.ArwenPanic.code);
      expect(error.message).toContain('fake arwen: cannot wait');
      expect(error.critical).toBe(false);
      expect(d.isClosed()).toBe(false);
    } finally {
      await d.dispose();
    }
  }, 20000);

  it('a child that exits during startup: ArwenExited with its stderr, quickly', async () => {
    const { driver: d } = driver({ arwenPath: FAKE, capabilities: [], env: { FAKE_ARWEN: 'exit' } });
    const error = await rejection(d.diagnoseWait(10));
    expect(error.code).toBe(DriverError.ArwenExited.code); // noticed through the exit, not the 30 s deadline
  }, 20000);

  it('a child that keeps crashing is not restarted past the crash-loop limit', async () => {
    const { driver: d } = driver({
      arwenPath: FAKE,
      capabilities: [],
      env: { FAKE_ARWEN: 'exit' },
      restartPolicy: { maxCrashes: 2, windowMs: 60000 },
    });
    for (let i = 0; i < 3; i++) await rejection(d.diagnoseWait(10));
    expect((await rejection(d.diagnoseWait(10))).code).toBe(DriverError.ArwenCrashLoop.code);
  }, 30000);

  it('a missing executable: ArwenNotFound naming what was tried and how to fix it', () => {
    expect(() => locateArwen('/no/such/arwen')).toThrow(
      /arwen binary not found: tried option: \/no\/such\/arwen\. Install @vm\/host .* or point the arwenPath option or ARWEN_PATH/,
    );
  });
});
