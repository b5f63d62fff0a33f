/**
 * vm-scenario [--protected-prefix P] [--gas-schedule FILE] [--replace FROM=TO]... [--json FILE] PATH...
 * Runs scenario files and legacy test files (a directory: every *.scen.json and *.test.json below it, each on a
 * fresh world). The last line printed is `N passed, N failed`; the exit code is 0 only if every file passed.
 * `vm-scenario fmt PATH... [--check] [--write]` formats instead (fmt.ts).
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadGasSchedule } from '../gas/gasSchedule';
import { runFmt } from './fmt';
import { findScenarios, runScenario, type ScenarioOptions, type ScenarioResult } from './runScenario';

export interface CliIo {
  out(line: string): void;
}

export async function runCli(
  argv: string[],
  io: CliIo = { out: (line) => process.stdout.write(`${line}\n`) },
  extra: Partial<ScenarioOptions> = {},
): Promise<number> {
  if (argv[0] === 'fmt') return runFmt(argv.slice(1), { out: (text) => io.out(text.replace(/\n$/, '')), err: io.out });
  const program = new Command()
    .name('vm-scenario')
    .description(
      'Run smart-contract scenarios (mandos *.scen.json) and legacy tests (*.test.json) against the VM on an ' +
        'in-memory world; a directory runs every *.scen.json and *.test.json below it. ' +
        '`vm-scenario fmt PATH... [--check] [--write]` formats scenario files instead (see `vm-scenario fmt --help`).',
    )
    .argument('<paths...>', 'scenario or test files, or directories')
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
    .option('--json <file>', 'write the results as JSON')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.out(s.trimEnd()) });
  try {
    program.parse(argv, { from: 'user' });
  } catch {
    return 2;
  }
  const options = program.opts<{ protectedPrefix: string; gasSchedule?: string; replace: string[]; json?: string }>();
  const replacements = new Map<string, string>();
  for (const rule of options.replace) {
    const [from, to] = rule.split('=');
    if (!from || !to) {
      io.out(`--replace expects FROM=TO, got ${JSON.stringify(rule)}`);
      return 2;
    }
    replacements.set(from, to);
  }
  const scenarioOptions: ScenarioOptions = { ...extra, protectedKeyPrefix: options.protectedPrefix, replacements };
  try {
    if (options.gasSchedule) scenarioOptions.gasSchedule = loadGasSchedule(options.gasSchedule);
  } catch (error) {
    io.out(`cannot load the gas schedule: ${(error as Error).message}`);
    return 2;
  }

  const results: ScenarioResult[] = [];
  for (const target of program.args) {
    let files: string[];
    try {
      files = findScenarios(target);
    } catch (error) {
      results.push({
        path: target,
        passed: false,
        message: `cannot read ${target}: ${(error as Error).message}`,
        durationMs: 0,
      });
      io.out(`✗ ${target}\n    cannot read: ${(error as Error).message}`);
      continue;
    }
    for (const file of files) {
      const result = await runScenario(file, scenarioOptions);
      results.push(result);
      io.out(`${result.passed ? '✓' : '✗'} ${file} (${result.durationMs.toFixed(0)} ms)`);
      if (result.cases)
        io.out(`    ${result.cases.filter((c) => c.passed).length} of ${result.cases.length} test cases passed`);
      if (!result.passed) io.out(`    ${result.message!.split('\n').join('\n    ')}`);
    }
  }
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  if (options.json) {
    writeFileSync(
      options.json,
      JSON.stringify(
        {
          passed,
          failed,
          scenarios: results.map(({ path, passed: ok, message }) => ({ path, passed: ok, message: message ?? null })),
        },
        null,
        2,
      ),
    );
  }
  io.out(`${passed} passed, ${failed} failed`);
  return failed === 0 && results.length > 0 ? 0 : 1;
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
