import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runScenario } from '@vm/host/scenario';
import { delegationFuzzer, fuzzRun } from '@vm/host/fuzz';
import { conformanceFile, describeWithConformance } from '@vm/testkit';

// The built executables, as users run them.
const BIN = path.join(__dirname, '..', '..', 'bin');
const run = (bin: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(BIN, bin), ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const freshDir = () => mkdtempSync(path.join(tmpdir(), 'fuzz-delegation-'));

interface ReplayStep {
  step: string;
  tx?: { function?: string };
  accounts?: Record<string, { balance: string }>;
}
const replaySteps = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { steps: ReplayStep[] }).steps;

// A run is a few seconds on an idle machine: generous deadlines for a loaded one.
jest.setTimeout(300_000);

describeWithConformance('[@vm/host] vm-fuzz delegation', () => {
  const fuzzer = () =>
    delegationFuzzer({
      contract: conformanceFile('test', 'delegation_v0.3', 'delegation.wasm'),
      auction: conformanceFile('test', 'delegation_v0.3', 'auction-mock.wasm'),
    });

  it.each([1n, 2n, 3n])(
    'seed %s: 300 events and the teardown hold, rewards are claimed, the replay passes with the ELROND prefix',
    async (seed) => {
      const report = await fuzzRun(fuzzer(), { seed, steps: 300, outDir: freshDir() });
      expect(report.failure).toBeUndefined();
      const counts = Object.fromEntries(report.counts);
      // every kind of event ran; rewards were claimed; the tolerated calls both succeed and fail over a run
      for (const name of Object.keys(counts)) expect(counts[name].ran).toBeGreaterThan(0);
      expect(counts.claimRewards.ok).toBeGreaterThan(0);
      expect(counts.claimRewards.ok).toBeLessThan(counts.claimRewards.ran);
      expect(counts.stake).toEqual({ ran: counts.stake.ran, ok: counts.stake.ran });

      // the teardown is in the replay: its last step checks that all the stake added came back out
      const steps = replaySteps(report.replayFile);
      expect(steps).toHaveLength(report.steps);
      const last = steps[steps.length - 1];
      expect(last.step).toBe('checkState');
      expect(Object.keys(last.accounts!)).toEqual(["''withdraw_target_______________s1", '+']);
      const staked = report.events
        .filter((e) => e.name === 'stake')
        .reduce((sum, e) => sum + (e.params as { amount: bigint }).amount, 0n);
      expect(last.accounts!["''withdraw_target_______________s1"].balance).toBe(`${staked}`);
      expect(steps.some((s) => s.step === 'checkState' && "''fuzz_sc_auction_mock_addr_____s1" in s.accounts!)).toBe(
        true,
      );
      expect(await runScenario(report.replayFile, { protectedKeyPrefix: 'ELROND' })).toMatchObject({ passed: true });
    },
  );

  it('without the ELROND prefix the contract sees no rewards: the balance invariant fails and shrinks to one addRewards', async () => {
    const out = freshDir();
    const r = run(
      'vm-fuzz.js',
      'delegation',
      '--seed',
      '1',
      '--steps',
      '300',
      '--out',
      out,
      '--protected-prefix',
      'KALYAN3104',
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /invariant contract balance = inactive stake \+ unclaimed rewards broken at event \d+, replay step \d+ \(seed 1\):\n {4}account 0x[0-9a-f]+ \("fuzz_sc_delegation_addr_______s1"\) balance: expected \d+, got \d+/,
    );
    const [, step] =
      /shrunk to 1 events \(invariant contract balance = inactive stake \+ unclaimed rewards broken at replay step (\d+)\)/.exec(
        r.out,
      ) ?? [];
    const shrunk = path.join(out, 'delegation-seed1.shrunk.scen.json');
    const calls = replaySteps(shrunk).filter((s) => s.step === 'validatorReward');
    expect(calls).toHaveLength(1);
    // the shrunk replay fails under vm-scenario at that step
    const scenario = run('vm-scenario.js', shrunk);
    expect(scenario.code).toBe(1);
    expect(scenario.out).toContain(`step ${step} (checkState)`);
  });

  it('--processes: one seed in process and through VMDriver (JSON and Binary) agrees at every step, teardown included', () => {
    const out = freshDir();
    const r = run('vm-fuzz.js', 'delegation', '--seed', '2', '--steps', '100', '--processes', '--out', out);
    // (the driver logs its process starts on stderr)
    expect(r.code).toBe(0);
    for (const lane of ['in process', 'VMDriver JSON', 'VMDriver Binary'])
      expect(r.out).toContain(`run 1 seed 2 ${lane}: held: 100 events`);
    expect(r.out).toContain('run 1 seed 2: the 3 lanes agree at every step');
    const lanes = ['', '.VMDriver-JSON', '.VMDriver-Binary'].map((x) =>
      readFileSync(path.join(out, `delegation-seed2${x}.scen.json`), 'utf8'),
    );
    expect(lanes[1]).toBe(lanes[0]);
    expect(lanes[2]).toBe(lanes[0]);
  });

  it('the CLI prints the event success counts; a run where no reward was claimed is vacuous and fails', () => {
    const out = freshDir();
    const r = run('vm-fuzz.js', 'delegation', '--seed', '1', '--steps', '4', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^vm-fuzz delegation: seed 1, 4 steps, 1 run\n/);
    expect(r.out).toMatch(
      /FAILED: 4 events, \d+ steps \(\d+ steps\/s\); succeeded\/ran: blockNonce \d+\/\d+, addNodes/,
    );
    expect(r.out).toMatch(/claimRewards 0\/\d+/);
    expect(r.out).toMatch(
      /vacuous run at event 5, replay step \d+ \(seed 1\):\n {4}no reward was ever claimed successfully/,
    );
    expect(r.out).not.toContain('shrunk');
    expect(run('vm-fuzz.js', 'delegation', '--contract', '/nonexistent/delegation.wasm')).toMatchObject({
      code: 2,
      out: 'vm-fuzz: delegation fuzzer: contract /nonexistent/delegation.wasm not found\n',
    });
  });
});
