import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
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

/** Holds this thread (so libuv cannot read the pipe either) until the peer created `file`. */
function spinUntil(file: string): void {
  const deadline = Date.now() + 60_000;
  while (!existsSync(file)) if (Date.now() > deadline) throw new Error(`the peer never created ${file}`);
}

describe('[@vm/messenger] busy polling over real socketpairs', () => {
  // Gated (PEER_GATE): each side's bytes are already in the pipe when the other starts to wait for them, so the
  // first poll of each end hears them whatever the scheduler does (no timing assumption).
  it('both ends hear a peer whose bytes are already there by polling, and every dialogue is exact', async () => {
    const gate = mkdtempSync(path.join(os.tmpdir(), 'dme-vm-gate-'));
    const { node, stdout, exit } = startPeer('serve', [], {
      env: { PEER_BUSY_POLL_US: '2000', PEER_GATE: gate },
      busyPollMicros: 2000,
    });
    const deadline = Deadline.after(30_000);
    for (let i = 0; i < 20; i++) {
      await node.send(createMessage(MessageKind.ContractCallRequest, { CallInput: callInput('increment') }), deadline);
      writeFileSync(path.join(gate, `node-${i}`), '');
      spinUntil(path.join(gate, `vm-${i}`));
      const hook = node.tryReceive(deadline) ?? (await node.receive(deadline));
      expect(hook.Kind).toBe(MessageKind.BlockchainGetStorageDataRequest);
      await node.send(
        createMessage(MessageKind.BlockchainGetStorageDataResponse, { Data: Uint8Array.of(i) }),
        deadline,
      );
      const response = (await node.receive(deadline)) as MessageOf<MessageKind.ContractResponse>;
      node.resetDialogue();
      expect(response.VMOutput!.ReturnData![0]).toEqual(Uint8Array.of(i + 1));
    }
    expect(node.busyPolls.hits).toBeGreaterThan(0);
    await node.send(createMessage(MessageKind.Stop, {}));
    writeFileSync(path.join(gate, 'node-20'), '');
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
    const gate = mkdtempSync(path.join(os.tmpdir(), 'dme-vm-gate-'));
    const { child, node } = startPeer('garbage', [], { busyPollMicros: 1_000_000, env: { PEER_GATE: gate } });
    await node.send(createMessage(MessageKind.ContractCallRequest, { CallInput: callInput('x') }));
    spinUntil(path.join(gate, 'vm-0')); // the garbage is in the pipe: the first read of the poll gets it
    const error = await node.receive(Deadline.after(5000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VMError);
    expect((error as VMError).code).toBe('UnknownKind');
    expect(node.busyPolls.hits).toBe(1);
    child.kill('SIGKILL');
  });

  it('node side: a poll ends when its budget is spent even while bytes trickle in; the rest comes by events', async () => {
    // a clock of the test's own: the budget is spent at its first check, i.e. after exactly one read of the fd
    let checks = 0;
    const clock = (): bigint => BigInt(checks++ === 0 ? 0 : 1e12);
    const pollPolicy = new PollPolicy(5000, clock);
    const { child, node } = startPeer('trickle', [], { pollPolicy });
    await node.send(createMessage(MessageKind.DiagnoseWaitRequest, { Milliseconds: 0 }));
    const message = await node.receive(Deadline.after(10_000));
    expect(message.Kind).toBe(MessageKind.DiagnoseWaitResponse);
    expect(checks).toBe(2); // the budget taken, one check after the one read: the poll did not go on reading
    expect(pollPolicy.hits + pollPolicy.misses).toBe(1);
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
