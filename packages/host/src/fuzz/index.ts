/**
 * `@vm/host/fuzz`: the vm-fuzz framework. A seeded PRNG, fuzzers as event tables with invariants, runs that write
 * a replayable scenario on failure, shrinking (ddmin), the erc20 fuzzer and the differential mode (in-process VM
 * against the process stack), the delegation fuzzer and module fuzzing.
 */
import '../wasm/webAssemblyTypes';

export { Rng } from './rng';
export { play, drawEvent, fuzzContext, fuzzRecorder, sequence, VACUOUS } from './framework';
export { fuzzRun, parseSeed, replayFileName, writeAtomic } from './run';
export { ddmin } from './shrink';
export { erc20Fuzzer } from './erc20';
export { delegationFuzzer } from './delegation';
export { fuzzModules, grammarModule, mutate } from './modules';
export { fuzzDifferential, canonicalOutput, firstDifference, LANES } from './differential';
export { runFuzzCli } from './cli';

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
} from './framework';
export type { FuzzRunOptions, FuzzRunReport } from './run';
export type { Erc20FuzzerOptions } from './erc20';
export type { DelegationFuzzerOptions } from './delegation';
export type { ModuleFuzzOptions, ModuleFuzzReport, ModuleFinding, ModuleSource } from './modules';
export type { DifferentialReport, Divergence } from './differential';
export type { FuzzCliIo } from './cli';
