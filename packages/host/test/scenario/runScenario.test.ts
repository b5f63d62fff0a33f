import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evalBytes, runCli, runScenario } from '@vm/host/scenario';
import { wat } from '@vm/testkit';
import { CONTRACT, OTHER, OWNER, SC, scCallStep, setStateStep } from './fixtures';

const dir = mkdtempSync(path.join(tmpdir(), 'scenarios-'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ctx = { baseDir: dir, replacements: new Map<string, string>() };

let contractFile: string;
beforeAll(async () => {
  contractFile = path.join(dir, 'contract.wasm');
  writeFileSync(contractFile, await wat(CONTRACT));
});

function scenario(name: string, steps: unknown[], extra: Record<string, unknown> = {}): string {
  const file = path.join(dir, `${name}.scen.json`);
  writeFileSync(file, JSON.stringify({ name, steps, ...extra }, null, 2));
  return file;
}

const setup = (extra: Record<string, unknown> = {}) => ({
  ...setStateStep('1,000,000', { "''existing": "''value" }),
  ...extra,
});
const call = (fn: string, args: string[], expect: Record<string, unknown>, value = '0') => ({
  ...scCallStep(fn, args, { value }),
  expect: { out: [], status: '', logs: [], gas: '*', refund: '*', ...expect },
});

describe('[@vm/host] scenario value expressions', () => {
  it.each([
    ['', ''],
    ['0', ''],
    ['0x', ''],
    ['0x00', '00'],
    ['0x0000000a', '0000000a'],
    ['0xabc', '0abc'],
    ['255', 'ff'],
    ['1,000', '03e8'],
    ['033_000', '80e8'],
    ['0b101', '05'],
    ['-1', 'ff'],
    ['+255', '00ff'],
    ['-256', 'ff00'],
    ['+0', ''],
    ['true', '01'],
    ['false', ''],
    ["''abc", '616263'],
    ['``abc', '616263'],
    ["''a|0x01|2", '610102'],
    ['keccak256:0x', 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'],
  ])('%j evaluates to 0x%s', (expression, expected) => {
    expect(hex(evalBytes(expression, ctx))).toBe(expected);
  });

  it('reads file: paths relative to the scenario, and names the path that is missing', () => {
    expect(evalBytes('file:contract.wasm', ctx).length).toBeGreaterThan(8);
    expect(() => evalBytes('file:missing.wasm', ctx)).toThrow(/cannot read .*missing.wasm/);
  });

  it.each(['mxsc:abc', 'bech32:x', 'u32:99999999999', '0xzz', '12a'])('refuses %j', (expression) => {
    expect(() => evalBytes(expression, ctx)).toThrow();
  });
});

describe('[@vm/host] scenario runner', () => {
  it('runs every step kind and checks state, logs, output and messages', async () => {
    const file = scenario('all-steps', [
      setup({
        currentBlockInfo: { blockTimestamp: '10', blockNonce: '1' },
        newAddresses: [{ creatorAddress: OWNER, creatorNonce: '4', newAddress: OTHER }],
      }),
      call('store', ["''key", "''val"], {
        logs: [{ address: SC, identifier: `0x${'74'.repeat(32)}`, topics: [], data: "''val" }],
      }),
      call('echo', ['1', '0x0002', "''x"], { out: ['1', '0x0002', '*'] }),
      call('fail', [], { status: '4', message: 'oops' }),
      { step: 'transfer', txId: 'transfer', tx: { from: OWNER, to: OTHER, value: '100' } },
      { step: 'validatorReward', txId: 'reward', tx: { to: OTHER, value: '5' } },
      {
        step: 'scDeploy',
        txId: 'deploy',
        tx: {
          from: OWNER,
          value: '0',
          contractCode: 'file:contract.wasm',
          arguments: [],
          gasLimit: '100,000',
          gasPrice: '0',
        },
        expect: { out: [], status: '', logs: [], gas: '*', refund: '*' },
      },
      {
        step: 'checkState',
        accounts: {
          // 3 calls of 100,000 gas at price 1 are paid in full; the deploy (price 0) costs nothing
          [OWNER]: { nonce: '5', balance: `${1_000_000 - 300_000 - 100}`, storage: {}, code: '' },
          [SC]: {
            nonce: '0',
            balance: '0',
            storage: { "''existing": "''value", "''key": "''val" },
            code: 'file:contract.wasm',
          },
          [OTHER]: { nonce: '*', balance: '105', storage: { "''KALYAN3104reward": '5' }, code: 'file:contract.wasm' },
        },
      },
    ]);
    const result = await runScenario(file);
    expect(result.message).toBeUndefined();
    expect(result.passed).toBe(true);
  });

  it('externalSteps runs another file on the same world', async () => {
    const steps = path.join(dir, 'setup.steps.json');
    writeFileSync(steps, JSON.stringify({ steps: [setup()] }));
    const file = scenario('external', [
      { step: 'externalSteps', path: 'setup.steps.json' },
      call('echo', ['7'], { out: ['7'] }),
    ]);
    expect((await runScenario(file)).passed).toBe(true);
  });

  it('detects out of funds before running (status 7) and keeps only the gas payment', async () => {
    const file = scenario('funds', [
      setup(),
      call('pay', [], { status: '7' }, '2,000,000'),
      { step: 'checkState', accounts: { '+': '', [OWNER]: { nonce: '1', balance: '900,000', storage: {}, code: '' } } },
    ]);
    const result = await runScenario(file);
    expect(result.message).toBeUndefined();
  });

  it.each([
    ['a wrong status', call('fail', [], { status: '0' }), /status: expected 0 \(ok\), got 4 \(user error\)/],
    ['a wrong message', call('fail', [], { status: '4', message: 'other' }), /message: expected "other", got "oops"/],
    ['a wrong output', call('echo', ['1'], { out: ['2'] }), /out\[0\]: expected 2, got 1/],
    ['a missing output', call('echo', ['1', '2'], { out: ['1'] }), /out: expected 1 values, got 2/],
    ['a wrong log', call('store', ["''k", "''v"], { logs: [] }), /logs: expected 0, got 1/],
    ['a wrong gas', call('echo', [], { gas: '5' }), /gas: expected 5, got \d+/],
    [
      'an unexpected account',
      { step: 'checkState', accounts: { [OWNER]: { nonce: '0', balance: '1,000,000', storage: {}, code: '' } } },
      /account 0x0c0c\S*: expected no such account, got an account/,
    ],
    [
      'a wrong storage value, shown in the notation of the check',
      {
        step: 'checkState',
        accounts: {
          '+': '',
          [SC]: { nonce: '0', balance: '0', storage: { "''existing": "''other" }, code: 'file:contract.wasm' },
        },
      },
      /storage 0x6578697374696e67 \("existing"\): expected ''other, got ''value/,
    ],
    [
      'an omitted nonce (means 0)',
      { step: 'checkState', accounts: { '+': '', [OWNER]: { balance: '*', storage: {}, code: '' } } },
      null,
    ],
  ])('reports %s', async (_name, step, pattern) => {
    const file = scenario(`fails-${_name.replace(/\W+/g, '-')}`, [setup(), step]);
    const result = await runScenario(file);
    if (pattern === null) expect(result.passed).toBe(true);
    else {
      expect(result.passed).toBe(false);
      expect(result.message).toMatch(pattern);
    }
  });

  it.each([
    ['malformed JSON', '{ "steps": [ ', /invalid JSON/],
    [
      'a JSON number',
      '{ "steps": [ { "step": "setState", "accounts": { "0x01": { "balance": 5 } } } ] }',
      /numbers and null are not allowed/,
    ],
    [
      'an unknown step',
      '{ "steps": [ { "step": "fooState" } ] }',
      /\$\.steps\[0\]\.step: unknown step type "fooState"/,
    ],
    [
      'an unknown field',
      '{ "steps": [ { "step": "setState", "acounts": {} } ] }',
      /\$\.steps\[0\]: unknown field "acounts"/,
    ],
    [
      'a short address',
      `{ "steps": [ { "step": "setState", "accounts": { "0x01": { "balance": "1" } } } ] }`,
      /steps\[0\]\.accounts\["0x01"\]: account address is not 32 bytes/,
    ],
  ])('names the file and the JSON path for %s', async (_name, text, pattern) => {
    const file = path.join(dir, `bad-${_name.replace(/\W+/g, '-')}.scen.json`);
    writeFileSync(file, text);
    const result = await runScenario(file);
    expect(result.passed).toBe(false);
    expect(result.message).toContain(file);
    expect(result.message).toMatch(pattern);
  });

  it('reports a missing file', async () => {
    const result = await runScenario(path.join(dir, 'nope.scen.json'));
    expect(result.message).toMatch(/nope.scen.json: cannot read/);
  });
});

describe('[@vm/host] vm-scenario CLI', () => {
  it('runs a directory, prints progress, a JSON report and the closing line, exit code by result', async () => {
    const sub = mkdtempSync(path.join(dir, 'cli-'));
    writeFileSync(path.join(sub, 'contract.wasm'), readFileSync(contractFile));
    writeFileSync(
      path.join(sub, 'ok.scen.json'),
      JSON.stringify({ steps: [setup(), call('echo', ['1'], { out: ['1'] })] }),
    );
    writeFileSync(
      path.join(sub, 'bad.scen.json'),
      JSON.stringify({ steps: [setup(), call('echo', ['1'], { out: ['2'] })] }),
    );
    const lines: string[] = [];
    const report = path.join(sub, 'report.json');
    const code = await runCli(['--json', report, sub], { out: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
    expect(lines.some((l) => l.startsWith('✗') && l.includes('bad.scen.json'))).toBe(true);
    expect(lines.some((l) => /out\[0\]: expected 2, got 1/.test(l))).toBe(true);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json).toMatchObject({ passed: 1, failed: 1 });
    expect(json.scenarios).toHaveLength(2);
  });

  it('--replace rewrites file: paths; --protected-prefix changes the reserved prefix', async () => {
    const sub = mkdtempSync(path.join(dir, 'cli-'));
    writeFileSync(path.join(sub, 'real.wasm'), readFileSync(contractFile));
    const steps = [
      setup({
        accounts: {
          [OWNER]: { nonce: '0', balance: '1,000,000', storage: {}, code: '' },
          [SC]: { nonce: '0', balance: '0', storage: {}, code: 'file:placeholder.wasm' },
        },
      }),
      call('store', ["''MINEkey", "''v"], {
        status: '10',
        message: 'cannot write to storage under Kalyan3104 reserved key',
      }),
    ];
    writeFileSync(path.join(sub, 'replace.scen.json'), JSON.stringify({ steps }));
    const lines: string[] = [];
    expect(
      await runCli(['--replace', 'placeholder.wasm=real.wasm', '--protected-prefix', 'MINE', sub], {
        out: (l) => lines.push(l),
      }),
    ).toBe(0);
    expect(lines.at(-1)).toBe('1 passed, 0 failed');
  });

  it('exits 2 on bad arguments', async () => {
    const lines: string[] = [];
    expect(await runCli(['--replace', 'no-equals', dir], { out: (l) => lines.push(l) })).toBe(2);
    expect(await runCli([], { out: (l) => lines.push(l) })).toBe(2);
  });
});
