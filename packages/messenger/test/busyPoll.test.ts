import { openSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AsyncMessenger, Deadline, PollPolicy, openBlockingSwitch } from '@vm/messenger';
import { createMessage, MessageKind, VMError, vmPipes, type MessageOf } from '@vm/protocol';
import { memoryPipes } from '@vm/testkit';
import { callInput, startPeer } from './vmPeer';

/** One full dialogue: request, the peer's hook call, its answer (optionally late), the response. */
async function dialogue(
  node: AsyncMessenger,
  stored: number,
  answerAfterMs = 0,
): Promise<MessageOf<MessageKind.ContractResponse>> {
  const deadline = Deadline.after(10_000);
  await node.send(createMessage(MessageKind.ContractCallRequest, { CallInput: callInput('increment') }), deadline);
  const hook = await node.receive(deadline);
  expect(hook.Kind).toBe(MessageKind.BlockchainGetStorageDataRequest);
  if (answerAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, answerAfterMs));
  await node.send(
    createMessage(MessageKind.BlockchainGetStorageDataResponse, { Data: Uint8Array.of(stored) }),
    deadline,
  );
  const response = (await node.receive(deadline)) as MessageOf<MessageKind.ContractResponse>;
  node.resetDialogue();
  return response;
}

describe('[@vm/messenger] busy polling: when to poll', () => {
  it('never polls with a zero budget', () => {
    const policy = new PollPolicy(0);
    expect([1, 2, 3].map(() => policy.shouldPoll())).toEqual([false, false, false]);
  });

  it('skips 1, 2, 4 ... (at most 64) waits after consecutive misses, and polls every wait again after a hit', () => {
    const policy = new PollPolicy(100);
    const skipped = (): number => {
      let n = 0;
      while (!policy.shouldPoll()) n++;
      return n;
    };
    expect(skipped()).toBe(0);
    const skips: number[] = [];
    for (let i = 0; i < 9; i++) {
      policy.record(false);
      skips.push(skipped());
    }
    expect(skips).toEqual([1, 2, 4, 8, 16, 32, 64, 64, 64]);
    policy.record(true);
    expect(skipped()).toBe(0);
    policy.record(false);
    expect(skipped()).toBe(1);
    expect({ hits: policy.hits, misses: policy.misses }).toEqual({ hits: 1, misses: 10 });
  });

  it('switches only pipes and sockets between blocking modes', () => {
    const file = path.join(os.tmpdir(), `dme-vm-poll-${process.pid}`);
    const fd = openSync(file, 'w');
    try {
      expect(openBlockingSwitch(fd)).toBeNull();
    } finally {
      closeSync(fd);
    }
  });
});

describe('[@vm/messenger] busy polling over real socketpairs', () => {
  it('both ends hear a prompt peer by polling, and every dialogue is exact', async () => {
    const { node, stdout, exit } = startPeer('serve', [], { env: { PEER_BUSY_POLL_US: '2000' }, busyPollMicros: 2000 });
    for (let i = 0; i < 200; i++) {
      const response = await dialogue(node, i % 200);
      expect(response.VMOutput!.ReturnData![0]).toEqual(Uint8Array.of((i % 200) + 1));
    }
    expect(node.busyPolls.hits).toBeGreaterThan(0);
    await node.send(createMessage(MessageKind.Stop, {}));
    expect(await exit).toBe(0);
    expect(JSON.parse(await stdout).hits).toBeGreaterThan(0);
  });

  it('falls back to sleeping when the peer is slower than the budget (the fd is blocking again: no EAGAIN)', async () => {
    const { node, stdout, exit } = startPeer('serve', [], {
      env: { PEER_BUSY_POLL_US: '50', PEER_DELAY_MS: '15' },
      busyPollMicros: 50,
    });
    for (let i = 0; i < 5; i++)
      expect((await dialogue(node, 7, 15)).VMOutput!.ReturnData![0]).toEqual(Uint8Array.of(8));
    expect(node.busyPolls.misses).toBeGreaterThan(0);
    await node.send(createMessage(MessageKind.Stop, {}));
    expect(await exit).toBe(0);
    expect(JSON.parse(await stdout).misses).toBeGreaterThan(0);
  });

  it('VM side: a hook answer that never comes still ends at the deadline with Timeout (polling the reader thread)', async () => {
    const { node, stdout, exit } = startPeer('timeout', ['200'], {
      env: { PEER_BUSY_POLL_US: '500' },
      busyPollMicros: 500,
    });
    expect((await node.receive(Deadline.after(5000))).Kind).toBe(MessageKind.BlockchainLastNonceRequest);
    expect(await exit).toBe(3);
    expect(JSON.parse(await stdout).code).toBe('Timeout');
  });

  it('VM side: the node closing its end is PeerClosed, whether seen while polling or sleeping', async () => {
    const { child, node, stdout, exit } = startPeer('serve', [], { env: { PEER_BUSY_POLL_US: '100000' } });
    await dialogue(node, 1);
    vmPipes(child).nodeToArwen.end();
    expect(await exit).toBe(3);
    expect(JSON.parse(await stdout).code).toBe('PeerClosed');
  });

  it('node side: bytes that are not a frame, read while polling, fail the messenger with a typed error', async () => {
    const { child, node } = startPeer('garbage', [], { busyPollMicros: 1_000_000 });
    await node.send(createMessage(MessageKind.ContractCallRequest, { CallInput: callInput('x') }));
    const error = await node.receive(Deadline.after(5000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VMError);
    expect((error as VMError).code).toBe('UnknownKind');
    expect(node.busyPolls.hits).toBe(1);
    child.kill('SIGKILL');
  });

  it('node side: a frame trickling in byte by byte never holds the event loop beyond the budget', async () => {
    const { child, node } = startPeer('trickle', [], { busyPollMicros: 5000 });
    await node.send(createMessage(MessageKind.DiagnoseWaitRequest, { Milliseconds: 0 }));
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const message = await node.receive(Deadline.after(10_000));
    clearInterval(ticker);
    expect(message.Kind).toBe(MessageKind.DiagnoseWaitResponse);
    expect(ticks).toBeGreaterThan(5); // the ~60 ms the frame took were not spent inside one poll
    child.kill('SIGKILL');
  });

  it('node side: the VM exiting while the node polls is PeerClosed, not a hang', async () => {
    const { child, node } = startPeer('timeout', ['50'], { busyPollMicros: 1_000_000 });
    await node.receive(Deadline.after(5000));
    const error = await node.receive(Deadline.after(5000)).catch((e: unknown) => e);
    expect((error as VMError).code).toBe('PeerClosed');
    child.kill('SIGKILL');
  });

  it('node side: a stream without an fd (here in memory) is never polled', async () => {
    const { a, b } = memoryPipes();
    const node = new AsyncMessenger(a.input, a.output, { busyPollMicros: 1000 });
    const vm = new AsyncMessenger(b.input, b.output);
    await vm.send(createMessage(MessageKind.DiagnoseWaitResponse, {}));
    expect((await node.receive(Deadline.after(1000))).Kind).toBe(MessageKind.DiagnoseWaitResponse);
    expect(node.busyPolls).toEqual({ hits: 0, misses: 0 });
  });
});
