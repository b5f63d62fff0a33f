import { Writable } from 'node:stream';
import { AsyncMessenger, Deadline } from '@vm/messenger';
import { createMessage, encodeFrame, MessageKind, ErrorCode, type VMError, type MessageOf } from '@vm/protocol';
import { chunked, expectRejects, memoryPipes, rawFrame } from '@vm/testkit';

const callRequest = createMessage(MessageKind.ContractCallRequest, {
  CallInput: {
    CallerAddr: Buffer.from('me'),
    Arguments: [],
    CallValue: 0n,
    CallType: 0,
    GasPrice: 1n,
    GasProvided: 2_000_000n,
    OriginalTxHash: null,
    CurrentTxHash: null,
    RecipientAddr: Buffer.from('sc'),
    Function: 'increment',
  },
});
const storageRequest = createMessage(MessageKind.BlockchainGetStorageDataRequest, {
  Address: Buffer.from('sc'),
  Index: Buffer.from('k'),
});
const storageResponse = createMessage(MessageKind.BlockchainGetStorageDataResponse, { Data: Uint8Array.of(7) });

function pair() {
  const { a, b } = memoryPipes();
  const node = new AsyncMessenger(a.input, a.output, { name: 'NODE', maxFrameSize: 4096 });
  const vm = new AsyncMessenger(b.input, b.output, { name: 'ARWEN' });
  return { node, vm, toNode: b.output, fromNode: b.input };
}

describe('[@vm/messenger] AsyncMessenger', () => {
  describe('expectPreamble: the first message decides, it may be of a dialogue of its own', () => {
    const ack = createMessage(MessageKind.InitializeAcknowledge, { Version: '1', Build: 'b', Capabilities: 3 });

    it('a preamble (nonce 1, sent before the peer read the request) is handed over, and the dialogue goes on', async () => {
      const { node, vm } = pair();
      await vm.send(ack);
      vm.resetDialogue();
      const heard: unknown[] = [];
      node.expectPreamble(MessageKind.InitializeAcknowledge, (m) => heard.push(m?.Kind));
      await node.send(callRequest);
      expect((await vm.receive()).DialogueNonce).toBe(1);
      await vm.send(storageRequest);
      const first = await node.receive();
      expect([first.Kind, first.DialogueNonce]).toEqual([MessageKind.BlockchainGetStorageDataRequest, 2]);
      expect(heard).toEqual([MessageKind.InitializeAcknowledge]);
    });

    it('any other first message: undefined is heard and the message is received as usual', async () => {
      const { node, vm } = pair();
      const heard: unknown[] = [];
      node.expectPreamble(MessageKind.InitializeAcknowledge, (m) => heard.push(m));
      await node.send(callRequest);
      await vm.receive();
      await vm.send(storageRequest);
      expect((await node.receive()).Kind).toBe(MessageKind.BlockchainGetStorageDataRequest);
      expect(heard).toEqual([undefined]);
    });

    it('what the decision throws fails the connection', async () => {
      const { node, vm } = pair();
      await vm.send(ack);
      node.expectPreamble(MessageKind.InitializeAcknowledge, () => {
        throw new Error('refused');
      });
      await expectRejects(node.receive(), ErrorCode.InvalidMessage, /refused/);
      expect(node.state).toBe('failed');
    });
  });

  it('refuses a message over the frame limit before writing or stamping it; the dialogue goes on', async () => {
    const { node, vm } = pair();
    const huge = createMessage(MessageKind.BlockchainGetStorageDataResponse, { Data: Buffer.alloc(8192) });
    await node.send(callRequest);
    await vm.receive();
    const error = await node.send(huge).then(
      () => undefined,
      (e: unknown) => e as VMError,
    );
    expect(error?.code).toBe(ErrorCode.MessageTooLarge.code);
    expect(error?.critical).toBe(false);
    expect(error?.message).toMatch(/BlockchainGetStorageDataResponse.*limit 4096/);
    expect(node.state).toBe('open');
    expect(node.nonce).toBe(1);
    await vm.send(storageRequest);
    expect((await node.receive()).DialogueNonce).toBe(2);
    await node.send(storageResponse);
    expect((await vm.receive()).DialogueNonce).toBe(3);
  });

  it('runs a dialogue with the reference nonces (node odd, VM even) and resets it', async () => {
    const { node, vm } = pair();
    for (let round = 0; round < 2; round++) {
      await node.send(callRequest);
      const request = await vm.receive();
      expect(request.DialogueNonce).toBe(1);
      expect((request as MessageOf<MessageKind.ContractCallRequest>).CallInput!.Function).toBe('increment');
      await vm.send(storageRequest);
      expect((await node.receive()).DialogueNonce).toBe(2);
      await node.send(storageResponse);
      const answer = (await vm.receive()) as MessageOf<MessageKind.BlockchainGetStorageDataResponse>;
      expect(answer.DialogueNonce).toBe(3);
      expect(answer.Data).toEqual(Uint8Array.of(7));
      node.resetDialogue();
      vm.resetDialogue();
    }
  });

  it('receives frames delivered one byte at a time', async () => {
    const { node, toNode } = pair();
    const frame = encodeFrame({ ...storageRequest, DialogueNonce: 1 });
    const received = node.receive();
    for (const chunk of chunked(frame, 1)) toNode.write(chunk);
    expect((await received).Kind).toBe(MessageKind.BlockchainGetStorageDataRequest);
  });

  it.each([
    ['skipped', 2],
    ['replayed', 0],
  ])('fails on a %s nonce', async (_name, nonce) => {
    const { node, toNode } = pair();
    toNode.write(encodeFrame({ ...storageRequest, DialogueNonce: nonce }));
    await expectRejects(node.receive(), ErrorCode.InvalidDialogueNonce, /invalid dialogue nonce: expected 1, received/);
    expect(node.state).toBe('failed');
    await expectRejects(node.send(storageResponse), ErrorCode.InvalidDialogueNonce);
  });

  it.each([
    ['an oversized frame', () => rawFrame(8, '', 4097), ErrorCode.FrameTooLarge],
    ['an unknown kind', () => rawFrame(77, '{}'), ErrorCode.UnknownKind],
    ['invalid JSON', () => rawFrame(8, '{"DialogueNonce":1,'), ErrorCode.InvalidJson],
    [
      'a schema violation',
      () => rawFrame(8, '{"DialogueNonce":1,"Kind":8,"ErrorMessage":""}'),
      ErrorCode.SchemaViolation,
    ],
    ['a kind mismatch', () => rawFrame(12, '{"DialogueNonce":1,"Kind":14,"ErrorMessage":""}'), ErrorCode.KindMismatch],
  ])('fails on %s with its own error code', async (_name, frame, definition) => {
    const { node, toNode } = pair();
    const received = node.receive();
    toNode.write(frame());
    await expectRejects(received, definition);
  });

  it('reports a peer closing mid-frame, and a clean close as PeerClosed', async () => {
    const mid = pair();
    const received = mid.node.receive();
    mid.toNode.end(encodeFrame({ ...storageRequest, DialogueNonce: 1 }).subarray(0, 20));
    await expectRejects(received, ErrorCode.PeerClosedMidFrame);
    const clean = pair();
    const pending = clean.node.receive();
    clean.toNode.end();
    await expectRejects(pending, ErrorCode.PeerClosed);
  });

  it('times out a receive at the deadline with a critical "timeout" error', async () => {
    const { node } = pair();
    await expectRejects(node.receive(Deadline.after(30)), ErrorCode.Timeout, /timeout/);
  });

  it('times out a write the peer never drains', async () => {
    const stuck = new Writable({ highWaterMark: 16, write: () => undefined });
    const { a } = memoryPipes();
    const node = new AsyncMessenger(a.input, stuck);
    await node.send(storageResponse, Deadline.after(10)).catch(() => undefined); // fills the buffer
    await expectRejects(node.send(storageResponse, Deadline.after(30)), ErrorCode.Timeout);
  });

  it('turns EPIPE on the output into WriteFailed, never an unhandled error event', async () => {
    const broken = new Writable({
      write: (_chunk, _enc, cb) => cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
    });
    const { a } = memoryPipes();
    const node = new AsyncMessenger(a.input, broken);
    const pending = expectRejects(node.receive(), ErrorCode.WriteFailed, /EPIPE/);
    await expectRejects(node.send(storageResponse), ErrorCode.WriteFailed);
    await pending;
  });

  it('pauses a flooding peer and still delivers every message in order', async () => {
    const { a, b } = memoryPipes();
    const node = new AsyncMessenger(a.input, a.output);
    b.input.resume(); // the peer does not read our answers; drop them
    const toNode = b.output;
    const frames = Array.from({ length: 500 }, (_, i) => encodeFrame({ ...storageRequest, DialogueNonce: i * 2 + 1 }));
    toNode.write(Buffer.concat(frames));
    for (let i = 0; i < 500; i++) {
      expect((await node.receive()).DialogueNonce).toBe(i * 2 + 1);
      await node.send(storageResponse);
    }
  });

  it('rejects a pending receive when closed', async () => {
    const { node } = pair();
    const pending = node.receive();
    node.close();
    await expectRejects(pending, ErrorCode.MessengerClosed);
    await expectRejects(node.receive(), ErrorCode.MessengerClosed);
  });
});
