import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { instrumentModule, InvalidModule } from '@vm/host';
import { fuzzModules, grammarModule, mutate, Rng } from '@vm/host/fuzz';
import { wat } from '@vm/testkit';

// The built executable, as users run it.
const BIN = path.join(__dirname, '..', '..', 'bin');
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(BIN, 'vm-fuzz.js'), ...args], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const freshDir = () => mkdtempSync(path.join(tmpdir(), 'fuzz-modules-'));

jest.setTimeout(300_000);

describe('[@vm/host] vm-fuzz modules', () => {
  it('a few hundred modules: none wrong, some rejected with a typed error, most accepted and run as under V8', () => {
    const r = run('modules', '--seed', '1', '--runs', '300', '--out', freshDir());
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('vm-fuzz modules: seed 1, 300 modules');
    const [, grammar, mutated] =
      /^held: 300 modules \((\d+) from the grammar, (\d+) mutated, 0 from binaryen\)/.exec(lines[1]) ?? [];
    expect(Number(grammar) + Number(mutated)).toBe(300);
    const [, rejected, accepted, same, limited] =
      /^ {2}(\d+) rejected with a typed error; (\d+) accepted: (\d+) ran as under V8, (\d+) ended by our limits first, 0 not run \(imports\); 0 wrong$/.exec(
        lines[2],
      ) ?? [];
    expect(Number(rejected) + Number(accepted)).toBe(300);
    expect(Number(rejected)).toBeGreaterThan(0);
    expect(Number(same)).toBeGreaterThan(Number(rejected));
    // some modules recurse past our call-depth limit, which ends them first
    expect(Number(limited)).toBeGreaterThan(0);
  });

  it('the same seed gives the same modules and the same counts', async () => {
    const [a, b] = [new Rng(5n), new Rng(5n)];
    expect(grammarModule(a)).toBe(grammarModule(b));
    const bytes = await wat(grammarModule(new Rng(6n)));
    expect(mutate(bytes, new Rng(7n))).toEqual(mutate(bytes, new Rng(7n)));
    const counts = async () => {
      const { durationMs: _ignored, ...report } = await fuzzModules({ seed: 9n, modules: 60, outDir: freshDir() });
      return report;
    };
    expect(await counts()).toEqual(await counts());
  });

  it("binaryen's translate-to-fuzz modules go through the same properties", () => {
    const r = run('modules', '--seed', '3', '--runs', '5', '--binaryen', '2', '--out', freshDir());
    expect(r.code).toBe(0);
    expect(r.out).toContain('vm-fuzz modules: seed 3, 5 modules + 2 from binaryen');
    expect(r.out).toMatch(/held: 7 modules \(\d+ from the grammar, \d+ mutated, 2 from binaryen\)/);
  });

  // Found by `vm-fuzz modules --seed 11 --runs 1000` (a mutated call index): indices past the module's own functions
  // and globals reached the injected ones of the rewritten module (reset, useGas, the gas counters), where V8 found
  // them valid.
  it.each([
    ['a call', '(func (export "run") (call 1))', /call to function 1, which does not exist/],
    ['a global.get', '(func (export "run") (result i64) (global.get 0))', /global 0 does not exist/],
    ['a global.set', '(func (export "run") (global.set 0 (i64.const 0)))', /global 0 does not exist/],
    ['an export', '(func) (export "reset" (func 1))', /export reset of function 1, which does not exist/],
    [
      'a table element',
      '(table 1 funcref) (elem (i32.const 0) 2) (func)',
      /element segment of a function that does not exist/,
    ],
  ])("%s past the module's own functions or globals is rejected", async (_what, body, message) => {
    const bytes = await wat(`(module ${body})`, { validate: false });
    expect(() => instrumentModule(bytes, new Array(1000).fill(1))).toThrow(InvalidModule);
    expect(() => instrumentModule(bytes, new Array(1000).fill(1))).toThrow(message);
  });

  it('seed 11: the thousand modules that found it hold', () => {
    const r = run('modules', '--seed', '11', '--runs', '1000', '--out', freshDir());
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/; 0 wrong\n$/);
  });

  it('bad input: exit 2', () => {
    expect(run('modules', '--runs', '0')).toMatchObject({
      code: 2,
      out: expect.stringContaining('--runs expects a positive integer'),
    });
  });
});
