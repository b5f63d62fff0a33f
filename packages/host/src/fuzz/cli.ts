/**
 * vm-fuzz <fuzzer> [--seed N] [--steps N] [--runs N] [--out DIR] [--contract FILE] [--accounts N]
 * Runs a fuzzer for N runs (seeds seed, seed+1, ...); the seed is printed first, so `--seed` replays a run exactly.
 * Each run writes its replay to DIR, and a failing run also its shrunk replay. Exit 0 only if every run held.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Command } from 'commander';
import { delegationFuzzer } from './delegation';
import { erc20Fuzzer } from './erc20';
import type { Fuzzer } from './framework';
import { fuzzDifferential } from './differential';
import { fuzzModules, type ModuleFuzzReport } from './modules';
import { fuzzRun, parseSeed, type FuzzRunOptions, type FuzzRunReport } from './run';

export interface FuzzCliIo {
  out(line: string): void;
  /** A progress line, rewritten in place (only on a TTY). */
  progress?(line: string): void;
}

/** Next to the repository, as the test kit finds it. */
const CONFORMANCE = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'conformance');

interface CliOptions {
  seed?: string;
  steps: string;
  runs: string;
  out: string;
  contract?: string;
  accounts?: string;
  checkEvery?: string;
  mintOnTransfer?: string;
  processes?: boolean;
  protectedPrefix?: string;
  binaryen?: string;
}

/** The fuzzers by name: their default contract and how they are built from the options. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const FUZZERS: Record<string, { contract: string; make(o: CliOptions, contract: string): Fuzzer<any> }> = {
  erc20: {
    contract: path.join(CONFORMANCE, 'test', 'erc20', 'contracts', 'erc20-c.wasm'),
    make: (o, contract) =>
      erc20Fuzzer({
        contract,
        accounts: o.accounts === undefined ? undefined : positive(o.accounts, '--accounts'),
        checkEvery: o.checkEvery === undefined ? undefined : positive(o.checkEvery, '--check-every'),
        mintOnTransfer: o.mintOnTransfer === undefined ? undefined : positive(o.mintOnTransfer, '--mint-on-transfer'),
      }),
  },
  delegation: {
    contract: path.join(CONFORMANCE, 'test', 'delegation_v0.3', 'delegation.wasm'),
    make: (o, contract) =>
      delegationFuzzer({
        contract,
        auction: path.join(path.dirname(contract), 'auction-mock.wasm'),
        delegators: o.accounts === undefined ? undefined : positive(o.accounts, '--accounts'),
        checkEvery: o.checkEvery === undefined ? undefined : positive(o.checkEvery, '--check-every'),
      }),
  },
};

function positive(text: string, option: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new RangeError(`${option} expects a positive integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

export function summary(report: FuzzRunReport): string[] {
  const counts = [...report.counts].map(([name, c]) => `${name} ${c.ok}/${c.ran}`).join(', ');
  const lines = [
    `${report.held ? 'held' : 'FAILED'}: ${report.events.length} events, ${report.steps} steps ` +
      `(${((report.steps * 1000) / report.durationMs).toFixed(0)} steps/s); succeeded/ran: ${counts}`,
    `  replay: ${report.replayFile}`,
  ];
  if (report.failure) {
    const f = report.failure;
    lines.push(
      `  ${f.title} at event ${f.event}, replay step ${f.step} (seed ${report.seed}):`,
      ...f.differences.map((d) => `    ${d}`),
    );
  }
  if (report.shrunk)
    lines.push(
      `  shrunk to ${report.shrunk.events.length} events (${report.shrunk.failure.title} at replay step ${report.shrunk.failure.step}): ${report.shrunk.file}`,
    );
  return lines;
}

export async function runFuzzCli(
  argv: string[],
  io: FuzzCliIo = { out: (line) => process.stdout.write(`${line}\n`) },
): Promise<number> {
  const program = new Command()
    .name('vm-fuzz')
    .description('Seeded, replayable, shrinking fuzzing of a contract against a model, with invariants.')
    .argument('<fuzzer>', `one of: ${[...Object.keys(FUZZERS), 'modules'].join(', ')}`)
    .option('--seed <n>', "the first run's seed (default: random, printed)")
    .option('--steps <n>', 'events per run', '300')
    .option('--runs <n>', 'runs, with seeds seed, seed+1, ... (modules: how many modules)', '1')
    .option('--binaryen <n>', "modules: this many more from binaryen's translate-to-fuzz (a process each)", '0')
    .option('--out <dir>', 'where the replays are written', 'fuzz-out')
    .option('--contract <file>', "the contract (default: the conformance suite's)")
    .option('--accounts <n>', 'token holders (erc20, default 5), delegators besides the owner (delegation, default 10)')
    .option('--check-every <n>', 'on-chain invariant checks every N events (default: erc20 20, delegation 100)')
    .option('--protected-prefix <p>', "the protocol's storage-key prefix (default: delegation ELROND, else KALYAN3104)")
    .option('--progress', 'progress lines (steps/s, events so far) also when stdout is not a TTY')
    .option('--processes', 'differential: also run each seed through VMDriver (JSON and Binary), compare every step')
    .option('--mint-on-transfer <n>', 'plant a bug: the model mints a token on the n-th transfer (erc20)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.out(s.trimEnd()) });
  try {
    program.parse(argv, { from: 'user' });
  } catch {
    return 2;
  }
  const options = program.opts<CliOptions>();
  const name = program.args[0];
  if (name === 'modules') return moduleCli(options, io);
  const entry = FUZZERS[name];
  let fuzzer: Fuzzer<unknown>, seed: bigint, steps: number, runs: number;
  try {
    if (!entry)
      throw new RangeError(`unknown fuzzer ${JSON.stringify(name)} (known: ${Object.keys(FUZZERS).join(', ')})`);
    seed = options.seed === undefined ? BigInt(randomBytes(4).readUInt32BE()) : parseSeed(options.seed);
    steps = positive(options.steps, '--steps');
    runs = positive(options.runs, '--runs');
    const made = entry.make(options, path.resolve(options.contract ?? entry.contract));
    fuzzer = { ...made, protectedKeyPrefix: options.protectedPrefix ?? made.protectedKeyPrefix };
  } catch (error) {
    io.out(`vm-fuzz: ${(error as Error).message}`);
    return 2;
  }
  const outDir = path.resolve(options.out);
  io.out(`vm-fuzz ${name}: seed ${seed}, ${steps} steps, ${runs} run${runs === 1 ? '' : 's'}`);
  let failed = 0;
  for (let run = 0; run < runs; run++) {
    const runSeed = BigInt.asUintN(64, seed + BigInt(run));
    const started = performance.now();
    const runOptions: FuzzRunOptions = {
      seed: runSeed,
      steps,
      outDir,
      saveOnInterrupt: true,
      onEvent: io.progress
        ? (index, executed) => {
            if (index % 50 === 0)
              io.progress!(
                `run ${run + 1} seed ${runSeed}: ${index}/${steps} events, ` +
                  `${((executed * 1000) / (performance.now() - started)).toFixed(0)} steps/s`,
              );
          }
        : undefined,
    };
    if (!options.processes) {
      const report = await fuzzRun(fuzzer, runOptions);
      if (!report.held) failed++;
      io.out(`run ${run + 1} seed ${runSeed}: ${summary(report).join('\n')}`);
      continue;
    }
    const differential = await fuzzDifferential(fuzzer, runOptions);
    const held = differential.lanes.every((l) => l.report.held) && !differential.divergence;
    if (!held) failed++;
    for (const { lane, report } of differential.lanes)
      io.out(`run ${run + 1} seed ${runSeed} ${lane}: ${summary(report).join('\n')}`);
    const d = differential.divergence;
    io.out(
      d
        ? `run ${run + 1} seed ${runSeed}: DIVERGED: ${d.lane} differs from in process at replay step ${d.step}:\n${d.differences.map((x) => `    ${x}`).join('\n')}`
        : `run ${run + 1} seed ${runSeed}: the ${differential.lanes.length} lanes agree at every step`,
    );
  }
  io.out(`${runs - failed} held, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

export function moduleSummary(r: ModuleFuzzReport): string[] {
  const g = r.generated;
  const total = g.grammar + g.mutated + g.binaryen;
  return [
    `${r.wrong.length === 0 ? 'held' : 'FAILED'}: ${total} modules (${g.grammar} from the grammar, ${g.mutated} mutated, ` +
      `${g.binaryen} from binaryen) in ${(r.durationMs / 1000).toFixed(1)} s (${((total * 1000) / r.durationMs).toFixed(0)} modules/s)`,
    `  ${r.rejected} rejected with a typed error; ${r.accepted} accepted: ${r.same} ran as under V8, ` +
      `${r.limited} ended by our limits first, ${r.notRun} not run (imports); ${r.wrong.length} wrong`,
    ...r.wrong.map((w) => `  module ${w.index} (${w.source}, seed ${r.seed}): ${w.problem}`),
    ...(r.wrong.length > 0 ? [`  first wrong module: ${r.wrong[0].file}`] : []),
  ];
}

async function moduleCli(options: CliOptions, io: FuzzCliIo): Promise<number> {
  let seed: bigint, modules: number, binaryen: number;
  try {
    seed = options.seed === undefined ? BigInt(randomBytes(4).readUInt32BE()) : parseSeed(options.seed);
    modules = positive(options.runs, '--runs');
    binaryen = options.binaryen === '0' ? 0 : positive(options.binaryen ?? '0', '--binaryen');
  } catch (error) {
    io.out(`vm-fuzz: ${(error as Error).message}`);
    return 2;
  }
  io.out(`vm-fuzz modules: seed ${seed}, ${modules} modules${binaryen > 0 ? ` + ${binaryen} from binaryen` : ''}`);
  const report = await fuzzModules({
    seed,
    modules,
    binaryen,
    outDir: path.resolve(options.out),
    onModule: io.progress
      ? (index) => index % 100 === 0 && io.progress!(`${index}/${modules + binaryen} modules`)
      : undefined,
  });
  for (const line of moduleSummary(report)) io.out(line);
  return report.wrong.length === 0 ? 0 : 1;
}

/** The `vm-fuzz` executable. */
export function main(): void {
  const tty = process.stdout.isTTY;
  const io: FuzzCliIo = {
    out: (line) => process.stdout.write(`${tty ? '\r\x1b[K' : ''}${line}\n`),
    // `--progress`: progress lines also when stdout is not a TTY (a log), one per line.
    progress: tty
      ? (line) => process.stdout.write(`\r\x1b[K${line}`)
      : process.argv.includes('--progress')
        ? (line) => process.stdout.write(`${line}\n`)
        : undefined,
  };
  runFuzzCli(process.argv.slice(2), io).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(2);
    },
  );
}
