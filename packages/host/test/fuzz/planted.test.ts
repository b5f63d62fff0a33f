import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buggyErc20File } from './buggyErc20';

// The built executables, as users run them.
const BIN = path.join(__dirname, '..', '..', 'bin');
const run = (bin: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(BIN, bin), ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

interface ReplayStep {
  step: string;
  tx?: { function?: string; arguments?: string[] };
  expect?: { out?: string[] };
}

describe('[@vm/host] vm-fuzz finds a bug planted in a contract', () => {
  it('a self-transferFrom that mints: found, shrunk to a handful of events, and the shrunk replay fails under vm-scenario', async () => {
    const contract = await buggyErc20File();
    const out = mkdtempSync(path.join(tmpdir(), 'fuzz-planted-'));
    const r = run('vm-fuzz.js', 'erc20', '--contract', contract, '--seed', '5', '--steps', '300', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILED: \d+ events/);
    expect(r.out).toMatch(
      /invariant ledger broken at event \d+, replay step \d+ \(seed 5\):\n {4}out\[0\]: expected \d+, got \d+/,
    );
    const [, events, step] =
      /shrunk to (\d+) events \(invariant ledger broken at replay step (\d+)\)/.exec(r.out) ?? [];
    expect(Number(events)).toBeLessThanOrEqual(5);
    const full = path.join(out, 'erc20-seed5.scen.json');
    const shrunkFile = path.join(out, 'erc20-seed5.shrunk.scen.json');
    expect(existsSync(full)).toBe(true);

    // the shrunk replay: set-up, the events (the last a transferFrom from an account to itself), the ledger queries
    const steps = (JSON.parse(readFileSync(shrunkFile, 'utf8')) as { steps: ReplayStep[] }).steps;
    const calls = steps.filter((s) => s.step === 'scCall');
    expect(calls).toHaveLength(Number(events));
    const last = calls[calls.length - 1].tx!;
    expect(last.function).toBe('transferFrom');
    expect(last.arguments![0]).toBe(last.arguments![1]);

    // vm-scenario fails it at the step the fuzzer named: that account's balance, higher by the amount moved
    const scenario = run('vm-scenario.js', shrunkFile);
    expect(scenario.code).toBe(1);
    const failing = steps[Number(step) - 1];
    expect(failing.tx).toEqual({ to: 'sc:erc20', function: 'balanceOf', arguments: [last.arguments![0]] });
    expect(scenario.out).toContain(`step ${step} (scQuery "balanceOf"): unexpected result`);
    const [, expected, got] = /out\[0\]: expected (\d+), got (\d+)/.exec(scenario.out) ?? [];
    expect(BigInt(got) - BigInt(expected)).toBe(BigInt(last.arguments![2]));
    // and the full replay fails too, at the step the run named
    const [, fullStep] = /replay step (\d+) \(seed 5\)/.exec(r.out) ?? [];
    expect(run('vm-scenario.js', full).out).toContain(`step ${fullStep} (scQuery`);
  });
});
