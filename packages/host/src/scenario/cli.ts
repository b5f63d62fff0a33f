/**
 * vm-scenario [options] PATH...: runs scenario files and legacy test files (a directory: every *.scen.json and
 * *.test.json below it, each on a fresh world). Results on stdout, the last line `N passed, N failed`; usage errors
 * and diagnostics on stderr. Exit 0 only if every file passed, 1 if one failed, 2 for a usage error (bad options,
 * an unreadable path, no scenario found). `vm-scenario fmt PATH... [--check] [--write]` formats instead (fmt.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { loadGasSchedule } from '../gas/gasSchedule';
import { colors, colorsWanted } from './colors';
import { runFmt } from './fmt';
import type { GasRecord } from './gasMeter';
import { gasReport, jsonReport, junitXml, reportPathProblem, writeReport } from './reports';
import { findScenarios, runScenario, type ScenarioOptions, type ScenarioResult } from './runScenario';

export interface CliIo {
  /** Results. */
  out(line: string): void;
  /** Usage errors and diagnostics (default: `out`). */
  err?(line: string): void;
  /** Colour the results (default false). */
  color?: boolean;
}

interface Options {
  protectedPrefix: string;
  gasSchedule?: string;
  replace: string[];
  json?: string;
  junit?: string;
  filter?: string;
  bail?: boolean;
  gasReport?: boolean;
}

const VERSION = (
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

const consoleIo = (): CliIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  color: colorsWanted(process.env, process.stdout.isTTY === true),
});

function program(io: CliIo, err: (line: string) => void): Command {
  return new Command()
    .name('vm-scenario')
    .description(
      'Run smart-contract scenarios (mandos *.scen.json) and legacy tests (*.test.json) against the VM on an ' +
        'in-memory world; a directory runs every *.scen.json and *.test.json below it. ' +
        '`vm-scenario fmt PATH... [--check] [--write]` formats scenario files instead (see `vm-scenario fmt --help`). ' +
        'Exit 0: all passed; 1: a file failed; 2: a usage error (bad option, unreadable path, no scenario found).',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .argument('<paths...>', 'scenario or test files, or directories')
    .option('--filter <pattern>', 'run only the files whose path matches this regular expression')
    .option('--bail', 'stop after the first file that fails')
    .option('--json <file>', 'write the results as JSON (durations, messages, structured differences)')
    .option('--junit <file>', 'write the results as JUnit XML, for CI systems')
    .option('--gas-report', 'print the gas used per transaction and per function')
    .option('--protected-prefix <prefix>', 'storage-key prefix reserved to the protocol', 'KALYAN3104')
    .option(
      '--gas-schedule <file>',
      'gas schedule (.toml or .json); default: every cost 1, AsyncCallbackGasLock 100000',
    )
    .option(
      '--replace <from=to>',
      'rewrite a file: path (repeatable)',
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => err(s.trimEnd()) });
}

/** The options checked and the files found, before anything runs; a string is a usage error. */
function prepare(
  command: Command,
  extra: Partial<ScenarioOptions>,
): string | { options: Options; scenarioOptions: ScenarioOptions; files: string[] } {
  const options = command.opts<Options>();
  const replacements = new Map<string, string>();
  for (const rule of options.replace) {
    const [from, to] = rule.split('=');
    if (!from || !to) return `--replace expects FROM=TO, got ${JSON.stringify(rule)}`;
    replacements.set(from, to);
  }
  const scenarioOptions: ScenarioOptions = { ...extra, protectedKeyPrefix: options.protectedPrefix, replacements };
  try {
    if (options.gasSchedule) scenarioOptions.gasSchedule = loadGasSchedule(options.gasSchedule);
  } catch (error) {
    return `cannot load the gas schedule: ${(error as Error).message}`;
  }
  let filter: RegExp | undefined;
  try {
    if (options.filter !== undefined) filter = new RegExp(options.filter);
  } catch (error) {
    return `--filter: ${(error as Error).message}`;
  }
  for (const [flag, file] of [
    ['--json', options.json],
    ['--junit', options.junit],
  ] as const) {
    const problem = file === undefined ? undefined : reportPathProblem(file);
    if (problem) return `${flag}: cannot write ${file}: ${problem}`;
  }
  const files: string[] = [];
  for (const target of command.args) {
    let found: string[];
    try {
      found = findScenarios(target);
    } catch (error) {
      return `cannot read ${target}: ${(error as Error).message}`;
    }
    if (found.length === 0) return `no scenario found in ${target} (looked for *.scen.json and *.test.json)`;
    files.push(...found);
  }
  const chosen = filter ? files.filter((f) => filter.test(f)) : files;
  if (chosen.length === 0) return `no scenario matches --filter ${options.filter} (of ${files.length} found)`;
  return { options, scenarioOptions, files: chosen };
}

export async function runCli(
  argv: string[],
  io: CliIo = consoleIo(),
  extra: Partial<ScenarioOptions> = {},
): Promise<number> {
  const err = io.err ?? io.out;
  if (argv[0] === 'fmt') return runFmt(argv.slice(1), { out: (text) => io.out(text.replace(/\n$/, '')), err });
  const command = program(io, err);
  try {
    command.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return 0; // --help, --version
    return 2;
  }
  const prepared = prepare(command, extra);
  if (typeof prepared === 'string') {
    err(`vm-scenario: ${prepared}`);
    return 2;
  }
  const { options, scenarioOptions, files } = prepared;
  const c = colors(io.color ?? false);
  const gas: GasRecord[] = [];
  let current = '';
  if (options.gasReport) scenarioOptions.onExecution = (record) => gas.push({ file: current, ...record });

  const started = performance.now();
  const results: ScenarioResult[] = [];
  for (const file of files) {
    current = file;
    const result = await runScenario(file, scenarioOptions);
    results.push(result);
    const mark = result.passed ? c.green('✓') : c.red('✗');
    io.out(`${mark} ${file} ${c.dim(`(${result.durationMs.toFixed(0)} ms)`)}`);
    if (result.cases)
      io.out(`    ${result.cases.filter((k) => k.passed).length} of ${result.cases.length} test cases passed`);
    if (!result.passed) io.out(`    ${result.message!.split('\n').join('\n    ')}`);
    if (!result.passed && options.bail) {
      if (results.length < files.length)
        io.out(`stopped at the first failure (--bail): ${files.length - results.length} not run`);
      break;
    }
  }
  const durationMs = performance.now() - started;
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  if (options.json) writeReport(options.json, jsonReport(results, durationMs));
  if (options.junit) writeReport(options.junit, junitXml(results, durationMs));
  if (options.gasReport) for (const line of gasReport(gas)) io.out(line);
  const summary = `${passed} passed, ${failed} failed`;
  io.out(failed === 0 ? c.green(summary) : c.red(summary));
  return failed === 0 ? 0 : 1;
}

/** The `vm-scenario` executable. */
export function main(): void {
  const argv = process.argv.slice(2);
  const run =
    argv[0] === 'fmt'
      ? Promise.resolve(
          runFmt(argv.slice(1), {
            out: (text) => process.stdout.write(text),
            err: (line) => process.stderr.write(`${line}\n`),
          }),
        )
      : runCli(argv);
  run.then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(2);
    },
  );
}
