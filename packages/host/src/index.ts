import './wasm/webAssemblyTypes';
export { VMHost, EEI_ROWS } from './vmHost';
export { createGasSchedule, loadGasSchedule, readGasScheduleFile, gasCost, GAS_SECTION_KEYS } from './gas/gasSchedule';
export { OPCODE_COST_KEYS } from './gas/opcodeCostKeys';
export { createCryptoHook } from './eei/crypto';
export { keccak256, keccakReady } from './eei/keccak';
export { instrumentModule, INJECTED, INJECTED_BREAKPOINT, MEMORY_IMPORT } from './wasm/instrument';
export { parseModuleLayout } from './wasm/moduleLayout';
export { InvalidModule } from './wasm/binary';
export { WASM_LIMITS, MAX_MEMORY_PAGES, CALL_DEPTH_BUDGET } from './wasm/limits';
export { HostError } from './errors';
export { StorageStatus } from './contexts/storage';
export { outputSize } from './contexts/output';

export type { VMHostOptions } from './vmHost';
export type { GasSchedule, GasKey, GasSection } from './gas/gasSchedule';
export type { EeiRow } from './eei/table';
export type { ModuleLayout } from './wasm/moduleLayout';
export { runScenario, runTestFile, findScenarios, referenceTestGasSchedule } from './scenario/runScenario';
export { parseScenarioFile, parseScenario, parseScenarioStep, parseTestFile, parseTest } from './scenario/parse';
export { writeScenario, writeStep, writeTestFile, writeAccounts } from './scenario/write';
export { ScenarioExecutor, ScenarioRecorder } from './scenario/executor';
export { runLegacyTest, convertTestToScenario } from './scenario/legacyTest';
export { dumpWorld, readableBytes } from './scenario/dumpState';
export { parseJson, writeJson } from './scenario/json';
export { ANY } from './scenario/model';
export { MemoryWorld } from './scenario/memoryWorld';
export { ScenarioError, evalBytes } from './scenario/valueExpression';
export type { ScenarioOptions, ScenarioResult } from './scenario/runScenario';
export type { ParseOptions } from './scenario/parse';
export type { WriteOptions } from './scenario/write';
export type { ExecutorOptions, StepResult, ScenarioRun } from './scenario/executor';
export type { TestCaseResult } from './scenario/legacyTest';
export type { JsonNode, JsonEntry } from './scenario/json';
export type { ScenarioErrorLocation, EvalContext } from './scenario/valueExpression';
export type * from './scenario/model';
export type {
  WorldAccount,
  BlockInfo as WorldBlockInfo,
  NewAddressMock as WorldNewAddressMock,
  ScenarioWorld,
} from './scenario/memoryWorld';
export { runCli } from './scenario/cli';
export { createBlockchainGateway } from './process/blockchainGateway';
export { runArwenLoop } from './process/arwenPart';
export type { BlockchainGateway } from './process/blockchainGateway';
export { createTestWorld, TestWorld, TestAccount, TestContract, TxResult, DEFAULT_GAS_LIMIT } from './testing/world';
export { u64, biguint, str, address, bytes, bool } from './testing/codecs';
export { TxFailure, TestInputError, TestAssertionError } from './testing/errors';
export { expectFailure, assertAccount } from './testing/assertions';
export type {
  TestWorldOptions,
  HandlerFactory,
  DeployOptions,
  CallOptions,
  QueryOptions,
  Outcome,
} from './testing/world';
export type { Codec, Decoded } from './testing/codecs';
export type { TestTransaction } from './testing/errors';
export type { ExpectedFailure, ExpectedAccount, FailureOutcome } from './testing/assertions';
export type { AddressLike } from './testing/inputs';
export { Rng } from './fuzz/rng';
export { play, drawEvent, fuzzContext, fuzzRecorder, sequence, VACUOUS } from './fuzz/framework';
export { fuzzRun, parseSeed, replayFileName, writeAtomic } from './fuzz/run';
export { ddmin } from './fuzz/shrink';
export { erc20Fuzzer } from './fuzz/erc20';
export { delegationFuzzer } from './fuzz/delegation';
export { fuzzModules, grammarModule, mutate } from './fuzz/modules';
export { runFuzzCli } from './fuzz/cli';
export type {
  Fuzzer,
  FuzzEvent,
  EventPlan,
  Invariant,
  FuzzSetup,
  FuzzContext,
  EventInstance,
  FuzzFailure,
  PlayResult,
  PlayOptions,
  TeardownPhase,
} from './fuzz/framework';
export type { FuzzRunOptions, FuzzRunReport } from './fuzz/run';
export type { Erc20FuzzerOptions } from './fuzz/erc20';
export type { DelegationFuzzerOptions } from './fuzz/delegation';
export type { ModuleFuzzOptions, ModuleFuzzReport, ModuleFinding, ModuleSource } from './fuzz/modules';
export type { FuzzCliIo } from './fuzz/cli';
export { fuzzDifferential, canonicalOutput, firstDifference, LANES } from './fuzz/differential';
export type { DifferentialReport, Divergence } from './fuzz/differential';
export {
  DebugFacade,
  DebugWorld,
  startDebugServer,
  runDebugCli,
  loadWorld as loadDebugWorld,
  saveWorld as saveDebugWorld,
  WorldFileError,
  RequestError,
  MAX_BODY_BYTES,
  DEFAULT_QUERY_GAS_LIMIT,
} from './debug';
export type { FacadeOptions, ContractResponse, DebugServer, DebugServerOptions, AccountJson } from './debug';
