import { VMError, ErrorCode } from './errors';

/** The reference's marshalizer kinds. Only JSON is spoken here. */
export enum MarshalizerKind {
  JSON = 0,
  Gob = 1,
}

/** Refuses Gob (Go-only) and unknown kinds, where the reference would silently fall back to JSON. */
export function assertSupportedMarshalizer(kind: number, what = 'marshalizer'): void {
  if (kind === MarshalizerKind.JSON) return;
  const name = kind === MarshalizerKind.Gob ? 'gob (Go-only; use JSON, kind 0)' : `unknown kind ${kind}`;
  throw new VMError(ErrorCode.UnsupportedMarshalizer, `${what}: ${name}`);
}
