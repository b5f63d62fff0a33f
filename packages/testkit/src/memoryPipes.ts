import { PassThrough } from 'node:stream';

export interface StreamEnd {
  input: PassThrough;
  output: PassThrough;
}

/** Two connected in-memory endpoints: what `a` writes, `b` reads, and back. */
export function memoryPipes(): { a: StreamEnd; b: StreamEnd } {
  const aToB = new PassThrough();
  const bToA = new PassThrough();
  return { a: { input: bToA, output: aToB }, b: { input: aToB, output: bToA } };
}
