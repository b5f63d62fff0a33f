/**
 * `@vm/host/scenario`: the scenario toolkit. Reading, running and writing `.scen.json` / `.steps.json` files
 * (and the legacy `.test.json`), the step-level executor and recorder, value expressions and the vm-scenario CLI.
 */
import '../wasm/webAssemblyTypes';

export { runScenario, runTestFile, findScenarios, referenceTestGasSchedule } from './runScenario';
export { parseScenarioFile, parseScenario, parseScenarioStep, parseTestFile, parseTest } from './parse';
export { writeScenario, writeStep, writeTestFile, writeAccounts } from './write';
export { ScenarioExecutor, ScenarioRecorder } from './executor';
export { runLegacyTest, convertTestToScenario } from './legacyTest';
export { dumpWorld, readableBytes } from './dumpState';
export { parseJson, writeJson } from './json';
export { ANY } from './model';
export { MemoryWorld } from './memoryWorld';
export { ScenarioError, evalBytes } from './valueExpression';
export { runCli } from './cli';

export type { ScenarioOptions, ScenarioResult } from './runScenario';
export type { ParseOptions } from './parse';
export type { WriteOptions } from './write';
export type { ExecutorOptions, StepResult, ScenarioRun } from './executor';
export type { TestCaseResult } from './legacyTest';
export type { JsonNode, JsonEntry } from './json';
export type { ScenarioErrorLocation, EvalContext } from './valueExpression';
export type * from './model';
export type {
  WorldAccount,
  BlockInfo as WorldBlockInfo,
  NewAddressMock as WorldNewAddressMock,
  ScenarioWorld,
} from './memoryWorld';
