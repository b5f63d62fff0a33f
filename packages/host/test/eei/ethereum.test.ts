import { createHash } from 'node:crypto';
import { keccak_256 } from '@noble/hashes/sha3';
import { ripemd160 } from '@noble/hashes/ripemd160';
import { ReturnCode, type VMOutput } from '@vm/protocol';
import { EEI_ROWS } from '@vm/host';
import { FakeBlockchainHook, wat, address, callInput, hex, CALLER } from '@vm/testkit';
import { eeiImports, newHost, testSchedule } from '@vm/testkit/host';

// Every host function of the `ethereum` namespace, and each predefined contract, with our own contracts.
const SC = address('eth-sc');
const CALLEE = address('eth-callee');
const OTHER = Buffer.alloc(32, 0x6f);

const IMPORTS = `${eeiImports('ethereum', { prefix: 'eth_' })}\n${eeiImports('env', { names: ['finish', 'int64finish'] })}`;

/** A minimal valid contract: header, one memory exported as "memory". */
const MINIMAL_MODULE = Buffer.from('0061736d010000000503010001070a01066d656d6f72790200', 'hex');

// Memory: 0 OTHER (32 bytes), 32 value 7 as 32 bytes big-endian, 64 "key", 96 value 5 as 32 bytes little-endian,
// 128 CALLEE, 160 a 20-byte predefined address (last byte set per case), 200.. scratch.
const DATA = `(data (i32.const 0) "${'o'.repeat(32)}") (data (i32.const 63) "\\07") (data (i32.const 64) "key") (data (i32.const 96) "\\05")
  (data (i32.const 128) "${CALLEE.toString('latin1')}") (data (i32.const 300) "${[...MINIMAL_MODULE].map((b) => '\\' + b.toString(16).padStart(2, '0')).join('')}")`;
const out32 = (setup: string, length: number) => `${setup} (call $finish (i32.const 200) (i32.const ${length}))`;
const i32out = (expr: string) => `(call $int64finish (i64.extend_i32_s ${expr}))`;
const i64out = (expr: string) => `(call $int64finish ${expr})`;
const predefined = (id: number) => `(i32.store8 (i32.const 179) (i32.const ${id}))`;

interface Case {
  fn: string;
  body: string;
  out?: string[];
  check?: (out: VMOutput) => void;
  charges?: [string, number][];
  args?: Uint8Array[];
  value?: bigint;
  gasPrice?: bigint;
}

const keccakRun = Buffer.from(keccak_256(Buffer.from('run')))
  .subarray(0, 4)
  .toString('hex');
const CALLEE_CODE = `(module (import "env" "finish" (func $finish (param i32 i32))) (memory (export "memory") 1) (data (i32.const 0) "callee")
  (func (export "main") (call $finish (i32.const 0) (i32.const 6))))`;

const CASES: Case[] = [
  { fn: 'useGas', body: '(call $eth_useGas (i64.const 50))' },
  { fn: 'getAddress', body: out32('(call $eth_getAddress (i32.const 200))', 32), out: [hex(SC)!] },
  {
    fn: 'getExternalBalance',
    body: out32('(call $eth_getExternalBalance (i32.const 0) (i32.const 200))', 1),
    out: ['32'],
  },
  {
    fn: 'getBlockHash',
    body: `${i32out('(call $eth_getBlockHash (i64.const 3) (i32.const 200))')} (call $finish (i32.const 200) (i32.const 2))`,
    out: ['01', '0303'],
  },
  {
    fn: 'callDataCopy',
    body: out32('(call $eth_callDataCopy (i32.const 200) (i32.const 0) (i32.const 5))', 5),
    out: [`${keccakRun}00`],
    args: [Uint8Array.of(9)],
  },
  { fn: 'getCallDataSize', body: i32out('(call $eth_getCallDataSize)'), out: ['24'], args: [Uint8Array.of(9)] },
  {
    fn: 'storageStore',
    body: '(call $eth_storageStore (i32.const 0) (i32.const 32))',
    check: (o) =>
      expect(o.OutputAccounts!.some((a) => a.StorageUpdates!.some((u) => hex(u.Data) === '00'.repeat(31) + '07'))).toBe(
        true,
      ),
  },
  {
    fn: 'storageLoad',
    body: `(call $eth_storageStore (i32.const 0) (i32.const 32)) ${out32('(call $eth_storageLoad (i32.const 0) (i32.const 200))', 32)}`,
    out: ['00'.repeat(31) + '07'],
    charges: [['StorageLoad', 1]],
  },
  { fn: 'getCaller', body: out32('(call $eth_getCaller (i32.const 200))', 20), out: [hex(CALLER.subarray(12))!] },
  { fn: 'getTxOrigin', body: out32('(call $eth_getTxOrigin (i32.const 200))', 20), out: [hex(CALLER.subarray(12))!] },
  {
    fn: 'getCallValue',
    body: out32('(call $eth_getCallValue (i32.const 200))', 16),
    out: ['09' + '00'.repeat(15)],
    value: 9n,
  },
  {
    fn: 'codeCopy',
    body: out32('(call $eth_codeCopy (i32.const 200) (i32.const 0) (i32.const 4))', 4),
    out: ['0061736d'],
  },
  { fn: 'getCodeSize', body: i32out('(i32.gt_u (call $eth_getCodeSize) (i32.const 100))'), out: ['01'] },
  {
    fn: 'externalCodeCopy',
    body: out32('(call $eth_externalCodeCopy (i32.const 128) (i32.const 200) (i32.const 0) (i32.const 4))', 4),
    out: ['0061736d'],
  },
  { fn: 'getExternalCodeSize', body: i32out('(call $eth_getExternalCodeSize (i32.const 0))'), out: [''] },
  { fn: 'getBlockCoinbase', body: out32('(call $eth_getBlockCoinbase (i32.const 200))', 2), out: ['0303'] },
  {
    fn: 'getBlockDifficulty',
    body: out32('(call $eth_getBlockDifficulty (i32.const 200))', 2),
    out: ['0303'],
    charges: [['GetBlockCoinbase', 1]],
  },
  { fn: 'getGasLeft', body: '(drop (call $eth_getGasLeft))' },
  { fn: 'getBlockGasLimit', body: i64out('(call $eth_getBlockGasLimit)'), out: ['00989680'] },
  {
    fn: 'getTxGasPrice',
    body: out32('(call $eth_getTxGasPrice (i32.const 200))', 16),
    out: ['00'.repeat(15) + '02'],
    gasPrice: 2n,
  },
  {
    fn: 'log',
    body: '(call $eth_log (i32.const 64) (i32.const 3) (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))',
    check: (o) => expect(o.Logs!.map((l) => [hex(l.Identifier), hex(l.Data)])).toEqual([[hex(OTHER), '6b6579']]),
  },
  { fn: 'getBlockNumber', body: i64out('(call $eth_getBlockNumber)'), out: ['07'] },
  { fn: 'getBlockTimestamp', body: i64out('(call $eth_getBlockTimestamp)'), out: ['03e8'] },
  {
    fn: 'finish',
    body: '(call $finish (i32.const 64) (i32.const 3)) (call $eth_finish (i32.const 0) (i32.const 2))',
    out: ['6f6f'],
  },
  {
    fn: 'getReturnDataSize',
    body: `(call $finish (i32.const 64) (i32.const 3)) ${i32out('(call $eth_getReturnDataSize)')}`,
    out: ['6b6579', '03'],
  },
  {
    fn: 'returnDataCopy',
    body: `(call $finish (i32.const 64) (i32.const 3)) ${out32('(call $eth_returnDataCopy (i32.const 200) (i32.const 1) (i32.const 2))', 2)}`,
    out: ['6b6579', '6579'],
  },
  { fn: 'selfDestruct', body: '(call $eth_selfDestruct (i32.const 0))', out: [] },
  {
    fn: 'call',
    body: i32out('(call $eth_call (i64.const 100000) (i32.const 128) (i32.const 96) (i32.const 64) (i32.const 3))'),
    out: [hex(Buffer.from('callee'))!, ''],
  },
  {
    fn: 'callCode',
    body: i32out(
      '(call $eth_callCode (i64.const 100000) (i32.const 128) (i32.const 400) (i32.const 64) (i32.const 3))',
    ),
    out: [hex(Buffer.from('callee'))!, ''],
  },
  {
    fn: 'callDelegate',
    body: i32out('(call $eth_callDelegate (i64.const 100000) (i32.const 128) (i32.const 64) (i32.const 3))'),
    out: [hex(Buffer.from('callee'))!, ''],
  },
  {
    fn: 'callStatic',
    body: `${predefined(4)} ${i32out('(call $eth_callStatic (i64.const 100000) (i32.const 160) (i32.const 64) (i32.const 3))')}`,
    out: ['6b6579', ''],
  },
  {
    fn: 'create',
    body: `(i32.store (i32.const 196) (call $eth_create (i32.const 400) (i32.const 300) (i32.const ${MINIMAL_MODULE.length}) (i32.const 200))) ${i32out('(i32.load (i32.const 196))')}`,
    out: [''],
    charges: [['Create', 1]],
  },
];

async function runCase(
  c: Case,
  overrides: Record<string, Record<string, bigint>> = {},
  at400: Uint8Array = new Uint8Array(0),
): Promise<{ out: VMOutput; gasUsed: bigint }> {
  const hook = new FakeBlockchainHook();
  const extra = at400.length
    ? `(data (i32.const 400) "${[...at400].map((b) => '\\' + b.toString(16).padStart(2, '0')).join('')}")`
    : '';
  const code = await wat(
    `(module ${IMPORTS} (memory (export "memory") 1) ${DATA} ${extra} (func (export "run") ${c.body}))`,
  );
  hook.setAccount(SC, { code, balance: 1000n });
  hook.setAccount(OTHER, { balance: 50n });
  hook.setAccount(CALLEE, { code: await wat(CALLEE_CODE) });
  const { vm } = newHost(hook, testSchedule(overrides));
  const out = vm.runSmartContractCall(
    callInput(SC, 'run', {
      Arguments: c.args ?? [],
      CallValue: c.value ?? 0n,
      GasPrice: c.gasPrice ?? 0n,
      GasProvided: 10_000_000n,
    }),
  );
  return { out, gasUsed: 10_000_000n - out.GasRemaining };
}

describe('[@vm/host] the ethereum namespace', () => {
  it('has all 33 functions, each covered here', () => {
    const rows = EEI_ROWS.filter((r) => r.namespace === 'ethereum').map((r) => r.name);
    expect(rows).toHaveLength(33);
    expect(rows.filter((name) => !CASES.some((c) => c.fn === name) && name !== 'revert')).toEqual([]);
  });

  it.each(CASES.map((c) => [c.fn, c] as const))('%s', async (fn, c) => {
    const { out, gasUsed } = await runCase(c);
    expect(out.ReturnMessage).toBe('');
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    if (c.out) expect(out.ReturnData!.map(hex)).toEqual(c.out);
    c.check?.(out);
    for (const [key, times] of c.charges ?? [
      [EEI_ROWS.find((r) => r.namespace === 'ethereum' && r.name === fn)!.gas!.split('.')[1], 1],
    ]) {
      const raised = await runCase(c, { EthAPICost: { [key]: 1001n } });
      expect(raised.gasUsed - gasUsed).toBe(1000n * BigInt(times));
    }
  });

  it('revert: a user error "revert" with the data as output', async () => {
    const { out } = await runCase({ fn: 'revert', body: '(call $eth_revert (i32.const 64) (i32.const 3))' });
    expect(out).toMatchObject({ ReturnCode: ReturnCode.UserError, ReturnMessage: 'revert' });
  });

  it('returnDataCopy out of range fails with "invalid API call"', async () => {
    const { out } = await runCase({
      fn: '',
      body: '(call $eth_returnDataCopy (i32.const 200) (i32.const 0) (i32.const 1))',
    });
    expect(out).toMatchObject({ ReturnCode: ReturnCode.ExecutionFailed, ReturnMessage: 'invalid API call' });
  });

  it.each([
    [2, createHash('sha256').update('key').digest('hex')],
    [3, Buffer.from(ripemd160(Buffer.from('key'))).toString('hex')],
    [4, Buffer.from('key').toString('hex')],
    [9, Buffer.from(keccak_256(Buffer.from('key'))).toString('hex')],
  ])('predefined contract 0x…%i replaces the return data with its result', async (id, expected) => {
    const { out } = await runCase({
      fn: '',
      body: `(call $finish (i32.const 64) (i32.const 1)) ${predefined(id)} (drop (call $eth_callStatic (i64.const 1000) (i32.const 160) (i32.const 64) (i32.const 3)))`,
    });
    expect(out.ReturnData!.map(hex)).toEqual([expected]);
  });

  it("predefined contract 0x…01 (ecrecover) recovers the signer's address; a bad v gives nothing", async () => {
    const { secp256k1 } = await import('@noble/curves/secp256k1');
    const priv = new Uint8Array(32).fill(7);
    const hash = keccak_256(Buffer.from('hello'));
    const signature = secp256k1.sign(hash, priv);
    const signer = Buffer.from(keccak_256(secp256k1.getPublicKey(priv, false).subarray(1))).subarray(12);
    const word = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
    const input = (v: bigint) => Buffer.concat([hash, word(v), word(signature.r), word(signature.s)]);
    const run = (v: bigint) =>
      runCase(
        {
          fn: '',
          body: `${predefined(1)} (drop (call $eth_callStatic (i64.const 1000) (i32.const 160) (i32.const 400) (i32.const 128)))`,
        },
        {},
        input(v),
      );
    expect((await run(27n + BigInt(signature.recovery))).out.ReturnData!.map(hex)).toEqual([
      '00'.repeat(12) + signer.toString('hex'),
    ]);
    expect((await run(29n)).out.ReturnData!.map(hex)).toEqual(['']);
  });

  it.each([[5, 'a missing predefined contract']])('predefined contract 0x…%i: %s returns 1', async (id) => {
    const { out } = await runCase({
      fn: '',
      body: `${predefined(id)} ${i32out('(call $eth_callStatic (i64.const 1000) (i32.const 160) (i32.const 64) (i32.const 3))')}`,
    });
    expect(out.ReturnData!.map(hex)).toEqual(['01']);
  });

  it('solidity.ctor is run as the init function at deploy', async () => {
    const code = await wat(
      `(module (import "env" "int64finish" (func $f (param i64))) (memory (export "memory") 1) (func (export "solidity.ctor") (call $f (i64.const 7))))`,
    );
    const { vm } = newHost();
    const out = vm.runSmartContractCreate({
      CallerAddr: CALLER,
      Arguments: [],
      CallValue: 0n,
      CallType: 0,
      GasPrice: 0n,
      GasProvided: 100000n,
      OriginalTxHash: null,
      CurrentTxHash: null,
      ContractCode: code,
      ContractCodeMetadata: null,
    });
    expect(out.ReturnData!.map(hex)).toEqual(['07']);
  });
});
