import { createHash } from 'node:crypto';
import {
  DEFAULT_MAX_OUTPUT_BYTES,
  ErrorCode,
  MarshalizerKind,
  MIN_FRAME_SIZE,
  ReturnCode,
  type VMOutput,
} from '@vm/protocol';
import { VMDriver, DriverError } from '@vm/driver';
import { VMHost } from '@vm/host';
import { callInput, EMITTER_WAT, FakeBlockchainHook, wat, rejection } from '@vm/testkit';
import { testGasScheduleMap } from '@vm/testkit/host';

const SC = Buffer.from('emitter'.padEnd(32, '_'));
const u64 = (n: number) => Buffer.from(BigInt(n).toString(16).padStart(16, '0'), 'hex');
const call = (fn: string, args: Uint8Array[]) =>
  callInput(SC, fn, { CallerAddr: Buffer.alloc(32, 1), Arguments: args, GasProvided: 10n ** 9n });

/** The output with its return data as digests: jest compares megabytes of bytes one element at a time. */
const comparable = (output: VMOutput) => ({
  ...output,
  ReturnData: output.ReturnData?.map((data) => data && createHash('sha256').update(data).digest('hex')) ?? null,
});

let code: Uint8Array;
beforeAll(async () => {
  code = await wat(EMITTER_WAT);
});

describe.each([MarshalizerKind.Binary, MarshalizerKind.JSON])(
  '[@vm/driver] outputs near the frame limit, identical in process and through the stack (marshalizer %s)',
  (marshalizer) => {
    it.each([
      ['the largest output the bound allows', DEFAULT_MAX_OUTPUT_BYTES - 2048, ReturnCode.Ok],
      ['a 20 MiB finish', 20 * 1024 * 1024, ReturnCode.ExecutionFailed],
    ])(
      '%s: the same VMOutput, the child keeps running',
      async (_, length, returnCode) => {
        const hook = new FakeBlockchainHook().setAccount(SC, { code });
        const input = call('finishN', [u64(length), u64(1)]);
        const inProcess = new VMHost({ blockchainHook: hook, gasSchedule: testGasScheduleMap() }).runSmartContractCall(
          input,
        );
        expect(inProcess.ReturnCode).toBe(returnCode);
        const driver = new VMDriver({
          blockchainHook: hook,
          gasSchedule: testGasScheduleMap(),
          messagesMarshalizer: marshalizer,
        });
        try {
          await driver.diagnoseWait(0);
          const pid = driver.pid;
          expect(comparable(await driver.runSmartContractCall(input))).toEqual(comparable(inProcess));
          expect(driver.pid).toBe(pid);
          expect(driver.stats).toMatchObject({ starts: 1, crashes: 0, protocolErrors: 0 });
        } finally {
          await driver.dispose();
        }
      },
      60000,
    );
  },
);

describe('[@vm/driver] messages over the frame limit are refused before they are written', () => {
  it('a request too large for a frame: MessageTooLarge, not critical, the child keeps running, no crash counted', async () => {
    const hook = new FakeBlockchainHook().setAccount(SC, { code });
    const driver = new VMDriver({
      blockchainHook: hook,
      gasSchedule: testGasScheduleMap(),
      maxFrameSize: MIN_FRAME_SIZE,
      restartPolicy: { maxCrashes: 1, windowMs: 60_000 },
    });
    try {
      await driver.diagnoseWait(0);
      const pid = driver.pid;
      const huge = call(
        'finishN',
        Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024)),
      );
      for (let i = 0; i < 7; i++) {
        const error = await rejection(driver.runSmartContractCall(huge));
        expect(error.code).toBe(ErrorCode.MessageTooLarge.code);
        expect(error.critical).toBe(false);
        expect(error.message).toMatch(/ContractCallRequest.*limit 1048576/);
      }
      const ok = await driver.runSmartContractCall(call('finishN', [u64(3), u64(2)]));
      expect(ok.ReturnCode).toBe(ReturnCode.Ok);
      expect(driver.pid).toBe(pid);
      expect(driver.stats).toMatchObject({ requests: 9, starts: 1, refusals: 7, crashes: 0 });
    } finally {
      await driver.dispose();
    }
  }, 60000);

  it('a hook answer too large for a frame (a 2 MiB code): HookFailed, the child keeps running', async () => {
    const hook = new FakeBlockchainHook().setAccount(SC, { code: Buffer.alloc(2 * 1024 * 1024) });
    const driver = new VMDriver({
      blockchainHook: hook,
      gasSchedule: testGasScheduleMap(),
      maxFrameSize: MIN_FRAME_SIZE,
    });
    try {
      await driver.diagnoseWait(0);
      const pid = driver.pid;
      const error = await rejection(driver.runSmartContractCall(call('finishN', [u64(1), u64(1)])));
      expect(error.code).toBe(ErrorCode.HookFailed.code);
      expect(error.message).toMatch(/getUserAccount: .*limit 1048576/);
      hook.setAccount(SC, { code });
      expect((await driver.runSmartContractCall(call('finishN', [u64(1), u64(1)]))).ReturnCode).toBe(ReturnCode.Ok);
      expect(driver.pid).toBe(pid);
      expect(driver.stats).toMatchObject({ hookFailures: 1, crashes: 0, starts: 1 });
    } finally {
      await driver.dispose();
    }
  }, 60000);

  it.each([0, MIN_FRAME_SIZE - 1, 1.5 * MIN_FRAME_SIZE + 0.5, 2 ** 32])(
    'maxFrameSize %s is refused',
    (maxFrameSize) => {
      expect(
        () =>
          new VMDriver({ blockchainHook: new FakeBlockchainHook(), gasSchedule: testGasScheduleMap(), maxFrameSize }),
      ).toThrow(expect.objectContaining({ code: DriverError.InvalidOptions.code }));
    },
  );
});

describe('[@vm/driver] the crash-loop breaker counts only crashes of the VM process', () => {
  it('timeouts are kills of the driver, counted apart; a SIGKILL of the child is a crash', async () => {
    const hook = new FakeBlockchainHook().setAccount(SC, { code });
    const driver = new VMDriver({
      blockchainHook: hook,
      gasSchedule: testGasScheduleMap(),
      maxLoopTimeMs: 10_000, // each request includes a fresh child's start-up: generous for a loaded machine
      restartPolicy: { maxCrashes: 0, windowMs: 600_000 },
    });
    try {
      const answer = hook.getUserAccount.bind(hook);
      hook.getUserAccount = () => new Promise(() => undefined) as never; // the node never answers
      for (let i = 0; i < 2; i++)
        expect((await rejection(driver.runSmartContractCall(call('finishN', [u64(1), u64(1)])))).code).toBe(
          ErrorCode.Timeout.code,
        );
      hook.getUserAccount = answer;
      expect((await driver.runSmartContractCall(call('finishN', [u64(1), u64(1)]))).ReturnCode).toBe(ReturnCode.Ok);
      expect(driver.stats).toMatchObject({ starts: 3, timeouts: 2, crashes: 0 });

      process.kill(driver.pid!, 'SIGKILL');
      while (!driver.isClosed()) await new Promise((resolve) => setTimeout(resolve, 10));
      expect((await rejection(driver.runSmartContractCall(call('finishN', [u64(1), u64(1)])))).code).toBe(
        DriverError.ArwenCrashLoop.code,
      );
      expect(driver.stats).toMatchObject({ crashes: 1, timeouts: 2 });
    } finally {
      await driver.dispose();
    }
  }, 60000);
});
