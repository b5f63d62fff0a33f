import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ScenarioError,
  ScenarioExecutor,
  ScenarioRecorder,
  convertTestToScenario,
  parseScenario,
  parseScenarioStep,
  parseTest,
  runLegacyTest,
  runScenario,
  runTestFile,
  writeScenario,
} from '@vm/host';
import { wat } from '@vm/testkit';

/** init(n): sum = n; add(n): sum += n; getSum(): the sum. */
const ADDER = `(module
  (import "env" "int64getArgument" (func $arg (param i32) (result i64)))
  (import "env" "int64storageLoad" (func $load (param i32 i32) (result i64)))
  (import "env" "int64storageStore" (func $store (param i32 i32 i64) (result i32)))
  (import "env" "int64finish" (func $finish (param i64)))
  (memory (export "memory") 1) (data (i32.const 0) "sum")
  (func (export "init") (drop (call $store (i32.const 0) (i32.const 3) (call $arg (i32.const 0)))))
  (func (export "getSum") (call $finish (call $load (i32.const 0) (i32.const 3))))
  (func (export "add") (drop (call $store (i32.const 0) (i32.const 3)
    (i64.add (call $load (i32.const 0) (i32.const 3)) (call $arg (i32.const 0)))))))`;

const tx = (fields: object) => ({ from: 'address:owner', value: '0', gasLimit: '1,000,000', gasPrice: '0', ...fields });
const ok = { out: [], status: '0', gas: '*', refund: '*' };
const STEPS = [
  {
    step: 'setState',
    accounts: { 'address:owner': { nonce: '0', balance: '1000' } },
    newAddresses: [{ creatorAddress: 'address:owner', creatorNonce: '0', newAddress: 'sc:adder' }],
  },
  { step: 'scDeploy', txId: 'deploy', tx: tx({ contractCode: 'file:adder.wasm', arguments: ['5'] }), expect: ok },
  { step: 'scCall', txId: 'add', tx: tx({ to: 'sc:adder', function: 'add', arguments: ['u64:7'] }), expect: ok },
  { step: 'scQuery', txId: 'sum', tx: { to: 'sc:adder', function: 'getSum', arguments: [] }, expect: { out: ['12'] } },
  {
    step: 'checkState',
    accounts: {
      'address:owner': { nonce: '2', balance: '1000', storage: {}, code: '' },
      'sc:adder': { nonce: '0', balance: '0', storage: { 'str:sum': 'u8:12' }, code: 'file:adder.wasm' },
    },
  },
];

describe('[@vm/host] the step-level scenario API', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'step-api-'));
    writeFileSync(path.join(dir, 'adder.wasm'), await wat(ADDER));
  });

  it('executes steps one by one on a live world: results, outputs and the later value dialect', async () => {
    const executor = new ScenarioExecutor({ baseDir: dir });
    const file = path.join(dir, 'steps.scen.json');
    const results = [];
    for (const step of STEPS) results.push(await executor.executeStep(parseScenarioStep(step, { file })));
    expect(results.map((r) => r.passed)).toEqual([true, true, true, true, true]);
    expect(results.map((r) => r.differences)).toEqual([[], [], [], [], []]);
    expect(results[3].vmOutput!.ReturnData).toEqual([Uint8Array.of(12)]); // a query answers...
    const owner = executor.world.account(Buffer.from('owner'.padEnd(32, '_')));
    expect(owner!.nonce).toBe(2n); // ...and is never applied: no nonce bumped for it
  });

  it('a step whose expectation fails says what differed; the world keeps the successful state', async () => {
    const executor = new ScenarioExecutor({ baseDir: dir });
    const file = path.join(dir, 'steps.scen.json');
    for (const step of STEPS.slice(0, 3)) await executor.executeStep(parseScenarioStep(step, { file }));
    const bad = await executor.executeStep(
      parseScenarioStep({ step: 'scCall', tx: tx({ to: 'sc:adder', function: 'nope' }), expect: ok }, { file }),
    );
    expect(bad.passed).toBe(false);
    expect(bad.differences).toEqual([
      'status: expected 0, got 1',
      'message: expected "", got "invalid function (not found)"',
    ]);
    const sum = await executor.executeStep(parseScenarioStep(STEPS[3], { file }));
    expect(sum.passed).toBe(true);
  });

  it('a recorder collects the executed steps into a scenario that replays as a file', async () => {
    const recorder = new ScenarioRecorder({ name: 'adder, recorded' });
    const executor = new ScenarioExecutor({ baseDir: dir, recorder });
    const file = path.join(dir, 'steps.scen.json');
    for (const step of STEPS) await executor.executeStep(parseScenarioStep(step, { file }));
    const text = writeScenario(recorder.scenario);
    expect(text).toMatch(/"arguments": \[\s*"u64:7"\s*\]/); // written as it was read
    const replay = path.join(dir, 'recorded.scen.json');
    writeFileSync(replay, text);
    expect(await runScenario(replay)).toMatchObject({ passed: true });
    expect(writeScenario(parseScenario(text, { file: replay }))).toBe(text);
  });

  it('dumpState prints the world in scenario syntax', async () => {
    let printed = '';
    const executor = new ScenarioExecutor({ baseDir: dir, out: (text) => (printed += text) });
    const file = path.join(dir, 'steps.scen.json');
    for (const step of [...STEPS.slice(0, 3), { step: 'dumpState' }])
      await executor.executeStep(parseScenarioStep(step, { file }));
    expect(printed).toContain('"nonce": "2"');
    expect(printed).toContain('"12"');
  });

  it('bad input is a ScenarioError naming the file, the JSON path, and for JSON syntax the line and column', () => {
    expect(() =>
      parseScenario('{\n  "steps": [\n    { "step": "setState", }\n  ]\n}', { file: 'broken.scen.json' }),
    ).toThrow(
      expect.objectContaining({
        name: 'ScenarioError',
        message: expect.stringMatching(/^broken\.scen\.json: invalid JSON at line 3, column 27: /),
      }),
    );
    let error: unknown;
    try {
      parseScenarioStep({ step: 'scCall', tx: tx({ to: 'sc:adder', function: 'add', arguments: ['u64:x'] }) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).message).toBe('$.tx.arguments[0]: could not parse base 10 value "x"');
  });
});

describe('[@vm/host] the legacy .test.json format', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'legacy-'));
    writeFileSync(path.join(dir, 'adder.wasm'), await wat(ADDER));
    // no newAddresses in this format: the reference runner's generated address (10 zero bytes, 0x11 x4, the
    // creator's first 15 bytes, the nonce's low byte, the creator's last 2)
    const owner = Buffer.from('owner'.padEnd(32, '_'));
    const deployed = `0x${'00'.repeat(10)}${'11'.repeat(4)}${owner.subarray(0, 15).toString('hex')}00${owner.subarray(30).toString('hex')}`;
    const test = {
      adder: {
        pre: { 'address:owner': { nonce: '0', balance: '1000', storage: {}, code: '' } },
        blocks: [
          {
            transactions: [
              tx({ to: '', function: '', contractCode: 'file:adder.wasm', arguments: ['5'] }),
              tx({ to: deployed, function: 'add', arguments: ['7'] }),
            ],
            results: [ok, ok],
          },
        ],
        postState: {
          [deployed]: { nonce: '0', balance: '0', storage: { 'str:sum': '12' }, code: 'file:adder.wasm' },
          '+': '',
        },
      },
    };
    file = path.join(dir, 'adder.test.json');
    writeFileSync(file, JSON.stringify(test, null, 4));
  });

  it('runs, as a file and case by case, and converts to a scenario that runs the same', async () => {
    const r = await runTestFile(file);
    expect(r).toMatchObject({ passed: true });
    const parsed = parseTest(readFileSync(file, 'utf8'), { file });
    expect(parsed.tests.map((t) => t.name)).toEqual(['adder']);
    const executor = new ScenarioExecutor({ baseDir: dir });
    expect(await runLegacyTest(parsed.tests[0], executor)).toEqual({ name: 'adder', passed: true });
    const converted = path.join(dir, 'adder.scen.json');
    writeFileSync(converted, writeScenario(convertTestToScenario(parsed)));
    expect(await runScenario(converted)).toMatchObject({ passed: true });
  });
});
