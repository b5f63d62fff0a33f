import { DEFAULT_MAX_OUTPUT_BYTES, ReturnCode, type VMOutput } from '@vm/protocol';
import { VMHost, outputSize } from '@vm/host';
import { EMITTER_WAT, FakeBlockchainHook, wat, address, callInput } from '@vm/testkit';
import { testSchedule } from '@vm/testkit/host';

const SC = address('emitter');
const u64 = (n: number) => Buffer.from(BigInt(n).toString(16).padStart(16, '0'), 'hex');

describe('[@vm/host] the output bound: a VMOutput always fits in a frame', () => {
  let code: Uint8Array;
  beforeAll(async () => {
    code = await wat(EMITTER_WAT);
  });

  function run(fn: string, args: number[], maxOutputBytes?: number, gas = 10n ** 9n): VMOutput {
    const hook = new FakeBlockchainHook().setAccount(SC, { code });
    const vm = new VMHost({ blockchainHook: hook, gasSchedule: testSchedule(), maxOutputBytes });
    return vm.runSmartContractCall(callInput(SC, fn, { Arguments: args.map(u64), GasProvided: gas }));
  }

  function expectTooLarge(output: VMOutput, limit: number) {
    expect(output.ReturnCode).toBe(ReturnCode.ExecutionFailed);
    expect(output.ReturnMessage).toMatch(
      new RegExp(`^execution failed \\(output too large: \\d+ bytes, limit ${limit}\\)$`),
    );
    expect(output.GasRemaining).toBe(0n);
    expect(output.ReturnData).toBeNull();
    expect(output.OutputAccounts).toBeNull();
  }

  it.each([
    ['finishN', 'return data'],
    ['logN', 'logs'],
    ['storeN', 'storage updates'],
  ])('%s: within the bound Ok; over it ExecutionFailed with no output (%s)', (fn) => {
    expect(run(fn, [100, 10], 10_000).ReturnCode).toBe(ReturnCode.Ok);
    expectTooLarge(run(fn, [1000, 20], 10_000), 10_000);
  });

  it('a signalError message counts too (at its worst JSON escape)', () => {
    expect(run('failWith', [1000], 10_000).ReturnCode).toBe(ReturnCode.UserError);
    expectTooLarge(run('failWith', [5000], 10_000), 10_000);
  });

  it('the bound is exactly outputSize: an output of size N passes with limit N and fails with N - 1', () => {
    const ok = run('finishN', [300, 7]);
    const size = outputSize(ok);
    expect(run('finishN', [300, 7], size)).toEqual(ok);
    expectTooLarge(run('finishN', [300, 7], size - 1), size - 1);
  });

  it('the default bound (16 MiB less 64 KiB) refuses a 20 MiB finish that a contract can afford', () => {
    expect(DEFAULT_MAX_OUTPUT_BYTES).toBe(16 * 1024 * 1024 - 64 * 1024);
    expectTooLarge(run('finishN', [20 * 1024 * 1024, 1]), DEFAULT_MAX_OUTPUT_BYTES);
    expect(run('finishN', [1024 * 1024, 15]).ReturnCode).toBe(ReturnCode.Ok);
  });

  it('a bad bound is refused when the host is built', () => {
    expect(
      () => new VMHost({ blockchainHook: new FakeBlockchainHook(), gasSchedule: testSchedule(), maxOutputBytes: 0 }),
    ).toThrow(/maxOutputBytes/);
  });
});
