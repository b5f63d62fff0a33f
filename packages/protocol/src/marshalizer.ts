import { VMError, ErrorCode } from './errors';

/**
 * Marshalizer kinds, as Initialize names them. JSON and Gob are the reference's; Binary is ours (see
 * wire/binary/), for the main channel between two dme-vm processes. Gob (Go-only) is never spoken here.
 */
export enum MarshalizerKind {
  JSON = 0,
  Gob = 1,
  Binary = 2,
}

/**
 * Refuses a marshalizer kind outside `supported`, where the reference would silently fall back to JSON.
 * By default only JSON is accepted (the log channel, and any peer that is not known to be dme-vm).
 */
export function assertSupportedMarshalizer(
  kind: number,
  what = 'marshalizer',
  supported: readonly MarshalizerKind[] = [MarshalizerKind.JSON],
): void {
  if (supported.includes(kind)) return;
  const name =
    kind === MarshalizerKind.Gob
      ? 'gob (Go-only)'
      : MarshalizerKind[kind]
        ? `${MarshalizerKind[kind]} (kind ${kind})`
        : `unknown kind ${kind}`;
  throw new VMError(
    ErrorCode.UnsupportedMarshalizer,
    `${what}: ${name}; supported: ${supported.map((k) => `${MarshalizerKind[k]} (${k})`).join(', ')}`,
  );
}
