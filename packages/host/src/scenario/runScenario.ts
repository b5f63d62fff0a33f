/**
 * Runs scenario files (`*.scen.json`) and legacy test files (`*.test.json`) against any VMExecutionHandler on an
 * in-memory world, through the step-level executor (executor.ts), with the reference runner's semantics.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PROTECTED_KEY_PREFIX, type VMExecutionHandler } from '@vm/protocol';
import type { GasSchedule } from '../gas/gasSchedule';
import { VMHost } from '../vmHost';
import { ScenarioExecutor, referenceTestGasSchedule } from './executor';
import { runLegacyTest, type TestCaseResult } from './legacyTest';
import type { Difference } from './checks';
import { meterGas, type GasRecord } from './gasMeter';
import { MemoryWorld } from './memoryWorld';
import { parseScenarioFile, parseTestFile } from './parse';
import { ScenarioError } from './valueExpression';

export { referenceTestGasSchedule };

export interface ScenarioOptions {
  /** The VM under test, given the world as its BlockchainHook. Default: an in-process VMHost. */
  createHandler?: (
    world: MemoryWorld,
    options: { protectedKeyPrefix: string; gasSchedule: GasSchedule },
  ) => VMExecutionHandler;
  /** Default `KALYAN3104`; the runner's validatorReward key is this prefix + "reward". */
  protectedKeyPrefix?: string;
  /** Default: the reference runner's schedule (every cost 1, AsyncCallbackGasLock 100000). */
  gasSchedule?: GasSchedule;
  /** `file:` path rewrites. */
  replacements?: ReadonlyMap<string, string>;
  /** Where `file:` and externalSteps paths of the file are relative to (default: its own directory). */
  baseDir?: string;
  /** Where dumpState steps print (default: stdout). */
  out?: (text: string) => void;
  /** Called after every execution the VM runs (for gas reports). */
  onExecution?: (record: Omit<GasRecord, 'file'>) => void;
}

export interface ScenarioResult {
  readonly path: string;
  readonly passed: boolean;
  readonly message?: string;
  readonly durationMs: number;
  /** For a `.test.json` file: each test case. */
  readonly cases?: readonly TestCaseResult[];
  /** For a failed scenario: what differed in its failing step. */
  readonly differences?: readonly Difference[];
}

const defaultHandler: NonNullable<ScenarioOptions['createHandler']> = (world, { protectedKeyPrefix, gasSchedule }) =>
  new VMHost({ blockchainHook: world, gasSchedule, protectedKeyPrefix, blockGasLimit: 10_000_000n });

/** Every `*.scen.json` and `*.test.json` below `target` (or `target` itself), in lexical order. */
export function findScenarios(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  const found: string[] = [];
  for (const entry of readdirSync(target).sort()) {
    const full = path.join(target, entry);
    if (statSync(full).isDirectory()) found.push(...findScenarios(full));
    else if (entry.endsWith('.scen.json') || entry.endsWith('.test.json')) found.push(full);
  }
  return found;
}

function executorFor(options: ScenarioOptions): ScenarioExecutor {
  const world = new MemoryWorld();
  const protectedKeyPrefix = options.protectedKeyPrefix ?? DEFAULT_PROTECTED_KEY_PREFIX;
  const handler = (options.createHandler ?? defaultHandler)(world, {
    protectedKeyPrefix,
    gasSchedule: options.gasSchedule ?? referenceTestGasSchedule(),
  });
  const vm = options.onExecution ? meterGas(handler, options.onExecution) : handler;
  return new ScenarioExecutor({ world, vm, protectedKeyPrefix, replacements: options.replacements, out: options.out });
}

/** One file on a fresh world: a `.test.json` as legacy tests, anything else as a scenario. Never throws. */
export async function runScenario(file: string, options: ScenarioOptions = {}): Promise<ScenarioResult> {
  if (file.endsWith('.test.json')) return runTestFile(file, options);
  const started = performance.now();
  const parseOptions = { replacements: options.replacements, baseDir: options.baseDir };
  try {
    const scenario = parseScenarioFile(file, parseOptions);
    const run = await executorFor(options).executeScenario(
      options.baseDir ? { ...scenario, file: path.join(options.baseDir, path.basename(file)) } : scenario,
    );
    const differences = run.passed ? undefined : run.results.at(-1)?.details;
    return {
      path: file,
      passed: run.passed,
      message: run.message,
      durationMs: performance.now() - started,
      differences,
    };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return { path: file, passed: false, message: error.message, durationMs: performance.now() - started };
  }
}

/** Every test case of a legacy `.test.json` file, each on a cleared world. Never throws. */
export async function runTestFile(file: string, options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const started = performance.now();
  try {
    const parsed = parseTestFile(file, { replacements: options.replacements, baseDir: options.baseDir });
    const executor = executorFor(options);
    const cases: TestCaseResult[] = [];
    for (const test of parsed.tests) cases.push(await runLegacyTest(test, executor));
    const failed = cases.filter((c) => !c.passed);
    return {
      path: file,
      passed: failed.length === 0 && cases.length > 0,
      message:
        cases.length === 0
          ? `${file}: no test cases`
          : failed.length > 0
            ? failed.map((c) => `${c.name}: ${c.message}`).join('\n')
            : undefined,
      durationMs: performance.now() - started,
      cases,
    };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return { path: file, passed: false, message: error.message, durationMs: performance.now() - started };
  }
}
