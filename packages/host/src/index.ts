export { VMHost, EEI_ROWS } from './vmHost';
export { createGasSchedule, loadGasSchedule, readGasScheduleFile, gasCost, GAS_SECTION_KEYS } from './gas/gasSchedule';
export { OPCODE_COST_KEYS } from './gas/opcodeCostKeys';
export { createCryptoHook } from './eei/crypto';
export { instrumentModule, INJECTED, INJECTED_BREAKPOINT, MEMORY_IMPORT } from './wasm/instrument';
export { parseModuleLayout } from './wasm/moduleLayout';
export { InvalidModule } from './wasm/binary';
export { WASM_LIMITS, MAX_MEMORY_PAGES, CALL_DEPTH_BUDGET } from './wasm/limits';
export { HostError } from './errors';
export { StorageStatus } from './contexts/storage';

export type { VMHostOptions } from './vmHost';
export type { GasSchedule, GasKey, GasSection } from './gas/gasSchedule';
export type { EeiRow } from './eei/table';
export type { ModuleLayout } from './wasm/moduleLayout';
