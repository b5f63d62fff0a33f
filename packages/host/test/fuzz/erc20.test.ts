import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseScenarioFile, runScenario } from '@vm/host/scenario';
import { erc20Fuzzer, fuzzRun } from '@vm/host/fuzz';
import { conformanceFile, describeWithConformance } from '@vm/testkit';
import { runBin, spawnBin } from '@vm/testkit/host';

// The built executables, as users run them.
const run = (bin: 'vm-fuzz' | 'vm-scenario', ...args: string[]) => runBin(bin, args);
const freshDir = () => mkdtempSync(path.join(tmpdir(), 'fuzz-erc20-'));

describeWithConformance('[@vm/host] vm-fuzz erc20', () => {
  const contract = () => conformanceFile('test', 'erc20', 'contracts', 'erc20-c.wasm');

  it.each([1n, 2n, 3n])(
    'seed %s: 300 events hold, every event kind succeeds and fails, the replay passes',
    async (seed) => {
      const out = freshDir();
      const report = await fuzzRun(erc20Fuzzer({ contract: contract() }), { seed, steps: 300, outDir: out });
      expect(report.failure).toBeUndefined();
      expect(report.events).toHaveLength(300);
      const counts = Object.fromEntries(report.counts);
      expect(counts.transfer.ok).toBeGreaterThan(0);
      expect(counts.transfer.ok).toBeLessThan(counts.transfer.ran);
      expect(counts.transferFrom.ok).toBeGreaterThan(0);
      expect(counts.transferFrom.ok).toBeLessThan(counts.transferFrom.ran);
      expect(counts.approve.ran).toBeGreaterThan(0);
      // the replay: set-up, one step per event, the on-chain checks; vm-scenario's runner gives the same results
      expect(parseScenarioFile(report.replayFile).steps).toHaveLength(report.steps);
      expect(await runScenario(report.replayFile)).toMatchObject({ passed: true });
    },
  );

  it('the same seed gives the same replay, byte for byte', async () => {
    const [a, b] = [freshDir(), freshDir()];
    const first = await fuzzRun(erc20Fuzzer({ contract: contract() }), { seed: 11n, steps: 60, outDir: a });
    const second = await fuzzRun(erc20Fuzzer({ contract: contract() }), { seed: 11n, steps: 60, outDir: b });
    expect(readFileSync(second.replayFile, 'utf8')).toBe(readFileSync(first.replayFile, 'utf8'));
    expect(second.events).toEqual(first.events);
  });

  it('a planted bug (a token minted on the 5th transfer) is found, shrunk to those 5 transfers, and the shrunk replay fails under vm-scenario', async () => {
    const out = freshDir();
    const report = await fuzzRun(erc20Fuzzer({ contract: contract(), mintOnTransfer: 5 }), {
      seed: 4n,
      steps: 300,
      outDir: out,
    });
    expect(report.held).toBe(false);
    expect(report.failure).toMatchObject({ title: 'invariant ledger broken' });
    // the model minted one token the chain never did: its supply is one more (numbers in the replay's decimal notation)
    const [, expected, got] = /^out\[0\]: expected (\d+), got (\d+)$/.exec(report.failure!.differences[0]) ?? [];
    expect(BigInt(expected) - BigInt(got)).toBe(1n);
    expect(report.shrunk!.events.map((e) => e.name)).toEqual(Array(5).fill('transfer'));
    expect(path.basename(report.shrunk!.file)).toBe('erc20-seed4.shrunk.scen.json');

    const full = run('vm-scenario', report.replayFile);
    expect(full.code).toBe(1);
    expect(full.out).toContain(`step ${report.failure!.step} (scQuery "totalSupply"): unexpected result`);
    const shrunk = run('vm-scenario', report.shrunk!.file);
    expect(shrunk.code).toBe(1);
    // set-up (2 steps), the 5 transfers, then the totalSupply query that sees the model's extra token
    expect(shrunk.out).toContain('step 8 (scQuery "totalSupply"): unexpected result');
  });

  it('the CLI prints the seed first, the event counts, writes the replay and exits 0 when every run held', () => {
    const out = freshDir();
    const r = run('vm-fuzz', 'erc20', '--seed', '21', '--steps', '50', '--runs', '2', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('vm-fuzz erc20: seed 21, 50 steps, 2 runs');
    expect(lines[1]).toMatch(
      /^run 1 seed 21: held: 50 events, \d+ steps \(\d+ steps\/s\); succeeded\/ran: transfer \d+\/\d+, approve \d+\/\d+, transferFrom \d+\/\d+$/,
    );
    expect(r.out).toContain('run 2 seed 22: held');
    expect(lines[lines.length - 1]).toBe('2 held, 0 failed');
    expect(existsSync(path.join(out, 'erc20-seed21.scen.json'))).toBe(true);
    expect(existsSync(path.join(out, 'erc20-seed22.scen.json'))).toBe(true);
  });

  it('the CLI exits 1 on a broken invariant, naming the step, the seed and the differences, and writes both replays', () => {
    const out = freshDir();
    const r = run('vm-fuzz', 'erc20', '--seed', '4', '--steps', '200', '--out', out, '--mint-on-transfer', '3');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/invariant ledger broken at event \d+, replay step \d+ \(seed 4\):\n {4}out\[0\]: expected/);
    expect(r.out).toMatch(/shrunk to 3 events \(invariant ledger broken at replay step 6\)/);
    expect(r.out.trimEnd().split('\n').pop()).toBe('0 held, 1 failed');
    expect(existsSync(path.join(out, 'erc20-seed4.scen.json'))).toBe(true);
    expect(existsSync(path.join(out, 'erc20-seed4.shrunk.scen.json'))).toBe(true);
  });

  it('Ctrl-C: the replay so far is written, exit 130', async () => {
    const out = freshDir();
    const child = spawnBin('vm-fuzz', ['erc20', '--seed', '6', '--steps', '1000000', '--out', out, '--progress']);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // the first progress line comes once events run (the handler is in place by then)
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('events,')) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    const file = path.join(out, 'erc20-seed6.scen.json');
    expect(stderr).toBe(`interrupted; replay so far: ${file}\n`);
    expect(parseScenarioFile(file).steps.length).toBeGreaterThan(50);
    expect(await runScenario(file)).toMatchObject({ passed: true });
  });

  it('bad input: exit 2 with a clear message', () => {
    expect(run('vm-fuzz', 'nope')).toMatchObject({ code: 2, out: expect.stringContaining('unknown fuzzer "nope"') });
    expect(run('vm-fuzz', 'erc20', '--seed', 'x')).toMatchObject({
      code: 2,
      out: 'vm-fuzz: seed "x" is not an integer in [0, 2^64)\n',
    });
    expect(run('vm-fuzz', 'erc20', '--contract', '/nonexistent.wasm')).toMatchObject({
      code: 2,
      out: expect.stringContaining('contract /nonexistent.wasm not found'),
    });
  });
});
