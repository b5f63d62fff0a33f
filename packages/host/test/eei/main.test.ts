import { createHash } from 'node:crypto';
import { ReturnCode } from '@vm/protocol';
import { wat, address, callInput, hex, text } from '@vm/testkit';
import { eeiImports, newHost, testSchedule } from '@vm/testkit/host';

const SC = address('eei');

/** The host functions the WAT contracts below import. */
const IMPORTS = eeiImports('env', {
  names: [
    'finish',
    'getArgument',
    'getNumArguments',
    'int64getArgument',
    'int64finish',
    'storageStore',
    'storageLoad',
    'int64storageStore',
    'int64storageLoad',
    'getCallValue',
    'getCaller',
    'signalError',
    'sha256',
    'keccak256',
    'bigIntNew',
    'bigIntMul',
    'bigIntAdd',
    'bigIntFinishSigned',
    'bigIntTDiv',
    'getBlockTimestamp',
    'getPrevBlockNonce',
    'writeLog',
    'getGasLeft',
  ],
});

async function contract(body: string, data = '') {
  return wat(`(module ${IMPORTS} (memory (export "memory") 1) (data (i32.const 0) "${data}") ${body})`);
}

async function run(
  body: string,
  { data = '', args = [] as Uint8Array[], value = 0n, gas = 1_000_000n, schedule = testSchedule() } = {},
) {
  const { hook, vm } = newHost(undefined, schedule);
  const code = await contract(`(func (export "run") ${body})`, data);
  hook.setAccount(SC, { code, balance: 0n });
  const out = vm.runSmartContractCall(callInput(SC, 'run', { Arguments: args, CallValue: value, GasProvided: gas }));
  return { out, code };
}

describe('[@vm/host] contract API (env)', () => {
  it('getArgument / getNumArguments / finish echo every argument', async () => {
    const { out } = await run(
      `(local $i i32) (local $n i32)
       (block $done (loop $l (br_if $done (i32.ge_u (local.get $i) (call $getNumArguments)))
         (local.set $n (call $getArgument (local.get $i) (i32.const 100)))
         (call $finish (i32.const 100) (local.get $n))
         (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))`,
      { args: [Buffer.from('hello'), Uint8Array.of(), Uint8Array.of(1, 2, 3)] },
    );
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(out.ReturnData!.map(hex)).toEqual([Buffer.from('hello').toString('hex'), '', '010203']);
  });

  it('getArgument of a missing argument returns -1 without failing', async () => {
    const { out } = await run(`(call $int64finish (i64.extend_i32_s (call $getArgument (i32.const 5) (i32.const 0))))`);
    expect(out.ReturnData!.map(hex)).toEqual(['ff']);
  });

  it.each([
    [0n, ''],
    [-1n, 'ff'],
    [128n, '0080'],
    [12345n, '3039'],
  ])('int64finish(%s) writes minimal two-complement bytes %s', async (value, expected) => {
    const { out } = await run(`(call $int64finish (i64.const ${value}))`);
    expect(out.ReturnData!.map(hex)).toEqual([expected]);
  });

  it('int64getArgument round-trips a signed argument and fails on one that does not fit', async () => {
    const ok = await run(`(call $int64finish (call $int64getArgument (i32.const 0)))`, {
      args: [Uint8Array.of(0x30, 0x39)],
    });
    expect(ok.out.ReturnData!.map(hex)).toEqual(['3039']);
    const tooBig = await run(`(call $int64finish (call $int64getArgument (i32.const 0)))`, {
      args: [Buffer.alloc(9, 1)],
    });
    expect(tooBig.out).toMatchObject({
      ReturnCode: ReturnCode.ExecutionFailed,
      ReturnMessage: 'argument out of range',
      GasRemaining: 0n,
    });
    const missing = await run(`(call $int64finish (call $int64getArgument (i32.const 3)))`);
    expect(missing.out.ReturnMessage).toBe('argument index out of range');
  });

  it('storage statuses: added, unchanged, modified, deleted; the update lands in the output', async () => {
    const { out } = await run(
      `(call $int64finish (i64.extend_i32_s (call $storageStore (i32.const 0) (i32.const 3) (i32.const 3) (i32.const 2))))
       (call $int64finish (i64.extend_i32_s (call $storageStore (i32.const 0) (i32.const 3) (i32.const 3) (i32.const 2))))
       (call $int64finish (i64.extend_i32_s (call $storageStore (i32.const 0) (i32.const 3) (i32.const 3) (i32.const 3))))
       (call $int64finish (i64.extend_i32_s (call $storageStore (i32.const 0) (i32.const 3) (i32.const 3) (i32.const 0))))`,
      { data: 'keyabc' },
    );
    expect(out.ReturnData!.map(hex)).toEqual(['02', '', '01', '03']);
    expect(out.OutputAccounts![0].StorageUpdates!.map((u) => [text(u.Offset), hex(u.Data)])).toEqual([['key', '']]);
  });

  it('writing under the protected prefix fails the execution with the reference message', async () => {
    const { out } = await run(`(drop (call $storageStore (i32.const 0) (i32.const 10) (i32.const 0) (i32.const 1)))`, {
      data: 'KALYAN3104',
    });
    expect(out).toMatchObject({
      ReturnCode: ReturnCode.ExecutionFailed,
      ReturnMessage: 'cannot write to storage under Kalyan3104 reserved key',
    });
  });

  it('int64 storage stores the magnitude and loads it back', async () => {
    const { out } = await run(
      `(drop (call $int64storageStore (i32.const 0) (i32.const 1) (i64.const 1001)))
       (call $int64finish (call $int64storageLoad (i32.const 0) (i32.const 1)))`,
      { data: 'k' },
    );
    expect(out.ReturnData!.map(hex)).toEqual(['03e9']);
  });

  it('getCallValue writes nothing and returns 0 for a zero value, 32 padded bytes otherwise', async () => {
    const zero = await run(`(call $int64finish (i64.extend_i32_s (call $getCallValue (i32.const 0))))`);
    expect(zero.out.ReturnData!.map(hex)).toEqual(['']);
    const some = await run(`(drop (call $getCallValue (i32.const 0))) (call $finish (i32.const 0) (i32.const 32))`, {
      value: 258n,
    });
    expect(some.out.ReturnData!.map(hex)).toEqual(['00'.repeat(30) + '0102']);
  });

  it('sha256 and keccak256 (legacy Keccak) of "abc"', async () => {
    const { out } = await run(
      `(drop (call $sha256 (i32.const 0) (i32.const 3) (i32.const 100))) (call $finish (i32.const 100) (i32.const 32))
       (drop (call $keccak256 (i32.const 0) (i32.const 3) (i32.const 200))) (call $finish (i32.const 200) (i32.const 32))`,
      { data: 'abc' },
    );
    expect(out.ReturnData!.map(hex)).toEqual([
      createHash('sha256').update('abc').digest('hex'),
      '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
    ]);
  });

  it('big integers: 2^40 * 2^40 + 1, and division by zero fails', async () => {
    const { out } = await run(
      `(local $a i32) (local.set $a (call $bigIntNew (i64.const 1099511627776)))
       (call $bigIntMul (local.get $a) (local.get $a) (local.get $a))
       (call $bigIntAdd (local.get $a) (local.get $a) (call $bigIntNew (i64.const 1)))
       (call $bigIntFinishSigned (local.get $a))`,
    );
    expect(out.ReturnData!.map(hex)).toEqual(['0100000000000000000001']);
    const div = await run(
      `(call $bigIntTDiv (i32.const 0) (call $bigIntNew (i64.const 5)) (call $bigIntNew (i64.const 0)))`,
    );
    expect(div.out).toMatchObject({ ReturnCode: ReturnCode.ExecutionFailed, ReturnMessage: 'division by 0' });
  });

  it('signalError stops with UserError and the contract message; nothing after it runs', async () => {
    const { out } = await run(
      `(call $signalError (i32.const 0) (i32.const 4)) (call $finish (i32.const 0) (i32.const 4))`,
      { data: 'oops' },
    );
    expect(out).toMatchObject({
      ReturnCode: ReturnCode.UserError,
      ReturnMessage: 'oops',
      ReturnData: null,
      GasRemaining: 0n,
    });
  });

  it('block info comes from the hook (previous-block getters too)', async () => {
    const { out } = await run(
      `(call $int64finish (call $getBlockTimestamp)) (call $int64finish (call $getPrevBlockNonce))`,
    );
    expect(out.ReturnData!.map(hex)).toEqual(['03e8', '06']);
  });

  it('writeLog: the first topic is the identifier', async () => {
    const topics = 'a'.repeat(32) + 'b'.repeat(32);
    const { out } = await run(`(call $writeLog (i32.const 64) (i32.const 4) (i32.const 0) (i32.const 2))`, {
      data: topics + 'data',
    });
    expect(out.Logs).toEqual(
      [
        {
          Identifier: Buffer.from('a'.repeat(32)),
          Address: SC,
          Topics: [Buffer.from('b'.repeat(32))],
          Data: Buffer.from('data'),
        },
      ].map((l) => ({
        ...l,
        Identifier: new Uint8Array(l.Identifier),
        Address: new Uint8Array(l.Address),
        Topics: l.Topics.map((t) => new Uint8Array(t)),
        Data: new Uint8Array(l.Data),
      })),
    );
  });

  it('a read past the end of memory fails with "mem load: bad bounds"', async () => {
    const { out } = await run(`(call $finish (i32.const 70000) (i32.const 4))`);
    expect(out).toMatchObject({ ReturnCode: ReturnCode.ExecutionFailed, ReturnMessage: 'mem load: bad bounds' });
  });

  it('charges each host function its key plus per-byte costs, and opcodes their own costs', async () => {
    // finish(5 bytes) = Finish + PersistPerByte*5; the function body: i32.const, i32.const, call, end.
    const schedule = testSchedule({
      Kalyan3104APICost: { Finish: 1000n },
      BaseOperationCost: { PersistPerByte: 10n },
      WASMOpcodeCost: { I32Const: 3n, Call: 7n, End: 11n },
    });
    const { out, code } = await run(`(call $finish (i32.const 0) (i32.const 5))`, {
      data: 'hello',
      schedule,
      gas: 100_000n,
    });
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(out.GasRemaining).toBe(100_000n - BigInt(code.length) - (1000n + 50n) - (3n + 3n + 7n + 11n));
  });

  it('getGasLeft sees gas used so far', async () => {
    const schedule = testSchedule({ WASMOpcodeCost: { Call: 100n } });
    const { out, code } = await run(`(call $int64finish (call $getGasLeft))`, { schedule, gas: 10_000n });
    // Before the call to getGasLeft: its call opcode (100) is flushed; then GetGasLeft (1) is charged.
    const left = 10_000n - BigInt(code.length) - 100n - 1n;
    expect(BigInt(`0x${hex(out.ReturnData![0])}`)).toBe(left);
  });
});
