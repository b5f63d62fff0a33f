import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseScenario, writeScenario } from '@vm/host';
import { CONFORMANCE_DIR, describeWithConformance } from '@vm/testkit';
import { contractDir, OWNER, SC } from './fixtures';

// The built executable, as users run it.
const BIN = path.join(__dirname, '..', '..', 'bin', 'vm-scenario.js');
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

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
