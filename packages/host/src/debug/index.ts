export { DebugFacade, DEFAULT_GAS_PRICE, DEFAULT_QUERY_GAS_LIMIT } from './facade';
export type { FacadeOptions, Operation, ContractResponse } from './facade';
export { startDebugServer, MAX_BODY_BYTES } from './server';
export type { DebugServer, DebugServerOptions } from './server';
export { DebugWorld, loadWorld, saveWorld, WorldFileError } from './debugWorld';
export type { AccountJson } from './debugWorld';
export { RequestError } from './requests';
export { runDebugCli } from './cli';
