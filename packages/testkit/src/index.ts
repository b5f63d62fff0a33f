export { fieldArb, shapeArb, messageArb, bytesArb, canonicalMessage, WIRE_KINDS } from './arbitraries';
export { memoryPipes } from './memoryPipes';
export { rawFrame, chunked } from './frames';
export { wat, wasmToWat } from './wat';
export { EMITTER_WAT, EMITTER_MEMORY_BYTES } from './emitter';
export {
  CONFORMANCE_DIR,
  CONFORMANCE_ABSENT_MESSAGE,
  referenceContract,
  conformanceFile,
  describeWithConformance,
} from './conformance';
export { FakeBlockchainHook } from './fakeHook';
export { address, CALLER, callInput, createInput, hex, text } from './inputs';
export { rejection, expectRejects } from './errors';
export { captureLogs, eventually } from './logCapture';

export type { StreamEnd } from './memoryPipes';
export type { FakeAccount } from './fakeHook';
export type { LogCapture, LogRecord } from './logCapture';
