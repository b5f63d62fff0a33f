import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseScenario, parseScenarioStep, ScenarioExecutor, writeScenario } from '@vm/host/scenario';
import { CONFORMANCE_DIR, describeWithConformance, wat } from '@vm/testkit';
import { runBin } from '@vm/testkit/host';
import { colorsWanted } from '../../src/scenario/colors';
import { contractDir, OWNER, SC, scCallStep, setStateStep } from './fixtures';

// The built executable, as users run it.
const cleanEnv = () => {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return env;
};
const cliEnv = (env: NodeJS.ProcessEnv, ...args: string[]) => runBin('vm-scenario', args, { timeout: 120_000, env });
const cli = (...args: string[]) => cliEnv(cleanEnv(), ...args);

const MESSY = `{"name":"messy",  "steps":[{"step":"setState","accounts":{"${OWNER}":{"balance":"1,000",
  "nonce":"0"}}},{"step":"checkState","accounts":{"${OWNER}":{"balance":"1,000"}, "+":""}}]}`;

let dir: string;
beforeAll(async () => {
  dir = await contractDir('cli-');
});

describe('[@vm/host] vm-scenario fmt (built executable)', () => {
  it('prints a file in the writer layout, keeping its key order and value text', () => {
    const file = path.join(dir, 'messy.scen.json');
    writeFileSync(file, MESSY);
    const { code, out } = cli('fmt', file);
    expect(code).toBe(0);
    expect(out).toBe(writeScenario(parseScenario(MESSY)));
    expect(out).toContain(`"${OWNER}": {\n                    "balance": "1,000",\n                    "nonce": "0"\n`);
  });

  it('--check names the files that would change and exits 1; --write rewrites them atomically', () => {
    const sub = path.join(dir, 'check');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'a.scen.json'), MESSY);
    writeFileSync(path.join(sub, 'b.steps.json'), writeScenario(parseScenario(MESSY)));
    writeFileSync(path.join(sub, 'notes.json'), '{ "not": "a scenario" ');
    const before = cli('fmt', '--check', sub);
    expect(before.code).toBe(1);
    expect(before.out).toBe(`${path.join(sub, 'a.scen.json')}\n`);

    const written = cli('fmt', '--write', sub);
    expect(written.code).toBe(0);
    expect(written.out).toBe(`${path.join(sub, 'a.scen.json')}\n`);
    expect(readFileSync(path.join(sub, 'a.scen.json'), 'utf8')).toBe(writeScenario(parseScenario(MESSY)));
    expect(readdirSync(sub).sort()).toEqual(['a.scen.json', 'b.steps.json', 'notes.json']);
    expect(cli('fmt', '--check', sub)).toMatchObject({ code: 0, out: '' });
  });

  it('exits 2 on a file that does not parse, naming it with the line and column', () => {
    const file = path.join(dir, 'broken.scen.json');
    writeFileSync(file, '{\n  "steps": [\n    { "step": "setState" ]\n}');
    const { code, err } = cli('fmt', '--check', file);
    expect(code).toBe(2);
    expect(err).toContain(`${file}: invalid JSON at line 3, column 26: expected "," or "}"`);
  });

  it('formats .test.json files in the legacy layout', () => {
    const file = path.join(dir, 'one.test.json');
    writeFileSync(file, JSON.stringify({ t: { pre: {}, blocks: [], network: 'Arwen', postState: {} } }));
    const { code, out } = cli('fmt', file);
    expect(code).toBe(0);
    expect(out).toBe(
      '{\n    "t": {\n        "pre": {},\n        "blocks": [],\n        "network": "Arwen",\n        "postState": {}\n    }\n}\n',
    );
  });
});

describe('[@vm/host] vm-scenario runs .test.json files (built executable)', () => {
  it('by name, and a directory collects both kinds', () => {
    const sub = path.join(dir, 'run');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'contract.wasm'), readFileSync(path.join(dir, 'contract.wasm')));
    const pre = {
      [OWNER]: { nonce: '0', balance: '1,000', storage: {}, code: '' },
      [SC]: { nonce: '0', balance: '0', storage: {}, code: 'file:contract.wasm' },
    };
    const tx = {
      from: OWNER,
      to: SC,
      value: '0',
      function: 'echo',
      arguments: ['5'],
      gasLimit: '100,000',
      gasPrice: '0',
    };
    const result = { out: ['5'], status: '', logs: [], gas: '*', refund: '*' };
    const test = (out: string) => ({
      pre,
      blocks: [{ transactions: [tx], results: [{ ...result, out: [out] }] }],
      postState: { '+': '', [OWNER]: { nonce: '1', balance: '1,000' } },
    });
    writeFileSync(path.join(sub, 'legacy.test.json'), JSON.stringify({ ok: test('5'), wrong: test('6') }));
    writeFileSync(path.join(sub, 'plain.scen.json'), JSON.stringify({ steps: [{ step: 'setState', accounts: pre }] }));
    const byName = cli(path.join(sub, 'legacy.test.json'));
    expect(byName.code).toBe(1);
    expect(byName.out).toContain('1 of 2 test cases passed');
    expect(byName.out).toContain('wrong: block 0 transaction 0: unexpected result:');
    const all = cli(sub);
    expect(all.out).toContain('plain.scen.json');
    expect(all.out.trim().split('\n').at(-1)).toBe('1 passed, 1 failed');
    expect(cli('--help').out).toContain('*.test.json');
  });
});

describeWithConformance('[@vm/host] vm-scenario fmt --check over the conformance suite', () => {
  it('names the hand-written files only, and changes nothing', () => {
    const root = path.join(CONFORMANCE_DIR ?? '', 'test');
    const { code, out } = cli('fmt', '--check', root);
    expect(code).toBe(1);
    const named = out.trim().split('\n');
    expect(named).not.toContain(path.join(root, 'dns', 'dns_init.steps.json'));
    expect(named).not.toContain(path.join(root, 'delegation_v0.3', 'fuzz_gen_unstake.scen.json'));
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((f) => f.startsWith(root) && /\.(scen|steps)\.json$/.test(f))).toBe(true);
  });
});

const setState = setStateStep('1,000');
const call = (fn: string, args: string[], expect: Record<string, unknown>, txId = fn) => ({
  ...scCallStep(fn, args, { gasPrice: '0', txId }),
  expect: { gas: '*', refund: '*', logs: '*', ...expect },
});
/** A fresh directory with the contract and the given scenarios (name → steps after the setState). */
function scenarios(files: Record<string, object[]>): string {
  const sub = mkdtempSync(path.join(dir, 'run-'));
  writeFileSync(path.join(sub, 'contract.wasm'), readFileSync(path.join(dir, 'contract.wasm')));
  for (const [name, steps] of Object.entries(files))
    writeFileSync(path.join(sub, name), JSON.stringify({ steps: [setState, ...steps] }));
  return sub;
}
const ok = call('echo', ['5'], { out: ['5'] });
const bad = call('echo', ['12'], { out: ['13'] });

describe('[@vm/host] vm-scenario conventions (built executable)', () => {
  it('--help and --version print on stdout and exit 0', () => {
    const help = cli('--help');
    expect(help).toMatchObject({ code: 0, err: '' });
    for (const flag of ['--filter <pattern>', '--bail', '--json <file>', '--junit <file>', '--gas-report', '--version'])
      expect(help.out).toContain(flag);
    const version = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
    expect(cli('--version')).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('usage errors go to stderr with exit 2, nothing on stdout', () => {
    const unknown = cli('--no-such-option', dir);
    expect(unknown).toMatchObject({ code: 2, out: '' });
    expect(unknown.err).toContain("unknown option '--no-such-option'");
    expect(cli()).toMatchObject({ code: 2, out: '' });
    const missing = cli(path.join(dir, 'nowhere'));
    expect(missing).toMatchObject({ code: 2, out: '' });
    expect(missing.err).toContain(`cannot read ${path.join(dir, 'nowhere')}`);
    const badFilter = cli('--filter', '(', dir);
    expect(badFilter).toMatchObject({ code: 2, out: '' });
    expect(badFilter.err).toContain('--filter');
  });

  it('an empty directory, or a filter that matches nothing, is an error that says so', () => {
    const empty = mkdtempSync(path.join(dir, 'empty-'));
    expect(cli(empty)).toEqual({
      code: 2,
      out: '',
      err: `vm-scenario: no scenario found in ${empty} (looked for *.scen.json and *.test.json)\n`,
    });
    const sub = scenarios({ 'a.scen.json': [ok] });
    expect(cli('--filter', 'zzz', sub)).toEqual({
      code: 2,
      out: '',
      err: 'vm-scenario: no scenario matches --filter zzz (of 1 found)\n',
    });
  });

  it('an unwritable --json or --junit path fails at once, before any scenario runs', () => {
    const sub = scenarios({ 'a.scen.json': [ok] });
    const nowhere = path.join(sub, 'no-such-dir', 'report.json');
    const json = cli('--json', nowhere, sub);
    expect(json).toMatchObject({ code: 2, out: '' });
    expect(json.err).toContain(`--json: cannot write ${nowhere}: directory ${path.dirname(nowhere)} does not exist`);
    const junit = cli('--junit', sub, sub);
    expect(junit).toMatchObject({ code: 2, out: '' });
    expect(junit.err).toContain(`--junit: cannot write ${sub}: ${sub} is a directory`);
  });

  it('--filter runs the matching files only; --bail stops at the first failure', () => {
    const sub = scenarios({ 'a-bad.scen.json': [bad], 'b-ok.scen.json': [ok], 'c-ok.scen.json': [ok] });
    const filtered = cli('--filter', 'ok\\.scen', sub);
    expect(filtered.code).toBe(0);
    expect(filtered.out).not.toContain('a-bad');
    expect(filtered.out.trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
    const all = cli(sub);
    expect(all.out.trim().split('\n').at(-1)).toBe('2 passed, 1 failed');
    const bailed = cli('--bail', sub);
    expect(bailed.code).toBe(1);
    expect(bailed.out).not.toContain('b-ok');
    expect(bailed.out).toContain('stopped at the first failure (--bail): 2 not run');
    expect(bailed.out.trim().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });

  it('colours only on request when piped: FORCE_COLOR turns them on, NO_COLOR or a pipe keeps them off', () => {
    const sub = scenarios({ 'a.scen.json': [ok] });
    const piped = cli(sub);
    expect(piped.code).toBe(0);
    expect(piped.out).not.toContain('\x1b[');
    const forced = cliEnv({ ...cleanEnv(), FORCE_COLOR: '1' }, sub);
    expect(forced.out).toContain('\x1b[32m✓\x1b[39m');
    expect(forced.out).toContain('\x1b[32m1 passed, 0 failed\x1b[39m');
    expect(cliEnv({ ...cleanEnv(), FORCE_COLOR: '0' }, sub).out).not.toContain('\x1b[');
    expect(cliEnv({ ...cleanEnv(), NO_COLOR: '1' }, sub).out).not.toContain('\x1b[');
    // the terminal case, decided by the same rule the executable applies to process.stdout
    expect(colorsWanted({}, true)).toBe(true);
    expect(colorsWanted({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorsWanted({ NO_COLOR: '' }, true)).toBe(true);
    expect(colorsWanted({ TERM: 'dumb' }, true)).toBe(false);
    expect(colorsWanted({}, false)).toBe(false);
    expect(colorsWanted({ FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(true);
  });

  it('--json has durations and structured differences; --junit writes JUnit XML; both atomically', () => {
    const sub = scenarios({ 'a-bad.scen.json': [bad], 'b-ok.scen.json': [ok] });
    const out = mkdtempSync(path.join(dir, 'reports-'));
    const json = path.join(out, 'report.json');
    const junit = path.join(out, 'junit.xml');
    const run = cli('--json', json, '--junit', junit, sub);
    expect(run.code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.json']);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report).toMatchObject({ passed: 1, failed: 1 });
    expect(report.durationMs).toBeGreaterThan(0);
    const [failed, passed] = report.scenarios;
    expect(failed).toMatchObject({
      path: path.join(sub, 'a-bad.scen.json'),
      passed: false,
      differences: [{ field: 'out[0]', expected: '13', got: '12' }],
    });
    expect(failed.message).toContain('out[0]: expected 13, got 12');
    expect(passed).toMatchObject({ passed: true, message: null, differences: [] });
    for (const s of report.scenarios) expect(typeof s.durationMs).toBe('number');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="vm-scenario" tests="2" failures="1"/,
    );
    expect(xml).toContain(
      `<testcase classname="${path.join(sub, 'a-bad.scen.json')}" name="${path.join(sub, 'a-bad.scen.json')}">`,
    );
    expect(xml).toContain('<failure message="a-bad.scen.json step 2 (scCall &quot;echo&quot;): unexpected result:">');
    expect(xml).toContain(
      `<testcase classname="${path.join(sub, 'b-ok.scen.json')}" name="${path.join(sub, 'b-ok.scen.json')}"/>`,
    );
  });

  it('--gas-report prints the gas of every transaction and per function', async () => {
    const store = call('store', ["''k", "''v"], {}, 'store');
    const sub = scenarios({ 'a.scen.json': [ok, call('echo', ['1', '2'], { out: ['1', '2'] }, 'echo2'), store] });
    // the gas each transaction uses, measured through the step API on the same world
    const executor = new ScenarioExecutor({ baseDir: sub });
    const used: bigint[] = [];
    for (const step of [setState, ok, call('echo', ['1', '2'], { out: ['1', '2'] }), store]) {
      const result = await executor.executeStep(parseScenarioStep(step, { baseDir: sub }));
      if (result.vmOutput) used.push(100_000n - result.vmOutput.GasRemaining);
    }
    const run = cli('--gas-report', sub);
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    const file = path.join(sub, 'a.scen.json');
    const txs = lines.slice(lines.indexOf('gas used per transaction') + 3, lines.indexOf('gas used per function') - 1);
    expect(txs.map((l) => l.split(/\s{2,}/))).toEqual([
      [file, 'echo', '0 (ok)', `${used[0]}`],
      [file, 'echo', '0 (ok)', `${used[1]}`],
      [file, 'store', '0 (ok)', `${used[2]}`],
    ]);
    const fns = lines.slice(lines.indexOf('gas used per function') + 3, -2).map((l) => l.trim().split(/\s+/));
    const [lo, hi] = used[0] < used[1] ? [used[0], used[1]] : [used[1], used[0]];
    expect(fns).toEqual([
      ['echo', '2', `${lo}`, `${(used[0] + used[1]) / 2n}`, `${hi}`, `${used[0] + used[1]}`],
      ['store', '1', `${used[2]}`, `${used[2]}`, `${used[2]}`, `${used[2]}`],
    ]);
    expect(lines.at(-2)).toBe('1 passed, 0 failed');
  });
});

describe('[@vm/host] vm-scenario failures are readable (built executable)', () => {
  const failure = (steps: object[]) => {
    const run = cli(scenarios({ 'f.scen.json': steps }));
    expect(run.code).toBe(1);
    return run.out;
  };

  it('numbers in the notation the scenario used, hex beside when the decimal hides the difference', () => {
    expect(failure([bad])).toContain('out[0]: expected 13, got 12\n');
    expect(failure([call('echo', ['0x000c'], { out: ['12'] })])).toContain('out[0]: expected 12, got 12 (0x000c)\n');
    expect(failure([call('echo', ["''abd"], { out: ["''abc"] })])).toContain("out[0]: expected ''abc, got ''abd\n");
    expect(failure([call('echo', ['0x0102'], { out: ['0x0103'] })])).toContain('out[0]: expected 0x0103, got 0x0102\n');
  });

  it('status codes with their names, and the transaction as written', () => {
    const out = failure([call('fail', ['7', "''x"], { status: '0' })]);
    expect(out).toContain('status: expected 0 (ok), got 4 (user error)\n');
    expect(out).toContain('message: expected "", got "oops"\n');
    expect(out).toContain(`tx: from ${OWNER}, to ${SC}, function fail, arguments [7, ''x]\n`);
    const query = {
      step: 'scQuery',
      txId: 'q',
      tx: { to: SC, function: 'fail', arguments: [] },
      expect: { status: '0' },
    };
    expect(failure([query])).toContain(`tx: to ${SC}, function fail, arguments []\n`);
  });

  it('storage values in the check’s notation', () => {
    const out = failure([
      call('store', ["''k", '0x05'], {}),
      {
        step: 'checkState',
        accounts: {
          [OWNER]: { nonce: '1', balance: '1,000' },
          [SC]: { storage: { "''k": '6' }, balance: '0', code: '*' },
        },
      },
    ]);
    expect(out).toContain(`account ${SC} storage 0x6b ("k"): expected 6, got 5\n`);
  });

  it("an invalid contract's reason from the validator, which the VM logs too", async () => {
    const sub = scenarios({});
    writeFileSync(
      path.join(sub, 'float.wasm'),
      await wat('(module (memory (export "memory") 1) (func (export "init") (drop (f32.const 1))))'),
    );
    const deploy = {
      step: 'scDeploy',
      txId: 'deploy',
      tx: {
        from: OWNER,
        value: '0',
        contractCode: 'file:float.wasm',
        arguments: [],
        gasLimit: '100,000',
        gasPrice: '0',
      },
      expect: { status: '0', gas: '*', refund: '*' },
    };
    const newAddresses = [{ creatorAddress: OWNER, creatorNonce: '0', newAddress: `0x${'0d'.repeat(32)}` }];
    writeFileSync(
      path.join(sub, 'deploy.scen.json'),
      JSON.stringify({ steps: [{ ...setState, newAddresses }, deploy] }),
    );
    const run = cliEnv({ ...cleanEnv(), DME_VM_LOG_LEVEL: 'debug' }, sub);
    expect(run.code).toBe(1);
    expect(run.out).toContain('status: expected 0 (ok), got 9 (contract invalid)\n');
    expect(run.out).toContain('message: expected "", got "invalid contract code"\n');
    expect(run.out).toContain(`tx: from ${OWNER}, deploy file:float.wasm, arguments []\n`);
    expect(run.out).toContain('contract invalid: float instruction F32Const is not allowed\n');
    const logged = run.err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(logged).toContainEqual(
      expect.objectContaining({
        logger: 'arwen/host',
        message: 'invalid contract code',
        reason: 'float instruction F32Const is not allowed',
      }),
    );
  });
});
