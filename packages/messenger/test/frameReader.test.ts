import { FrameReader } from '@vm/messenger';
import { encodeFrame, createMessage, MessageKind, ErrorCode, VMError, type ErrorDefinition } from '@vm/protocol';
import { chunked, rawFrame } from '@vm/testkit';

const stop = encodeFrame(createMessage(MessageKind.Stop, {}));
const wait = encodeFrame(createMessage(MessageKind.DiagnoseWaitRequest, { Milliseconds: 100 }));

function expectCode(fn: () => unknown, definition: ErrorDefinition) {
  expect(fn).toThrow(VMError);
  try {
    fn();
  } catch (error) {
    expect((error as VMError).code).toBe(definition.code);
  }
}

describe('[@vm/messenger] FrameReader', () => {
  it('reassembles frames delivered one byte at a time', () => {
    const reader = new FrameReader();
    const frames = chunked(Buffer.concat([stop, wait]), 1).flatMap((c) => reader.push(c));
    expect(frames.map((f) => f.kind)).toEqual([MessageKind.Stop, MessageKind.DiagnoseWaitRequest]);
    expect(frames[1].payload.toString()).toBe(wait.subarray(8).toString());
    expect(reader.midFrame).toBe(false);
  });

  it('splits several frames out of one chunk', () => {
    const frames = new FrameReader().push(Buffer.concat([stop, wait, stop]));
    expect(frames.map((f) => f.kind)).toEqual([2, 46, 2]);
  });

  it('rejects a frame longer than maxFrameSize from its preamble alone, before allocating', () => {
    const reader = new FrameReader(1024);
    expectCode(() => reader.push(rawFrame(4, '', 1025).subarray(0, 8)), ErrorCode.FrameTooLarge);
    // a 4 GiB claim is refused the same way
    expectCode(() => new FrameReader().push(rawFrame(4, '', 0xffffffff).subarray(0, 8)), ErrorCode.FrameTooLarge);
  });

  it.each([0, 49, 1234])('rejects preamble kind %i', (kind) => {
    expectCode(() => new FrameReader().push(rawFrame(kind, '{}')), ErrorCode.UnknownKind);
  });

  it('reports a peer that closed mid-preamble or mid-payload', () => {
    const midPreamble = new FrameReader();
    midPreamble.push(stop.subarray(0, 3));
    expectCode(() => midPreamble.end(), ErrorCode.PeerClosedMidFrame);
    const midPayload = new FrameReader();
    midPayload.push(wait.subarray(0, 12));
    expectCode(() => midPayload.end(), ErrorCode.PeerClosedMidFrame);
    const clean = new FrameReader();
    clean.push(stop);
    expect(() => clean.end()).not.toThrow();
  });

  it('stays failed after an error', () => {
    const reader = new FrameReader(10);
    expectCode(() => reader.push(rawFrame(4, 'x'.repeat(11))), ErrorCode.FrameTooLarge);
    expectCode(() => reader.push(stop), ErrorCode.FrameTooLarge);
  });
});
