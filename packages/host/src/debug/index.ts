/**
 * `@vm/host/debug`: the vm-debug node. World files, the request facade (one writer per world, across processes),
 * the HTTP server, the CLI, and a world's export as a scenario.
 */
import '../wasm/webAssemblyTypes';

export { DebugFacade, DEFAULT_GAS_PRICE, DEFAULT_QUERY_GAS_LIMIT } from './facade';
export { startDebugServer, MAX_BODY_BYTES } from './server';
export { DebugWorld, loadWorld, saveWorld, WorldFileError } from './debugWorld';
export { RequestError } from './requests';
export { runDebugCli } from './cli';
export { WorldLockedError, LOCK_WAIT_MS } from './worldLock';
export { exportScenario } from './scenarioExport';

export type { FacadeOptions, Operation, ContractResponse } from './facade';
export type { DebugServer, DebugServerOptions } from './server';
export type { AccountJson } from './debugWorld';
