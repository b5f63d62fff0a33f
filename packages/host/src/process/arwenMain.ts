/**
 * The `arwen` VM process (reference cmd/arwen/main.go): fd 3 one Initialize frame; fd 4 node -> VM; fd 5 VM -> node;
 * fd 6 log levels; fd 7 log lines. Exit codes: 2 bad initialization, 3 the loop ended (Stop, the node gone,
 * a protocol violation). The process never outlives its node: EOF on fd 4, or no answer within
 * ARWEN_NODE_TIMEOUT_MS while a contract waits on a hook, ends it. ARWEN_BUSY_POLL_US: microseconds to poll fd 4
 * before sleeping in a read (default 0; the driver passes its own setting).
 */
import { readSync } from 'node:fs';
import {
  assertSupportedMarshalizer,
  codecFor,
  decodeMessage,
  MessageKind,
  VMError,
  ErrorCode,
  type MessageOf,
} from '@vm/protocol';
import { FrameReader, SyncMessenger, getLogger, setLogLevels } from '@vm/messenger';
import { VMHost } from '../vmHost';
import { createBlockchainGateway } from './blockchainGateway';
import { runArwenLoop } from './arwenPart';
import { startLogPipes } from './logPipes';
import { keccakReady } from '../eei/keccak';

export const FD = Object.freeze({ init: 3, nodeToArwen: 4, arwenToNode: 5, logProfile: 6, logLines: 7 });
export const EXIT_CODE = Object.freeze({ success: 0, cannotCreateFile: 1, init: 2, terminated: 3 });

const log = getLogger('arwen/host');

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

/** A positive number from the environment, else undefined. */
function positiveEnv(name: string): number | undefined {
  const value = Number(process.env[name] ?? '');
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export async function main(): Promise<void> {
  let messenger: SyncMessenger;
  let vm: VMHost;
  let gateway: ReturnType<typeof createBlockchainGateway>;
  let pipes: ReturnType<typeof startLogPipes>;
  try {
    const { Arguments: args } = readInitialize();
    const codec = codecFor(args.MessagesMarshalizer, 'MessagesMarshalizer');
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
    });
    gateway = createBlockchainGateway(messenger);
    vm = new VMHost({
      blockchainHook: gateway,
      gasSchedule: args.GasSchedule ?? {},
      blockGasLimit: args.BlockGasLimit,
      protectedKeyPrefix: args.Kalyan3104ProtectedKeyPrefix ?? undefined,
      vmType: args.VMType ?? undefined,
      builtinFunctions: args.ProtocolBuiltinFunctions ?? [],
    });
  } catch (error) {
    process.stderr.write(`Cannot create ArwenPart: ${(error as Error).message}\n`);
    process.exit(EXIT_CODE.init);
  }
  // the loop below never yields to the event loop: asynchronous set-up must be finished first
  await keccakReady;
  log.info('arwen started');
  const reason = runArwenLoop(messenger, vm, {
    beforeRequest: () => {
      pipes.refresh();
      gateway.startRequest();
    },
  });
  process.stderr.write(`Ended Arwen loop: ${reason.message}\n`);
  pipes.close();
  process.exit(EXIT_CODE.terminated);
}
