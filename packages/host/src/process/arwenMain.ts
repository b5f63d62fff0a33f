/**
 * The `arwen` VM process (reference cmd/arwen/main.go): fd 3 one Initialize frame; fd 4 node -> VM; fd 5 VM -> node;
 * fd 6 log levels; fd 7 log lines. Exit codes: 2 bad initialization, 3 the loop ended (Stop, the node gone,
 * a protocol violation). The process never outlives its node: EOF on fd 4, or no answer within
 * ARWEN_NODE_TIMEOUT_MS while a contract waits on a hook, ends it, and a node that dies ends it whatever the VM is
 * doing (orphanWatch: the kernel's parent-death signal when the driver set one, ARWEN_PARENT_DEATH_SIGNAL, else a
 * watcher thread within ORPHAN_CHECK_INTERVAL_MS). ARWEN_BUSY_POLL_US: microseconds to poll fd 4
 * before sleeping in a read (default 0; the driver passes its own setting). ARWEN_MAX_LOOP_TIME_MS: the node's
 * budget for one request (the driver passes it); a DiagnoseWait never sleeps a second longer (the node's own
 * timeout still comes first). ARWEN_REFERENCE_ONLY=1: ignore the capabilities offered in Initialize and send no
 * InitializeAcknowledge, as a VM that speaks only the reference protocol (a testing aid).
 */
import { fstatSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import {
  assertSupportedMarshalizer,
  codecFor,
  decodeMessage,
  DEFAULT_MAX_FRAME_SIZE,
  MIN_FRAME_SIZE,
  outputLimitForFrame,
  MessageKind,
  VMError,
  ErrorCode,
  VM_FD,
  type GasScheduleMap,
  type MessageOf,
} from '@vm/protocol';
import { getLogger, setLogLevels } from '@vm/logging';
import { FrameReader, SyncMessenger } from '@vm/messenger';
import { VMHost } from '../vmHost';
import { createBlockchainGateway } from './blockchainGateway';
import { runArwenLoop } from './arwenPart';
import { acknowledgeCapabilities, arwenVersion } from './extensions';
import { startLogPipes } from './logPipes';
import { watchParent } from './orphanWatch';
import { keccakReady } from '../eei/keccak';

/** The fd layout (one table in @vm/protocol, shared with the driver). */
export const FD = VM_FD;
export const EXIT_CODE = Object.freeze({ success: 0, cannotCreateFile: 1, init: 2, terminated: 3 });

const log = getLogger('arwen/host');

/** How much longer than the node's budget a DiagnoseWait may sleep: the node always gives up first. */
const WAIT_GRACE_MS = 1000;

/** Reads the single Initialize frame from fd 3 (always JSON). */
function readInitialize(): MessageOf<MessageKind.Initialize> {
  const reader = new FrameReader(64 * 1024 * 1024);
  const chunk = Buffer.allocUnsafe(65536);
  for (;;) {
    const n = readSync(FD.init, chunk, 0, chunk.length, null);
    if (n === 0) {
      reader.end();
      throw new VMError(ErrorCode.PeerClosed, 'no Initialize frame on fd 3');
    }
    const frames = reader.push(chunk.subarray(0, n));
    if (frames.length > 0) {
      const message = decodeMessage(frames[0].kind, frames[0].payload);
      if (message.Kind !== MessageKind.Initialize)
        throw new VMError(ErrorCode.BadRequestFromNode, `expected Initialize on fd 3, got kind ${message.Kind}`);
      return message as MessageOf<MessageKind.Initialize>;
    }
  }
}

/** The node's frame limit (0: a reference node, which does not send one), at least MIN_FRAME_SIZE. */
function frameLimit(told: number): number {
  if (told === 0) return DEFAULT_MAX_FRAME_SIZE;
  if (told < MIN_FRAME_SIZE)
    throw new VMError(ErrorCode.BadRequestFromNode, `MaxFrameSize ${told} is below the minimum ${MIN_FRAME_SIZE}`);
  return told;
}

/** A positive number from the environment, else undefined. */
function positiveEnv(name: string): number | undefined {
  const value = Number(process.env[name] ?? '');
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** What `arwen` says when it is run by hand (no node's pipes), or asked for help. */
export const USAGE = `arwen: the dme-vm VM process. It is not run by hand: a node's driver starts it (@vm/driver's
VMDriver, or any node speaking the reference's protocol) and passes one Initialize frame on fd 3, requests on
fd 4, answers on fd 5, log levels on fd 6 and log lines on fd 7. Environment: ARWEN_NODE_TIMEOUT_MS,
ARWEN_BUSY_POLL_US, ARWEN_MAX_LOOP_TIME_MS, ARWEN_LOG_LEVELS, ARWEN_PARENT_DEATH_SIGNAL (set by the driver);
ARWEN_REFERENCE_ONLY=1 (testing: speak only the reference protocol, never acknowledging offered capabilities).
`;

/** Whether fd 3 is a pipe or socket (a node's driver passes the Initialize pipe there; a terminal has none). */
function hasInitializePipe(): boolean {
  try {
    const stat = fstatSync(FD.init);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    process.exit(EXIT_CODE.success);
  }
  if (argv.includes('--version')) {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    process.stdout.write(`${manifest.version}\n`);
    process.exit(EXIT_CODE.success);
  }
  if (!hasInitializePipe()) {
    process.stderr.write(USAGE);
    process.exit(EXIT_CODE.init);
  }
  let messenger: SyncMessenger;
  let vm: VMHost;
  let gateway: ReturnType<typeof createBlockchainGateway>;
  let pipes: ReturnType<typeof startLogPipes>;
  let accepted: number;
  let createVM: (schedule: GasScheduleMap) => VMHost;
  try {
    watchParent();
    const { Arguments: args } = readInitialize();
    const codec = codecFor(args.MessagesMarshalizer, 'MessagesMarshalizer');
    const maxFrameSize = frameLimit(args.MaxFrameSize ?? 0);
    assertSupportedMarshalizer(args.LogsMarshalizer, 'LogsMarshalizer'); // log lines are JSON only
    if (process.env.ARWEN_LOG_LEVELS) setLogLevels(process.env.ARWEN_LOG_LEVELS);
    pipes = startLogPipes(FD.logProfile, FD.logLines);
    messenger = new SyncMessenger({
      readFd: FD.nodeToArwen,
      writeFd: FD.arwenToNode,
      name: 'ARWEN',
      receiveTimeoutMs: positiveEnv('ARWEN_NODE_TIMEOUT_MS'),
      busyPollMicros: positiveEnv('ARWEN_BUSY_POLL_US'),
      codec,
      maxFrameSize,
    });
    gateway = createBlockchainGateway(messenger);
    createVM = (gasSchedule) =>
      new VMHost({
        blockchainHook: gateway,
        gasSchedule,
        blockGasLimit: args.BlockGasLimit,
        protectedKeyPrefix: args.Kalyan3104ProtectedKeyPrefix ?? undefined,
        vmType: args.VMType ?? undefined,
        builtinFunctions: args.ProtocolBuiltinFunctions ?? [],
        maxOutputBytes: outputLimitForFrame(maxFrameSize),
      });
    vm = createVM(args.GasSchedule ?? {});
    // ARWEN_REFERENCE_ONLY=1 (a testing aid): behave as a reference VM, which ignores the offer and never acknowledges
    accepted =
      process.env.ARWEN_REFERENCE_ONLY === '1' ? 0 : acknowledgeCapabilities(messenger, args.Capabilities ?? 0);
  } catch (error) {
    process.stderr.write(`Cannot create ArwenPart: ${(error as Error).message}\n`);
    process.exit(EXIT_CODE.init);
  }
  // the loop below never yields to the event loop: asynchronous set-up must be finished first
  await keccakReady;
  log.info('arwen started');
  const reason = runArwenLoop(messenger, vm, {
    maxWaitMs: (positiveEnv('ARWEN_MAX_LOOP_TIME_MS') ?? Infinity) + WAIT_GRACE_MS,
    beforeRequest: () => {
      pipes.refresh();
      gateway.startRequest();
    },
    beforeContract: (request) => gateway.preload(request.Prefetch),
    extensions: { accepted, version: arwenVersion(), changeGasSchedule: createVM },
  });
  // stderr is for trouble: the driver logs its lines as errors
  if (reason.code !== ErrorCode.StopPerNodeRequest.code) process.stderr.write(`Ended Arwen loop: ${reason.message}\n`);
  pipes.close();
  process.exit(EXIT_CODE.terminated);
}
