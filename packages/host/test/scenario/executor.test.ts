import path from 'node:path';
import { MemoryWorld, VMHost, referenceTestGasSchedule } from '@vm/host';
import {
  ANY,
  evalBytes,
  parseScenario,
  parseScenarioStep,
  ScenarioError,
  ScenarioExecutor,
  ScenarioRecorder,
  runScenario,
  writeScenario,
  writeStep,
  type Step,
} from '@vm/host/scenario';
import { writeFileSync } from 'node:fs';
import { contractDir, OTHER, OWNER, SC, scCallStep, setStateStep } from './fixtures';

let dir: string;
beforeAll(async () => {
  dir = await contractDir('step-api-');
});

const setState = () => parseScenarioStep(setStateStep('1,000,000', { "''existing": "''value" }), { baseDir: dir });
const call = (fn: string, args: string[], expect?: object) =>
  parseScenarioStep({
    ...scCallStep(fn, args),
    ...(expect ? { expect: { out: [], status: '', logs: '*', gas: '*', refund: '*', ...expect } } : {}),
  });

describe('[@vm/host] step-level scenario API', () => {
  it('parseScenarioStep keeps the text next to the value, and the key order', () => {
    const step = parseScenarioStep(`{ "tx": { "value": "1,000", "to": "${SC}", "from": "''${'a'.repeat(32)}",
      "function": "echo", "arguments": ["u32:5", "str:ab|0x01"] }, "step": "scCall", "comment": "c" }`);
    expect(step.kind).toBe('scCall');
    if (step.kind !== 'scCall') return;
    expect(step.keys).toEqual(['tx', 'step', 'comment']);
    expect(step.tx.keys).toEqual(['value', 'to', 'from', 'function', 'arguments']);
    expect(step.tx.value).toEqual({ original: '1,000', value: 1000n });
    expect(step.tx.arguments?.map((a) => Buffer.from(a.value).toString('hex'))).toEqual(['00000005', '616201']);
    expect(writeStep(step)).toBe(
      [
        '{',
        '    "tx": {',
        '        "value": "1,000",',
        `        "to": "${SC}",`,
        `        "from": "''${'a'.repeat(32)}",`,
        '        "function": "echo",',
        '        "arguments": [',
        '            "u32:5",',
        '            "str:ab|0x01"',
        '        ]',
        '    },',
        '    "step": "scCall",',
        '    "comment": "c"',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('executeStep gives the VMOutput, whether it passed, and what differed; the world lives on', async () => {
    const executor = new ScenarioExecutor();
    expect((await executor.executeStep(setState())).passed).toBe(true);
    const echoed = await executor.executeStep(call('echo', ['1', "''x"], { out: ['1', '*'] }));
    expect(echoed.passed).toBe(true);
    expect((echoed.vmOutput?.ReturnData ?? []).map((d) => Buffer.from(d ?? []).toString())).toEqual(['\x01', 'x']);
    const wrong = await executor.executeStep(call('fail', [], { status: '0' }));
    expect(wrong.passed).toBe(false);
    expect(wrong.differences).toEqual([
      'status: expected 0 (ok), got 4 (user error)',
      'message: expected "", got "oops"',
    ]);
    expect(wrong.details).toEqual([
      { field: 'status', expected: '0 (ok)', got: '4 (user error)' },
      { field: 'message', expected: '""', got: '"oops"' },
    ]);
    // a step without expect is not checked, but its output is there
    const unchecked = await executor.executeStep(call('fail', []));
    expect(unchecked).toMatchObject({ passed: true, differences: [] });
    expect(unchecked.vmOutput?.ReturnMessage).toBe('oops');
    // the runner's rules: nonce bumped and gas paid for each of the 3 calls, nothing else
    const owner = executor.world.account(evalBytes(OWNER, { baseDir: dir, replacements: new Map() }))!;
    expect([owner.nonce, owner.balance]).toEqual([3n, 700_000n]);
    const check = await executor.executeStep(
      parseScenarioStep({ step: 'checkState', accounts: { '+': '', [OWNER]: { nonce: '3', balance: '1' } } }),
    );
    expect(check.differences).toEqual([expect.stringMatching(/balance: expected 1, got 700000/)]);
  });

  it('runner errors throw a ScenarioError', async () => {
    const executor = new ScenarioExecutor();
    await expect(executor.executeStep(call('echo', []))).rejects.toThrow(/sender 0a0a\S* does not exist/);
    await executor.executeStep(setState());
    const toNowhere = parseScenarioStep({
      step: 'scCall',
      tx: { from: OWNER, to: OTHER, value: '0', function: 'f', arguments: [], gasLimit: '1', gasPrice: '0' },
    });
    await expect(executor.executeStep(toNowhere)).rejects.toBeInstanceOf(ScenarioError);
  });

  it('runs over any world and VM (here a VMHost given explicitly)', async () => {
    const world = new MemoryWorld();
    const vm = new VMHost({ blockchainHook: world, gasSchedule: referenceTestGasSchedule() });
    const executor = new ScenarioExecutor({ world, vm });
    await executor.executeStep(setState());
    expect((await executor.executeStep(call('echo', ['7'], { out: ['7'] }))).passed).toBe(true);
    expect(executor.world).toBe(world);
  });

  it('the recorder collects the executed steps into a replayable scenario', async () => {
    const recorder = new ScenarioRecorder({ name: 'recorded', checkGas: false });
    const executor = new ScenarioExecutor({ recorder });
    const steps: Step[] = [setState(), call('store', ["''k", "''v"], { logs: '*' }), call('echo', ['5'])];
    for (const step of steps) await executor.executeStep(step);
    const text = writeScenario(recorder.scenario);
    expect(text.startsWith('{\n    "name": "recorded",\n    "checkGas": false,\n    "steps": [\n')).toBe(true);
    const file = path.join(dir, 'recorded.scen.json');
    writeFileSync(file, text);
    expect(parseScenario(text, { file }).steps).toEqual(steps);
    expect(await runScenario(file)).toMatchObject({ passed: true });
  });

  it('executeScenario stops at the first failure and says which step', async () => {
    const scenario = parseScenario({ steps: [] });
    const run = await new ScenarioExecutor().executeScenario({
      ...scenario,
      steps: [setState(), call('echo', ['1'], { out: ['2'] }), call('echo', [])],
    });
    expect(run.passed).toBe(false);
    expect(run.results).toHaveLength(2);
    expect(run.message).toMatch(
      /step 2 \(scCall "echo"\): unexpected result:\n {2}out\[0\]: expected 2, got 1\n {2}tx: from \S+, to \S+, function echo, arguments \[1\]/,
    );
  });
});

describe('[@vm/host] dialect extensions', () => {
  const ctx = () => ({ baseDir: dir, replacements: new Map<string, string>() });
  const hex = (expression: string) => Buffer.from(evalBytes(expression, ctx())).toString('hex');

  it.each([
    ['str:abc', '616263'],
    ['str:', ''],
    ['address:ab', `6162${'5f'.repeat(30)}`],
    ['sc:ab', `${'00'.repeat(8)}6162${'5f'.repeat(22)}`],
    ['u8:5', '05'],
    ['u16:0x1', '0001'],
    ['u32:1,000', '000003e8'],
    ['u64:0', '0000000000000000'],
    ['i8:-1', 'ff'],
    ['i16:-2', 'fffe'],
    ['i32:+5', '00000005'],
    ['i64:-1', 'ffffffffffffffff'],
    ['biguint:256', '000000020100'],
    ['biguint:0', '00000000'],
    ['nested:str:ab', '000000026162'],
    ['nested:u16:1|u8:2', '00000002000102'],
  ])('%j evaluates to 0x%s', (expression, expected) => {
    expect(hex(expression)).toBe(expected);
  });

  it.each(['u8:256', 'i8:128', 'i8:-129', 'u8:-1', `address:${'x'.repeat(33)}`, 'sc:x|y'])('refuses %j', (e) => {
    expect(() => hex(e)).toThrow(ScenarioError);
  });

  it('leaves every v0.3 expression as it was', () => {
    expect(hex("''str:abc")).toBe(Buffer.from('str:abc').toString('hex'));
    expect(hex('1,000')).toBe('03e8');
  });

  it('scQuery calls without applying anything; dumpState prints the world readably', async () => {
    const printed: string[] = [];
    const executor = new ScenarioExecutor({ out: (t) => printed.push(t) });
    await executor.executeStep(setState());
    const query = parseScenarioStep({
      step: 'scQuery',
      txId: 'q',
      tx: { to: SC, function: 'store', arguments: ["''k", "''v"] },
      expect: { out: [], status: '0', logs: '*' },
    });
    const result = await executor.executeStep(query);
    expect(result.passed).toBe(true);
    expect(result.vmOutput?.OutputAccounts?.length).toBeGreaterThan(0);
    await executor.executeStep(
      parseScenarioStep({ step: 'validatorReward', tx: { to: SC, value: '7' } }), // writes a protected key
    );
    await executor.executeStep(parseScenarioStep({ step: 'dumpState' }));
    expect(printed.join('')).toBe(
      [
        'world state dump:',
        '{',
        `    "${OWNER}": {`,
        '        "nonce": "0",',
        '        "balance": "1000000",',
        '        "storage": {}',
        '    },',
        `    "${SC}": {`,
        '        "nonce": "0",',
        '        "balance": "7",',
        '        "storage": {',
        `            "''existing": "''value"`,
        '        }',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('the extension steps round-trip through the writer', () => {
    const text = writeScenario(
      parseScenario({
        steps: [
          { step: 'dumpState', comment: 'here' },
          { step: 'scQuery', tx: { to: SC, function: 'f' } },
        ],
      }),
    );
    expect(parseScenario(text).steps.map((s) => s.kind)).toEqual(['dumpState', 'scQuery']);
  });
});

describe('[@vm/host] bad input and writing', () => {
  it('a JSON syntax error names the file, the line and the column', () => {
    let error: ScenarioError | undefined;
    try {
      parseScenario('{\n  "steps": [\n    { "step": "setState", }\n  ]\n}', { file: 'x.scen.json' });
    } catch (e) {
      error = e as ScenarioError;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error).toMatchObject({ file: 'x.scen.json', line: 3, column: 27 });
    expect(error?.message).toBe('x.scen.json: invalid JSON at line 3, column 27: expected a quoted key');
    expect(() => parseScenario('{ "steps": [ 5 ] }')).toThrow(/line 1, column 14: numbers and null are not allowed/);
  });

  it('a bad value names the file and its JSON path', () => {
    expect(() =>
      parseScenario('{ "steps": [ { "step": "checkState", "accounts": { "0x01": { "balance": "1" } } } ] }', {
        file: 'y.scen.json',
      }),
    ).toThrow(/^y\.scen\.json: \$\.steps\[0\]\.accounts\["0x01"\]: account address is not 32 bytes/);
    expect(() =>
      parseScenarioStep({ step: 'scCall', tx: { from: OWNER, to: SC, function: 'f', value: 'u8:x' } }),
    ).toThrow(/^\$\.tx\.value: could not parse base 10 value "x"/);
  });

  it('a value whose text no longer matches is written in hex, with a note naming it; values built in code too', () => {
    const step = parseScenarioStep({ step: 'transfer', tx: { from: OWNER, to: SC, value: '5' } });
    if (step.kind !== 'transfer') throw new Error('unexpected kind');
    const changed = { ...step, tx: { ...step.tx, value: { original: '5', value: 6n } } };
    const notes: string[] = [];
    const text = writeStep(changed, { notes });
    expect(text).toContain('"value": "0x6"');
    expect(notes).toEqual(['$.tx.value: "5" does not evaluate to the value; written as 0x6']);
    const built = writeStep({
      kind: 'checkState',
      accounts: { accounts: [{ address: { value: new Uint8Array(32).fill(1) }, balance: { value: ANY } }] },
    });
    expect(JSON.parse(built).accounts).toEqual({ [`0x${'01'.repeat(32)}`]: { balance: '*' } });
  });
});
