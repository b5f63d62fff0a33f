/**
 * The one error class of dme-vm. Each package declares its codes as a frozen table (code -> message, critical),
 * built with `defineErrors`; callers branch on `code` (or on `family`), never on message text.
 * `critical` is the reference's CriticalError bit: a critical error on the node side kills the VM process.
 */

export interface ErrorDefinition {
  readonly code: string;
  readonly message: string;
  readonly critical: boolean;
  /** A parent code: `VMError.is(err, parent)` matches the whole family, as the reference's wrapped sentinels do. */
  readonly family?: string;
}

type ErrorRows = Record<string, { readonly message: string; readonly critical: boolean; readonly family?: string }>;

export function defineErrors<T extends ErrorRows>(
  rows: T,
): { readonly [K in keyof T & string]: ErrorDefinition & { code: K } } {
  const table: Record<string, ErrorDefinition> = {};
  for (const [code, row] of Object.entries(rows)) table[code] = Object.freeze({ code, ...row });
  return Object.freeze(table) as { readonly [K in keyof T & string]: ErrorDefinition & { code: K } };
}

export class VMError extends Error {
  readonly code: string;
  readonly critical: boolean;
  readonly family: string | undefined;
  readonly detail: string | undefined;

  constructor(definition: ErrorDefinition, detail?: string, options?: { cause?: unknown; critical?: boolean }) {
    super(
      detail ? `${definition.message}: ${detail}` : definition.message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'VMError';
    this.code = definition.code;
    this.critical = options?.critical ?? definition.critical;
    this.family = definition.family;
    this.detail = detail;
  }

  /** True when `error` is a VMError of `definition`'s code or of its family. */
  static is(error: unknown, definition: ErrorDefinition): error is VMError {
    return error instanceof VMError && (error.code === definition.code || error.family === definition.code);
  }

  static isCritical(error: unknown): boolean {
    return error instanceof VMError && error.critical;
  }

  toJSON(): { name: string; code: string; critical: boolean; message: string } {
    return { name: this.name, code: this.code, critical: this.critical, message: this.message };
  }
}

/** Protocol-level errors, shared by both sides of the pipe. Messages of the reference's sentinels are kept verbatim. */
export const ErrorCode = defineErrors({
  // the reference's sentinels (ipc/common/errors.go)
  ArwenTimeExpired: { message: 'arwen time expired', critical: true },
  ArwenNotFound: { message: 'arwen binary not found', critical: true },
  InvalidDialogueNonce: { message: 'invalid dialogue nonce', critical: true },
  StopPerNodeRequest: { message: 'arwen will stop, as requested', critical: true },
  BadRequestFromNode: { message: 'bad message from node', critical: true },
  BadMessageFromArwen: { message: 'bad message from arwen', critical: true },
  CannotSendContractRequest: { message: 'cannot send contract request', critical: true },
  CannotSendHookCallResponse: { message: 'cannot send hook call response', critical: true },
  CannotSendHookCallRequest: { message: 'cannot send hook call request', critical: true },
  CannotReceiveHookCallResponse: { message: 'cannot receive hook call response', critical: true },
  BadHookResponseFromNode: { message: 'bad hook response from node', critical: true },
  // ours: the node's BlockchainHook failed (threw, or answered with an error); the execution is aborted, never
  // run on a made-up value. Not critical: the VM process is fine, only this request fails.
  HookFailed: { message: 'blockchain hook failed', critical: false },
  // ours: a contract request with values a node never sends (negative value, unknown call type...): refused.
  InvalidContractInput: { message: 'invalid contract input', critical: false },
  // ours: a built-in function's own failure (the reference's ProcessBuiltInFunction error): the execution fails
  // with its text, as in the reference. Thrown by a node's processBuiltInFunction to say "this call failed".
  BuiltinFunctionFailed: { message: 'built-in function failed', critical: false },
  // the wire: every malformed frame has its own code, all in the BadFrame family
  BadFrame: { message: 'bad frame', critical: true },
  InvalidPreamble: { message: 'invalid frame preamble', critical: true, family: 'BadFrame' },
  TruncatedPreamble: { message: 'truncated frame preamble', critical: true, family: 'BadFrame' },
  FrameTooLarge: { message: 'frame too large', critical: true, family: 'BadFrame' },
  // ours: a message over the frame limit was not sent (nothing written, the dialogue unchanged): only the
  // request fails. Critical is for the reading side (FrameTooLarge): a sender can simply refuse.
  MessageTooLarge: { message: 'message larger than the frame limit; not sent', critical: false },
  UnknownKind: { message: 'unknown message kind', critical: true, family: 'BadFrame' },
  KindMismatch: { message: 'preamble kind does not match payload kind', critical: true, family: 'BadFrame' },
  InvalidJson: { message: 'payload is not valid JSON', critical: true, family: 'BadFrame' },
  SchemaViolation: { message: 'payload does not match the message schema', critical: true, family: 'BadFrame' },
  InvalidBinary: { message: 'payload is not a valid binary message', critical: true, family: 'BadFrame' },
  PeerClosedMidFrame: { message: 'peer closed mid-frame', critical: true, family: 'BadFrame' },
  UnsupportedMarshalizer: { message: 'unsupported marshalizer', critical: true },
  InvalidMessage: { message: 'invalid message', critical: true },
  // transport
  Timeout: { message: 'timeout', critical: true },
  PeerClosed: { message: 'peer closed the connection', critical: true },
  MessengerClosed: { message: 'messenger closed', critical: true },
  WriteFailed: { message: 'write failed', critical: true },
  ReadFailed: { message: 'read failed', critical: true },
});
