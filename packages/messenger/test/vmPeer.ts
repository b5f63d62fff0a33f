// Starts the stand-in VM process (fixtures/vmPeer.js) with the reference's fd layout, and the node's messenger on it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { AsyncMessenger, type PollPolicy } from '@vm/messenger';
import { MarshalizerKind, vmPipes, vmSpawnStdio, type ContractCallInput, type MessageCodec } from '@vm/protocol';

const PEER = path.join(__dirname, 'fixtures', 'vmPeer.js');

export interface PeerOptions {
  /** Extra environment for the peer (PEER_BUSY_POLL_US, PEER_DELAY_MS). */
  env?: Record<string, string>;
  /** The node messenger's busy polling. */
  busyPollMicros?: number;
  /** Or its whole policy (e.g. with a clock of the test's own). */
  pollPolicy?: PollPolicy;
  /** The codec of both ends (JSON by default). */
  codec?: MessageCodec;
}

export function startPeer(
  mode: string,
  args: string[] = [],
  options: PeerOptions = {},
): { child: ChildProcess; node: AsyncMessenger; stdout: Promise<string>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [PEER, mode, ...args], {
    stdio: vmSpawnStdio({ stderr: 'inherit', init: 'ignore', logProfile: 'ignore', logLines: 'ignore' }),
    env: {
      ...process.env,
      PEER_CODEC: options.codec?.marshalizer === MarshalizerKind.Binary ? 'binary' : 'json',
      ...options.env,
    },
  });
  const pipes = vmPipes(child);
  const node = new AsyncMessenger(pipes.arwenToNode, pipes.nodeToArwen, {
    busyPollMicros: options.busyPollMicros ?? 0,
    pollPolicy: options.pollPolicy,
    codec: options.codec,
  });
  let out = '';
  pipes.stdout.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, node, stdout: exit.then(() => out), exit };
}

export const callInput = (fn: string): ContractCallInput => ({
  CallerAddr: Buffer.from('me'),
  Arguments: [],
  CallValue: 0n,
  CallType: 0,
  GasPrice: 1n,
  GasProvided: 1000n,
  OriginalTxHash: null,
  CurrentTxHash: null,
  RecipientAddr: Buffer.from('counter-sc'),
  Function: fn,
});
