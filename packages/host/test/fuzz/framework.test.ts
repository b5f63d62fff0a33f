import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runScenario } from '@vm/host/scenario';
import {
  ddmin,
  fuzzRun,
  parseSeed,
  Rng,
  sequence,
  VACUOUS,
  type EventPlan,
  type FuzzContext,
  type Fuzzer,
} from '@vm/host/fuzz';
import { contractDir, OWNER, SC } from '../scenario/fixtures';

describe('[@vm/host] fuzz PRNG', () => {
  it('one seed gives one sequence; another seed another', () => {
    const draws = (seed: bigint) => {
      const rng = new Rng(seed);
      return Array.from({ length: 5 }, () => rng.next64());
    };
    expect(draws(42n)).toEqual(draws(42n));
    expect(draws(42n)).not.toEqual(draws(43n));
    // SplitMix64's published first output for seed 0
    expect(new Rng(0n).next64()).toBe(0xe220a8397b1dcdafn);
  });

  it('bigint draws stay below the bound, reach every value of a small range, and work past 64 bits', () => {
    const rng = new Rng(7n);
    const seen = new Set(Array.from({ length: 200 }, () => rng.below(5n)));
    expect([...seen].sort()).toEqual([0n, 1n, 2n, 3n, 4n]);
    const big = 10n ** 30n;
    const wide = Array.from({ length: 50 }, () => rng.below(big));
    expect(wide.every((x) => x >= 0n && x < big)).toBe(true);
    expect(wide.some((x) => x >= 1n << 64n)).toBe(true);
    expect(() => rng.below(0n)).toThrow(RangeError);
  });

  it('parseSeed accepts u64 decimals only', () => {
    expect(parseSeed('18446744073709551615')).toBe((1n << 64n) - 1n);
    expect(() => parseSeed('-1')).toThrow(/not an integer in \[0, 2\^64\)/);
    expect(() => parseSeed('1e3')).toThrow(RangeError);
  });
});

describe('[@vm/host] ddmin', () => {
  it('reduces to the events the failure needs', async () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const needs = [13, 57, 88];
    const tried: number[][] = [];
    const fails = async (c: readonly number[]) => {
      tried.push([...c]);
      return needs.every((n) => c.includes(n));
    };
    expect(await ddmin(items, fails)).toEqual(needs);
    expect(tried.length).toBeLessThan(200);
  });

  it('gives the empty sequence when that fails too', async () => {
    expect(await ddmin([1, 2, 3], async () => true)).toEqual([]);
  });
});

// A fuzzer of our own on the fixture contract's `store(key, value)`: the framework is not tied to one contract.
interface StoreModel {
  entries: Map<string, string>;
}
const storeFuzzer = (contract: string, forgetKey?: string): Fuzzer<StoreModel> => ({
  name: 'store',
  setup: (_rng, ctx) => ({
    steps: [
      ctx.step({
        step: 'setState',
        accounts: {
          [OWNER]: { nonce: '0', balance: '0', storage: {}, code: '' },
          [SC]: { nonce: '0', balance: '0', storage: {}, code: ctx.file(contract) },
        },
      }),
    ],
    model: () => ({ entries: new Map() }),
  }),
  events: [
    {
      name: 'store',
      weight: 1,
      draw: (_m, rng) => ({ key: `k${rng.int(3)}`, value: `v${rng.int(1000)}` }),
      plan: (m, { key, value }: { key: string; value: string }, ctx) => ({
        ok: true,
        steps: [
          ctx.step({
            step: 'scCall',
            tx: {
              from: OWNER,
              to: SC,
              value: '0',
              function: 'store',
              arguments: [`''${key}`, `''${value}`],
              gasLimit: '100,000',
              gasPrice: '0',
            },
            expect: { out: [], status: '0', logs: '*', gas: '*', refund: '*' },
          }),
        ],
        apply: () => {
          if (key !== forgetKey) m.entries.set(key, value);
        },
      }),
    },
  ],
  invariants: [
    {
      name: 'storage mirrors the model',
      kind: 'off-chain',
      check: (m, world) => {
        const account = [...world.accounts.values()].find((a) => a.code.length > 0)!;
        const actual = new Map(
          [...account.storage].map(([k, v]) => [Buffer.from(k, 'hex').toString(), Buffer.from(v).toString()]),
        );
        const expected = [...m.entries].sort().join(' ');
        const got = [...actual].sort().join(' ');
        return expected === got ? [] : [`storage ${got}, model ${expected}`];
      },
    },
  ],
});

describe('[@vm/host] fuzz framework on a contract of our own', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await contractDir('fuzz-store-');
  });

  it('a run holds, counts its events, and its replay passes under the scenario runner', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'fuzz-out-'));
    const report = await fuzzRun(storeFuzzer(path.join(dir, 'contract.wasm')), { seed: 9n, steps: 40, outDir: out });
    expect(report.failure).toBeUndefined();
    expect(report.held).toBe(true);
    expect(report.counts.get('store')).toEqual({ ran: 40, ok: 40 });
    expect(report.steps).toBe(41);
    expect(path.basename(report.replayFile)).toBe('store-seed9.scen.json');
    expect(await runScenario(report.replayFile)).toMatchObject({ passed: true });
  });

  it('a broken off-chain invariant fails the run with the event, the step and the differences, and is shrunk', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'fuzz-out-'));
    const report = await fuzzRun(storeFuzzer(path.join(dir, 'contract.wasm'), 'k2'), {
      seed: 3n,
      steps: 100,
      outDir: out,
    });
    expect(report.held).toBe(false);
    expect(report.failure).toMatchObject({ title: 'invariant storage mirrors the model broken' });
    expect(report.failure!.step).toBe(report.failure!.event + 1);
    expect(report.failure!.differences[0]).toMatch(/^storage .*k2,v\d+.*, model /);
    // the first store to k2 is all it takes
    expect(report.shrunk!.events).toHaveLength(1);
    expect(report.shrunk!.events[0]).toMatchObject({ name: 'store', params: { key: 'k2' } });
    expect(readFileSync(report.shrunk!.file, 'utf8')).toContain('"function": "store"');
  });
});

// Reactions, a teardown and vacuity, on the same contract: `echo` returns its argument, which the next step stores.
const echoFuzzer = (contract: string): Fuzzer<StoreModel> => {
  const store = (ctx: FuzzContext, key: string, value: string) =>
    ctx.step({
      step: 'scCall',
      tx: {
        from: OWNER,
        to: SC,
        value: '0',
        function: 'store',
        arguments: [`''${key}`, `0x${value}`],
        gasLimit: '100,000',
        gasPrice: '0',
      },
      expect: { out: [], status: '0', logs: '*', gas: '*', refund: '*' },
    });
  const echoThenStore = (m: StoreModel, ctx: FuzzContext, key: string, value: number): EventPlan => ({
    ok: false,
    steps: [
      ctx.step({
        step: 'scCall',
        tx: {
          from: OWNER,
          to: SC,
          value: '0',
          function: 'echo',
          arguments: [`${value}`],
          gasLimit: '100,000',
          gasPrice: '0',
        },
        expect: { out: ['*'], status: '0', logs: '*', gas: '*', refund: '*' },
      }),
    ],
    then: ([output]) => {
      const echoed = Buffer.from(output!.ReturnData![0]!).toString('hex');
      return {
        ok: true,
        steps: [store(ctx, key, echoed)],
        apply: () => m.entries.set(key, Buffer.from(echoed, 'hex').toString()),
      };
    },
  });
  const base = storeFuzzer(contract);
  return {
    ...base,
    name: 'echo',
    events: [
      {
        name: 'echoStore',
        weight: 1,
        draw: (_m, rng) => ({ key: `k${rng.int(3)}`, value: 1 + rng.int(1000) }),
        plan: (m, { key, value }: { key: string; value: number }, ctx) => echoThenStore(m, ctx, key, value),
      },
    ],
    teardown: [
      {
        name: 'two final stores',
        plan: (m, ctx) => sequence([() => echoThenStore(m, ctx, 'end1', 1), () => echoThenStore(m, ctx, 'end2', 2)]),
        invariants: base.invariants,
      },
    ],
    vacuous: (counts) => ((counts.get('echoStore')?.ok ?? 0) < 3 ? 'fewer than 3 echoes stored' : undefined),
  };
};

describe('[@vm/host] fuzz framework: reactions, teardown, vacuity', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await contractDir('fuzz-echo-');
  });

  it('events react to outputs, the teardown runs after them with its invariants, and the replay passes', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'fuzz-out-'));
    const report = await fuzzRun(echoFuzzer(path.join(dir, 'contract.wasm')), { seed: 2n, steps: 10, outDir: out });
    expect(report.failure).toBeUndefined();
    expect(report.counts.get('echoStore')).toEqual({ ran: 10, ok: 10 });
    // set-up, echo + store per event, then the teardown's two echoes and stores
    expect(report.steps).toBe(1 + 2 * 10 + 4);
    const steps = (
      JSON.parse(readFileSync(report.replayFile, 'utf8')) as {
        steps: { tx?: { function: string; arguments: string[] } }[];
      }
    ).steps;
    // the store after an echo of 5 stores what the contract returned: 0x05
    const echo = report.events[0].params as { value: number };
    expect(steps[1].tx).toMatchObject({ function: 'echo', arguments: [`${echo.value}`] });
    expect(steps[2].tx!.arguments[1]).toBe(`0x${echo.value.toString(16).padStart(echo.value > 255 ? 4 : 2, '0')}`);
    expect(steps[steps.length - 1].tx!.arguments[0]).toBe("''end2");
    expect(await runScenario(report.replayFile)).toMatchObject({ passed: true });
  });

  it('a run that held but proved nothing fails as vacuous, and is not shrunk', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'fuzz-out-'));
    const report = await fuzzRun(echoFuzzer(path.join(dir, 'contract.wasm')), { seed: 2n, steps: 2, outDir: out });
    expect(report.failure).toMatchObject({ title: VACUOUS, event: 3, differences: ['fewer than 3 echoes stored'] });
    expect(report.shrunk).toBeUndefined();
  });
});
