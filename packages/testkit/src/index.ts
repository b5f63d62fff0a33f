export { fieldArb, shapeArb, messageArb, bytesArb, canonicalMessage, WIRE_KINDS } from './arbitraries';
export { memoryPipes } from './memoryPipes';
export { rawFrame, chunked } from './frames';
export type { StreamEnd } from './memoryPipes';
