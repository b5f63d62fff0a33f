import type { Writable } from 'node:stream';
import { Deadline } from '@vm/messenger';
import { BINARY_CODEC, JSON_CODEC, createMessage, MessageKind, type MessageOf } from '@vm/protocol';
import { callInput, startPeer } from './vmPeer';

describe('[@vm/messenger] node endpoint <-> VM endpoint over real socketpairs', () => {
  it.each([
    ['JSON', JSON_CODEC],
    ['binary', BINARY_CODEC],
  ])('exchanges full dialogues: request, hook call, answer, response (%s payloads)', async (_name, codec) => {
    const { node, exit } = startPeer('serve', [], { codec });
    for (const [fn, stored] of [
      ['increment', 41],
      ['get', 9],
    ] as const) {
      const deadline = Deadline.after(5000);
      await node.send(createMessage(MessageKind.ContractCallRequest, { CallInput: callInput(fn) }), deadline);
      const hook = (await node.receive(deadline)) as MessageOf<MessageKind.BlockchainGetStorageDataRequest>;
      expect(hook.Kind).toBe(MessageKind.BlockchainGetStorageDataRequest);
      expect(hook.DialogueNonce).toBe(2);
      expect(Buffer.from(hook.Address!).toString()).toBe('counter-sc');
      await node.send(
        createMessage(MessageKind.BlockchainGetStorageDataResponse, { Data: Uint8Array.of(stored) }),
        deadline,
      );
      const response = (await node.receive(deadline)) as MessageOf<MessageKind.ContractResponse>;
      expect(response.DialogueNonce).toBe(4);
      expect(response.VMOutput!.ReturnData).toEqual([Uint8Array.of(stored + 1), new Uint8Array(Buffer.from(fn))]);
      expect(response.VMOutput!.GasRemaining).toBe(990n);
      node.resetDialogue();
    }
    await node.send(createMessage(MessageKind.Stop, {}));
    expect(await exit).toBe(0);
  });

  it('VM side: a hook answer that never comes ends the wait at the deadline with Timeout', async () => {
    const { node, stdout, exit } = startPeer('timeout', ['200']);
    expect((await node.receive(Deadline.after(5000))).Kind).toBe(MessageKind.BlockchainLastNonceRequest);
    expect(await exit).toBe(3);
    expect(JSON.parse(await stdout)).toEqual({ code: 'Timeout', message: expect.stringContaining('timeout') });
  });

  it('VM side: the node closing its end mid-wait ends the wait with PeerClosed', async () => {
    const { child, node, stdout, exit } = startPeer('timeout');
    await node.receive(Deadline.after(5000));
    ((child.stdio as unknown[])[4] as Writable).end();
    expect(await exit).toBe(3);
    expect(JSON.parse(await stdout).code).toBe('PeerClosed');
  });
});
