import { VMError, ErrorCode } from '@vm/protocol';

/**
 * The dialogue nonce (reference ipc/common/messenger.go): one shared sequence per dialogue. Each side stamps
 * `nonce + 1` on what it sends and requires exactly `nonce + 1` on what it receives, so node messages are odd
 * and VM messages even; both reset to 0 at the end of every dialogue.
 */
export class Dialogue {
  private nonce = 0;

  get current(): number {
    return this.nonce;
  }

  /** The nonce the next outgoing message will carry. */
  get next(): number {
    return (this.nonce + 1) >>> 0;
  }

  /** The nonce for the next outgoing message. */
  stamp(): number {
    this.nonce = (this.nonce + 1) >>> 0;
    return this.nonce;
  }

  /** Accepts the nonce of an incoming message, or throws the critical InvalidDialogueNonce. */
  check(received: number): void {
    const expected = (this.nonce + 1) >>> 0;
    if (received !== expected)
      throw new VMError(ErrorCode.InvalidDialogueNonce, `expected ${expected}, received ${received}`);
    this.nonce = received;
  }

  reset(): void {
    this.nonce = 0;
  }
}
