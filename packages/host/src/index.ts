/**
 * `@vm/host`: the VM in process (`VMHost`), its gas schedule and contract API table, the in-memory world, the VM
 * side of the process protocol and the wasm rewriter. Contract tests, scenarios, the fuzzer and the debug node
 * have their own entry points: `@vm/host/testing`, `@vm/host/scenario`, `@vm/host/fuzz`, `@vm/host/debug`.
 */
import './wasm/webAssemblyTypes';

export { VMHost, EEI_ROWS } from './vmHost';
export { createGasSchedule, loadGasSchedule, readGasScheduleFile, gasCost, GAS_SECTION_KEYS } from './gas/gasSchedule';
export { referenceTestGasSchedule } from './scenario/runScenario';
export { OPCODE_COST_KEYS } from './gas/opcodeCostKeys';
export { createCryptoHook } from './eei/crypto';
export { keccak256, keccakReady } from './eei/keccak';
export { MemoryWorld } from './scenario/memoryWorld';
export { outputSize } from './contexts/output';
export { StorageStatus } from './contexts/storage';
export { HostError } from './errors';
export { instrumentModule, INJECTED, INJECTED_BREAKPOINT, MEMORY_IMPORT } from './wasm/instrument';
export { parseModuleLayout } from './wasm/moduleLayout';
export { InvalidModule } from './wasm/binary';
export { WASM_LIMITS, MAX_MEMORY_PAGES, CALL_DEPTH_BUDGET } from './wasm/limits';
export { createBlockchainGateway } from './process/blockchainGateway';
export { runArwenLoop } from './process/arwenPart';

export type { VMHostOptions } from './vmHost';
export type { GasSchedule, GasKey, GasSection } from './gas/gasSchedule';
export type { EeiRow } from './eei/table';
export type {
  WorldAccount,
  BlockInfo as WorldBlockInfo,
  NewAddressMock as WorldNewAddressMock,
  ScenarioWorld,
} from './scenario/memoryWorld';
export type { ModuleLayout } from './wasm/moduleLayout';
export type { BlockchainGateway } from './process/blockchainGateway';
