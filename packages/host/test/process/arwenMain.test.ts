import { spawn, spawnSync } from 'node:child_process';
import { AsyncMessenger, Deadline } from '@vm/messenger';
import {
  BINARY_CODEC,
  createMessage,
  encodeFrame,
  MarshalizerKind,
  MessageKind,
  DEFAULT_VM_TYPE,
  vmPipes,
  vmSpawnStdio,
} from '@vm/protocol';
import { binPath, testGasScheduleMap } from '@vm/testkit/host';

// The built executable, as the driver finds it in the installed @vm/host.
const ARWEN = binPath('arwen');

function startArwen(
  env: NodeJS.ProcessEnv = {},
  gasSchedule = testGasScheduleMap(),
  messagesMarshalizer: number = MarshalizerKind.JSON,
) {
  const child = spawn(process.execPath, [ARWEN], {
    stdio: vmSpawnStdio(),
    env: { ...process.env, ...env },
  });
  const pipes = vmPipes(child);
  let stderr = '';
  pipes.stderr.on('data', (d) => (stderr += d));
  pipes.logLines.resume();
  pipes.stdout.resume();
  for (const s of [pipes.init, pipes.nodeToArwen, pipes.logProfile]) s.on('error', () => undefined);
  pipes.init.end(
    encodeFrame(
      createMessage(MessageKind.Initialize, {
        Arguments: {
          VMType: DEFAULT_VM_TYPE,
          BlockGasLimit: 10_000_000n,
          GasSchedule: gasSchedule,
          ProtocolBuiltinFunctions: null,
          Kalyan3104ProtectedKeyPrefix: Buffer.from('KALYAN3104'),
          LogsMarshalizer: MarshalizerKind.JSON,
          MessagesMarshalizer: messagesMarshalizer,
        },
      }),
    ),
  );
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, pipes, exit, stderr: () => stderr };
}

describe('[@vm/host] the arwen executable, driven by hand', () => {
  it('a bad gas schedule: exit code 2 with the reason', async () => {
    const { exit, stderr } = startArwen({}, { BaseOperationCost: {} });
    expect(await exit).toBe(2);
    expect(stderr()).toContain('Gas cost for operation StorePerByte has been set to 0 or is not set.');
  }, 20000);

  it('a marshalizer it does not speak (Gob): exit code 2 with the reason', async () => {
    const { exit, stderr } = startArwen({}, testGasScheduleMap(), MarshalizerKind.Gob);
    expect(await exit).toBe(2);
    expect(stderr()).toMatch(/Cannot create ArwenPart: unsupported marshalizer: MessagesMarshalizer: gob/);
  }, 20000);

  it('announced Binary, then sent JSON: the loop ends naming the mix-up, exit code 3', async () => {
    const { pipes, exit, stderr } = startArwen({}, testGasScheduleMap(), MarshalizerKind.Binary);
    pipes.nodeToArwen.write(encodeFrame({ ...createMessage(MessageKind.Stop, {}), DialogueNonce: 1 }));
    expect(await exit).toBe(3);
    expect(stderr()).toMatch(/Ended Arwen loop: payload is not a valid binary message: Stop: this is a JSON payload/);
  }, 20000);

  it('speaks Binary when Initialize says so', async () => {
    const { pipes, exit } = startArwen({}, testGasScheduleMap(), MarshalizerKind.Binary);
    const node = new AsyncMessenger(pipes.arwenToNode, pipes.nodeToArwen, { codec: BINARY_CODEC });
    await node.send(createMessage(MessageKind.DiagnoseWaitRequest, { Milliseconds: 1 }));
    expect((await node.receive(Deadline.after(5000))).Kind).toBe(MessageKind.DiagnoseWaitResponse);
    node.resetDialogue();
    await node.send(createMessage(MessageKind.Stop, {}));
    expect(await exit).toBe(3);
  }, 20000);

  it('garbage from the node: the loop ends, exit code 3', async () => {
    const { pipes, exit, stderr } = startArwen();
    pipes.nodeToArwen.write(Buffer.from('garbage garbage garbage'));
    expect(await exit).toBe(3);
    expect(stderr()).toMatch(/Ended Arwen loop: unknown message kind/);
  }, 20000);

  it('Stop ends the loop with the reference exit code, quietly (stderr is for trouble)', async () => {
    const { pipes, exit, stderr } = startArwen();
    pipes.nodeToArwen.write(encodeFrame({ ...createMessage(MessageKind.Stop, {}), DialogueNonce: 1 }));
    expect(await exit).toBe(3);
    expect(stderr()).not.toContain('Ended Arwen loop');
  }, 20000);

  it('a node that stops answering a hook call: arwen gives up after ARWEN_NODE_TIMEOUT_MS and exits', async () => {
    const { pipes, exit, stderr } = startArwen({ ARWEN_NODE_TIMEOUT_MS: '300' });
    const node = new AsyncMessenger(pipes.arwenToNode, pipes.nodeToArwen);
    const input = {
      CallerAddr: Buffer.alloc(32, 1),
      Arguments: [],
      CallValue: 0n,
      CallType: 0,
      GasPrice: 0n,
      GasProvided: 100000n,
      OriginalTxHash: null,
      CurrentTxHash: null,
      RecipientAddr: Buffer.alloc(32, 2),
      Function: 'x',
    };
    await node.send(createMessage(MessageKind.ContractCallRequest, { CallInput: input }));
    expect((await node.receive(Deadline.after(5000))).Kind).toBe(MessageKind.BlockchainGetUserAccountRequest);
    expect(await exit).toBe(3); // no answer: the hook call times out
    expect(stderr()).toContain('timeout');
  }, 20000);
});

describe('[@vm/host] arwen run by hand', () => {
  const byHand = (...args: string[]) =>
    spawnSync(process.execPath, [ARWEN, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('without the node pipes it says it is started by a driver, and how (stderr, exit 2)', () => {
    const run = byHand();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not run by hand: a node's driver starts it .*VMDriver/s);
    expect(run.stdout).toBe('');
  });

  it('--help exits 0 on stdout; --version prints the package version', () => {
    expect(byHand('--help')).toMatchObject({ status: 0, stdout: expect.stringContaining('Initialize frame on fd 3') });
    expect(byHand('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
