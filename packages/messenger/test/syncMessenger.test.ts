import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SyncMessenger } from '@vm/messenger';
import {
  createMessage,
  decodeMessage,
  decodePreamble,
  encodeFrame,
  MessageKind,
  ErrorCode,
  VMError,
  type Message,
} from '@vm/protocol';
import { rawFrame } from '@vm/testkit';

// Regular files stand in for the fds: reads never block and end with EOF, which is what these cases need.
const dir = mkdtempSync(path.join(tmpdir(), 'sync-messenger-'));
let counter = 0;

function messengerReading(bytes: Buffer, options: { maxFrameSize?: number } = {}) {
  const inFile = path.join(dir, `in-${counter}`);
  const outFile = path.join(dir, `out-${counter++}`);
  writeFileSync(inFile, bytes);
  const readFd = openSync(inFile, 'r');
  const writeFd = openSync(outFile, 'w');
  const messenger = new SyncMessenger({ readFd, writeFd, ...options });
  return { messenger, written: () => readFileSync(outFile), done: () => (closeSync(readFd), closeSync(writeFd)) };
}

const stamped = (message: Message, nonce: number) => encodeFrame({ ...message, DialogueNonce: nonce } as Message);
const hookAnswer = createMessage(MessageKind.BlockchainCurrentNonceResponse, { Result: 18446744073709551615n });

function expectCode(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VMError);
    expect((error as VMError).code).toBe(code);
    return;
  }
  throw new Error('expected an error');
}

describe('[@vm/messenger] SyncMessenger', () => {
  it('sends stamped frames and receives with nonce checks', () => {
    const { messenger, written, done } = messengerReading(
      Buffer.concat([stamped(createMessage(MessageKind.Stop, {}), 1), stamped(hookAnswer, 3)]),
    );
    expect(messenger.receive().Kind).toBe(MessageKind.Stop);
    const answer = messenger.request(createMessage(MessageKind.BlockchainCurrentNonceRequest, {}));
    expect(answer).toMatchObject({
      Kind: MessageKind.BlockchainCurrentNonceResponse,
      DialogueNonce: 3,
      Result: 18446744073709551615n,
    });
    const out = written();
    expect(decodePreamble(out).kind).toBe(MessageKind.BlockchainCurrentNonceRequest);
    expect(decodeMessage(decodePreamble(out).kind, out.subarray(8)).DialogueNonce).toBe(2);
    done();
  });

  it('fails for good on a wrong nonce', () => {
    const { messenger, done } = messengerReading(Buffer.concat([stamped(hookAnswer, 5), stamped(hookAnswer, 1)]));
    expectCode(() => messenger.receive(), ErrorCode.InvalidDialogueNonce.code);
    expect(messenger.state).toBe('failed');
    expectCode(() => messenger.receive(), ErrorCode.InvalidDialogueNonce.code);
    done();
  });

  it.each([
    ['end of input', Buffer.alloc(0), ErrorCode.PeerClosed.code],
    ['end mid-frame', stamped(hookAnswer, 1).subarray(0, 15), ErrorCode.PeerClosedMidFrame.code],
    ['an oversized frame', rawFrame(8, '', 1 << 30), ErrorCode.FrameTooLarge.code],
    ['garbage', Buffer.from('this is not a frame at all'), ErrorCode.UnknownKind.code],
  ])('reports %s', (_name, bytes, code) => {
    const { messenger, done } = messengerReading(bytes);
    expectCode(() => messenger.receive(), code);
    done();
  });

  it('reports a write to a closed fd as WriteFailed', () => {
    const { messenger, done } = messengerReading(Buffer.alloc(0));
    done();
    expectCode(() => messenger.send(createMessage(MessageKind.Stop, {})), ErrorCode.WriteFailed.code);
  });
});
