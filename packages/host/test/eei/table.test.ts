import { ReturnCode, type VMOutput } from '@vm/protocol';
import { EEI_ROWS, type GasKey } from '@vm/host';
import { FakeBlockchainHook, wat, address, callInput, hex, CALLER } from '@vm/testkit';
import { eeiImports, newHost, testSchedule } from '@vm/testkit/host';

// Every host function of `env`, table-driven: a contract body using it, the output it must produce, and the gas
// key it must charge (checked by raising that key's cost by 1000 and measuring the difference).
const SC = address('eei-table');
const OWNER = address('owner');
const OTHER = Buffer.alloc(32, 0x6f); // "ooo…", at memory offset 0

/** Imports for every row, named $<row name>. */
const IMPORTS = eeiImports('env');

// Memory: 0 OTHER's address, 32 the 32-byte value 7, 64 "key", 70 "func@01", 80 0xff, 100.. scratch.
const DATA = `(data (i32.const 0) "${'o'.repeat(32)}") (data (i32.const 63) "\\07") (data (i32.const 64) "key") (data (i32.const 70) "func@01") (data (i32.const 80) "\\ff")`;

const i64out = (expr: string) => `(call $int64finish ${expr})`;
const i32out = (expr: string) => `(call $int64finish (i64.extend_i32_s ${expr}))`;
const bytesOut = (setup: string, length: number) => `${setup} (call $finish (i32.const 100) (i32.const ${length}))`;
const big = (value: bigint) => `(call $bigIntNew (i64.const ${value}))`;
const finishSigned = (handleExpr: string) => `(call $bigIntFinishSigned ${handleExpr})`;

interface Case {
  fn: string;
  body: string;
  out: string[];
  /** Gas keys and how many times the body charges each (default: the row's key, once). */
  charges?: [GasKey, number][];
  args?: Uint8Array[];
  value?: bigint;
}

const hexOf = (text: string) => Buffer.from(text).toString('hex');

const CASES: Case[] = [
  { fn: 'getSCAddress', body: bytesOut('(call $getSCAddress (i32.const 100))', 32), out: [hex(SC)!] },
  { fn: 'getOwnerAddress', body: bytesOut('(call $getOwnerAddress (i32.const 100))', 32), out: [hex(OWNER)!] },
  { fn: 'getShardOfAddress', body: i32out('(call $getShardOfAddress (i32.const 0))'), out: [''] },
  { fn: 'isSmartContract', body: i32out('(call $isSmartContract (i32.const 0))'), out: [''] },
  {
    fn: 'getExternalBalance',
    body: bytesOut('(call $getExternalBalance (i32.const 0) (i32.const 100))', 1),
    out: ['32'],
  },
  {
    fn: 'getBlockHash',
    body: `${i32out('(call $getBlockHash (i64.const 3) (i32.const 100))')} (call $finish (i32.const 100) (i32.const 2))`,
    out: ['', '0303'],
  },
  {
    fn: 'transferValue',
    body: i32out('(call $transferValue (i32.const 0) (i32.const 32) (i32.const 64) (i32.const 3))'),
    out: [''],
  },
  {
    fn: 'getArgumentLength',
    body: i32out('(call $getArgumentLength (i32.const 0))'),
    out: ['05'],
    args: [Buffer.from('hello')],
  },
  {
    fn: 'getArgument',
    body: bytesOut('(drop (call $getArgument (i32.const 0) (i32.const 100)))', 5),
    out: [hexOf('hello')],
    args: [Buffer.from('hello')],
  },
  { fn: 'getFunction', body: bytesOut('(drop (call $getFunction (i32.const 100)))', 3), out: [hexOf('run')] },
  {
    fn: 'getNumArguments',
    body: i32out('(call $getNumArguments)'),
    out: ['02'],
    args: [Uint8Array.of(1), Uint8Array.of(2)],
  },
  {
    fn: 'storageStore',
    body: i32out('(call $storageStore (i32.const 64) (i32.const 3) (i32.const 70) (i32.const 4))'),
    out: ['01'],
  },
  { fn: 'storageLoadLength', body: i32out('(call $storageLoadLength (i32.const 64) (i32.const 3))'), out: ['03'] },
  {
    fn: 'storageLoad',
    body: bytesOut('(drop (call $storageLoad (i32.const 64) (i32.const 3) (i32.const 100)))', 3),
    out: [hexOf('val')],
  },
  {
    fn: 'setStorageLock',
    body: i32out('(call $setStorageLock (i32.const 64) (i32.const 3) (i64.const 86400))'),
    out: ['02'],
  },
  {
    fn: 'getStorageLock',
    body: `(drop (call $setStorageLock (i32.const 64) (i32.const 3) (i64.const 86400))) ${i64out('(call $getStorageLock (i32.const 64) (i32.const 3))')}`,
    out: ['015180'],
    charges: [['Kalyan3104APICost.StorageLoad', 1]],
  },
  {
    fn: 'isStorageLocked',
    body: `(drop (call $setStorageLock (i32.const 64) (i32.const 3) (i64.const 86400))) ${i32out('(call $isStorageLocked (i32.const 64) (i32.const 3))')}`,
    out: ['01'],
    charges: [
      ['Kalyan3104APICost.StorageLoad', 1],
      ['Kalyan3104APICost.GetBlockTimeStamp', 1],
    ],
  },
  {
    fn: 'clearStorageLock',
    body: `(drop (call $setStorageLock (i32.const 64) (i32.const 3) (i64.const 5))) ${i32out('(call $clearStorageLock (i32.const 64) (i32.const 3))')}`,
    out: ['03'],
    charges: [['Kalyan3104APICost.Int64StorageStore', 2]],
  },
  { fn: 'getCaller', body: bytesOut('(call $getCaller (i32.const 100))', 32), out: [hex(CALLER)!] },
  {
    fn: 'getCallValue',
    body: bytesOut('(drop (call $getCallValue (i32.const 100)))', 32),
    out: ['00'.repeat(31) + '09'],
    value: 9n,
  },
  { fn: 'writeLog', body: '(call $writeLog (i32.const 64) (i32.const 3) (i32.const 0) (i32.const 1))', out: [] },
  { fn: 'finish', body: '(call $finish (i32.const 64) (i32.const 3))', out: [hexOf('key')] },
  { fn: 'getBlockTimestamp', body: i64out('(call $getBlockTimestamp)'), out: ['03e8'] },
  { fn: 'getBlockNonce', body: i64out('(call $getBlockNonce)'), out: ['07'] },
  { fn: 'getBlockRound', body: i64out('(call $getBlockRound)'), out: ['08'] },
  { fn: 'getBlockEpoch', body: i64out('(call $getBlockEpoch)'), out: ['02'] },
  { fn: 'getBlockRandomSeed', body: bytesOut('(call $getBlockRandomSeed (i32.const 100))', 2), out: ['0303'] },
  { fn: 'getStateRootHash', body: bytesOut('(call $getStateRootHash (i32.const 100))', 2), out: ['0909'] },
  {
    fn: 'getPrevBlockTimestamp',
    body: i64out('(call $getPrevBlockTimestamp)'),
    out: ['0384'],
    charges: [['Kalyan3104APICost.GetBlockTimeStamp', 1]],
  },
  {
    fn: 'getPrevBlockNonce',
    body: i64out('(call $getPrevBlockNonce)'),
    out: ['06'],
    charges: [['Kalyan3104APICost.GetBlockNonce', 1]],
  },
  {
    fn: 'getPrevBlockRound',
    body: i64out('(call $getPrevBlockRound)'),
    out: ['07'],
    charges: [['Kalyan3104APICost.GetBlockRound', 1]],
  },
  {
    fn: 'getPrevBlockEpoch',
    body: i64out('(call $getPrevBlockEpoch)'),
    out: ['01'],
    charges: [['Kalyan3104APICost.GetBlockEpoch', 1]],
  },
  {
    fn: 'getPrevBlockRandomSeed',
    body: bytesOut('(call $getPrevBlockRandomSeed (i32.const 100))', 2),
    out: ['0404'],
    charges: [['Kalyan3104APICost.GetBlockRandomSeed', 1]],
  },
  {
    fn: 'getNumReturnData',
    body: `(call $finish (i32.const 64) (i32.const 3)) ${i32out('(call $getNumReturnData)')}`,
    out: [hexOf('key'), '01'],
  },
  {
    fn: 'getReturnDataSize',
    body: `(call $finish (i32.const 64) (i32.const 3)) ${i32out('(call $getReturnDataSize (i32.const 0))')}`,
    out: [hexOf('key'), '03'],
  },
  {
    fn: 'getReturnData',
    body: `(call $finish (i32.const 64) (i32.const 3)) ${bytesOut('(drop (call $getReturnData (i32.const 0) (i32.const 100)))', 3)}`,
    out: [hexOf('key'), hexOf('key')],
  },
  {
    fn: 'int64getArgument',
    body: i64out('(call $int64getArgument (i32.const 0))'),
    out: ['ff'],
    args: [Uint8Array.of(0xff)],
  },
  {
    fn: 'int64storageStore',
    body: i32out('(call $int64storageStore (i32.const 64) (i32.const 3) (i64.const 300))'),
    out: ['01'],
  },
  {
    fn: 'int64storageLoad',
    body: i64out('(call $int64storageLoad (i32.const 64) (i32.const 3))'),
    out: [hexOf('val')],
  },
  { fn: 'int64finish', body: i64out('(i64.const -2)'), out: ['fe'] },
  { fn: 'getGasLeft', body: '(drop (call $getGasLeft))', out: [] },
  // big integers
  { fn: 'bigIntNew', body: finishSigned(big(-7n)), out: ['f9'] },
  { fn: 'bigIntUnsignedByteLength', body: i32out(`(call $bigIntUnsignedByteLength ${big(256n)})`), out: ['02'] },
  { fn: 'bigIntSignedByteLength', body: i32out(`(call $bigIntSignedByteLength ${big(128n)})`), out: ['02'] },
  {
    fn: 'bigIntGetUnsignedBytes',
    body: bytesOut(`(drop (call $bigIntGetUnsignedBytes ${big(-258n)} (i32.const 100)))`, 2),
    out: ['0102'],
  },
  {
    fn: 'bigIntGetSignedBytes',
    body: bytesOut(`(drop (call $bigIntGetSignedBytes ${big(-1n)} (i32.const 100)))`, 1),
    out: ['ff'],
  },
  {
    fn: 'bigIntSetUnsignedBytes',
    body: `(call $bigIntSetUnsignedBytes (i32.const 5) (i32.const 32) (i32.const 32)) ${finishSigned('(i32.const 5)')}`,
    out: ['07'],
  },
  {
    fn: 'bigIntSetSignedBytes',
    body: `(call $bigIntSetSignedBytes (i32.const 5) (i32.const 80) (i32.const 1)) ${finishSigned('(i32.const 5)')}`,
    out: ['ff'],
  },
  { fn: 'bigIntIsInt64', body: i32out(`(call $bigIntIsInt64 ${big(-5n)})`), out: ['01'] },
  { fn: 'bigIntGetInt64', body: i64out(`(call $bigIntGetInt64 ${big(-5n)})`), out: ['fb'] },
  {
    fn: 'bigIntSetInt64',
    body: `(call $bigIntSetInt64 (i32.const 5) (i64.const -3)) ${finishSigned('(i32.const 5)')}`,
    out: ['fd'],
    charges: [['BigIntAPICost.BigIntSub', 1]],
  },
  ...(
    [
      ['bigIntAdd', 5n, 7n, '0c'],
      ['bigIntSub', 5n, 7n, 'fe'],
      ['bigIntMul', -5n, 7n, 'dd'],
      ['bigIntTDiv', -7n, 2n, 'fd'],
      ['bigIntTMod', -7n, 3n, 'ff'],
      ['bigIntEDiv', -7n, 3n, 'fd'],
      ['bigIntEMod', -7n, 3n, '02'],
      ['bigIntAnd', 12n, 10n, '08'],
      ['bigIntOr', 12n, 10n, '0e'],
      ['bigIntXor', 12n, 10n, '06'],
    ] as const
  ).map(([fn, a, b, out]): Case => ({
    fn,
    body: `(call $${fn} (i32.const 9) ${big(a)} ${big(b)}) ${finishSigned('(i32.const 9)')}`,
    out: [out],
    charges: [
      [
        fn === 'bigIntMul'
          ? 'BigIntAPICost.BigIntMul'
          : fn === 'bigIntTDiv'
            ? 'BigIntAPICost.BigIntTDiv'
            : 'BigIntAPICost.BigIntSub',
        1,
      ],
    ],
  })),
  {
    fn: 'bigIntAbs',
    body: `(call $bigIntAbs (i32.const 9) ${big(-5n)}) ${finishSigned('(i32.const 9)')}`,
    out: ['05'],
    charges: [['BigIntAPICost.BigIntSub', 1]],
  },
  {
    fn: 'bigIntNeg',
    body: `(call $bigIntNeg (i32.const 9) ${big(5n)}) ${finishSigned('(i32.const 9)')}`,
    out: ['fb'],
    charges: [['BigIntAPICost.BigIntSub', 1]],
  },
  {
    fn: 'bigIntNot',
    body: `(call $bigIntNot (i32.const 9) ${big(5n)}) ${finishSigned('(i32.const 9)')}`,
    out: ['fa'],
    charges: [['BigIntAPICost.BigIntSub', 1]],
  },
  {
    fn: 'bigIntShr',
    body: `(call $bigIntShr (i32.const 9) ${big(256n)} (i32.const 4)) ${finishSigned('(i32.const 9)')}`,
    out: ['10'],
    charges: [['BigIntAPICost.BigIntSub', 1]],
  },
  {
    fn: 'bigIntShl',
    body: `(call $bigIntShl (i32.const 9) ${big(1n)} (i32.const 9)) ${finishSigned('(i32.const 9)')}`,
    out: ['0200'],
    charges: [['BigIntAPICost.BigIntSub', 1]],
  },
  { fn: 'bigIntSign', body: i32out(`(call $bigIntSign ${big(-5n)})`), out: ['ff'] },
  { fn: 'bigIntCmp', body: i32out(`(call $bigIntCmp ${big(5n)} ${big(7n)})`), out: ['ff'] },
  { fn: 'bigIntFinishUnsigned', body: `(call $bigIntFinishUnsigned ${big(-5n)})`, out: ['05'] },
  { fn: 'bigIntFinishSigned', body: finishSigned(big(-129n)), out: ['ff7f'] },
  {
    fn: 'bigIntStorageStoreUnsigned',
    body: i32out(`(call $bigIntStorageStoreUnsigned (i32.const 64) (i32.const 3) ${big(258n)})`),
    out: ['01'],
  },
  {
    fn: 'bigIntStorageLoadUnsigned',
    body: `(drop (call $bigIntStorageLoadUnsigned (i32.const 64) (i32.const 3) (i32.const 9))) (call $bigIntFinishUnsigned (i32.const 9))`,
    out: [hexOf('val')],
  },
  {
    fn: 'bigIntGetUnsignedArgument',
    body: `(call $bigIntGetUnsignedArgument (i32.const 0) (i32.const 9)) ${finishSigned('(i32.const 9)')}`,
    out: ['00ff'],
    args: [Uint8Array.of(0xff)],
  },
  {
    fn: 'bigIntGetSignedArgument',
    body: `(call $bigIntGetSignedArgument (i32.const 0) (i32.const 9)) ${finishSigned('(i32.const 9)')}`,
    out: ['ff'],
    args: [Uint8Array.of(0xff)],
  },
  {
    fn: 'bigIntGetCallValue',
    body: `(call $bigIntGetCallValue (i32.const 9)) ${finishSigned('(i32.const 9)')}`,
    out: ['09'],
    value: 9n,
  },
  {
    fn: 'bigIntGetExternalBalance',
    body: `(call $bigIntGetExternalBalance (i32.const 0) (i32.const 9)) ${finishSigned('(i32.const 9)')}`,
    out: ['32'],
  },
  {
    fn: 'sha256',
    body: bytesOut('(drop (call $sha256 (i32.const 64) (i32.const 3) (i32.const 100)))', 2),
    out: ['2c70'],
    charges: [['CryptoAPICost.SHA256', 1]],
  },
  {
    fn: 'keccak256',
    body: bytesOut('(drop (call $keccak256 (i32.const 64) (i32.const 3) (i32.const 100)))', 2),
    out: ['0785'],
    charges: [['CryptoAPICost.SHA256', 1]],
  },
];

async function runCase(
  c: Case,
  overrides: Record<string, Record<string, bigint>> = {},
): Promise<{ out: VMOutput; gasUsed: bigint }> {
  const hook = new FakeBlockchainHook();
  const code = await wat(`(module ${IMPORTS} (memory (export "memory") 1) ${DATA} (func (export "run") ${c.body}))`);
  hook.setAccount(SC, { code, balance: 1000n, owner: OWNER });
  hook.setAccount(OTHER, { balance: 50n });
  hook.setStorage(SC, Buffer.from('key'), Buffer.from('val'));
  const { vm } = newHost(hook, testSchedule(overrides));
  const out = vm.runSmartContractCall(
    callInput(SC, 'run', { Arguments: c.args ?? [], CallValue: c.value ?? 0n, GasProvided: 10_000_000n }),
  );
  return { out, gasUsed: 10_000_000n - out.GasRemaining };
}

const rowGas = (fn: string) => EEI_ROWS.find((r) => r.namespace === 'env' && r.name === fn)?.gas;

describe('[@vm/host] every env host function: result and gas key', () => {
  it('covers every env row', () => {
    const covered = new Set([...CASES.map((c) => c.fn), ...ASYNC_AND_NESTED]);
    expect(EEI_ROWS.filter((r) => r.namespace === 'env' && !covered.has(r.name)).map((r) => r.name)).toEqual([]);
  });

  it.each(CASES.map((c) => [c.fn, c] as const))('%s', async (_fn, c) => {
    const { out, gasUsed } = await runCase(c);
    expect(out.ReturnMessage).toBe('');
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(out.ReturnData!.map(hex)).toEqual(c.out);
    const charges = c.charges ?? [[rowGas(c.fn)!, 1]];
    for (const [key, times] of charges) {
      const [section, name] = key.split('.');
      const raised = await runCase(c, { [section]: { [name]: 1001n } });
      expect(raised.gasUsed - gasUsed).toBe(1000n * BigInt(times));
    }
  });
});

/** Exercised by their own tests (nested calls, async calls) rather than by this table. */
const ASYNC_AND_NESTED = [
  'asyncCall',
  'createAsyncCall',
  'setAsyncContextCallback',
  'executeOnDestContext',
  'executeOnSameContext',
  'delegateExecution',
  'executeReadOnly',
  'createContract',
  'signalError',
];

describe('[@vm/host] bounds errors of the shared memory helpers', () => {
  it.each([
    ['a read past the end', '(call $finish (i32.const 70000) (i32.const 1))', 'mem load: bad bounds'],
    ['a negative read offset', '(call $finish (i32.const -1) (i32.const 1))', 'mem load: bad bounds'],
    ['a negative read length', '(call $finish (i32.const 0) (i32.const -1))', 'mem load: negative length'],
    ['a write needing more than one extra page', '(call $getSCAddress (i32.const 200000))', 'bad bounds (upper)'],
    ['a negative write offset', '(call $getSCAddress (i32.const -5))', 'bad bounds (lower)'],
    [
      'a negative topic count',
      '(call $writeLog (i32.const 0) (i32.const 1) (i32.const 0) (i32.const -1))',
      'GuardedMakeByteSlice2D: negative length (-1)',
    ],
  ])('%s fails the execution with the reference message', async (_name, body, message) => {
    const { out } = await runCase({ fn: '', body, out: [] });
    expect(out).toMatchObject({ ReturnCode: ReturnCode.ExecutionFailed, ReturnMessage: message, GasRemaining: 0n });
  });

  it('a write just past the end grows memory by one page', async () => {
    const { out } = await runCase({
      fn: '',
      body: '(call $getSCAddress (i32.const 65530)) (call $finish (i32.const 65530) (i32.const 32))',
      out: [],
    });
    expect(out.ReturnData!.map(hex)).toEqual([hex(SC)]);
  });
});
