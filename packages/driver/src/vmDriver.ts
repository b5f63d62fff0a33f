/**
 * The node's VMExecutionHandler over an `arwen` child process (reference ipc/nodepart/arwenDriver.go, improved):
 * requests are queued (never interleaved on the pipes); a child that exits fails the request in flight at once;
 * any critical error kills the child and the next request starts a new one, unless it keeps crashing; Stop is
 * graceful with a kill after a grace period; nothing leaks across restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import {
  ALL_CAPABILITIES,
  assertContractInput,
  Capability,
  capabilitySet,
  hasCapability,
  blockchainHookMethods,
  codecFor,
  createMessage,
  encodeFrame,
  MarshalizerKind,
  MessageKind,
  VMError,
  ErrorCode,
  gasScheduleMapOf,
  DEFAULT_PROTECTED_KEY_PREFIX,
  DEFAULT_VM_TYPE,
  DEFAULT_MAX_FRAME_SIZE,
  MIN_FRAME_SIZE,
  vmPipes,
  vmSpawnStdio,
  type AsyncBlockchainHook,
  type ContractCallInput,
  type ContractCreateInput,
  type GasScheduleInput,
  type Message,
  type MessageCodec,
  type GasScheduleMap,
  type MessageOf,
  type VMExecutionHandler,
  type VMOutput,
} from '@vm/protocol';
import { getLogger, getLogLevels } from '@vm/logging';
import { AsyncMessenger } from '@vm/messenger';
import { runNodePart } from '@vm/node-part';
import { captureChildOutput, profileFrame } from './childLogs';
import { DriverError } from './errors';
import { arwenCommand, locateArwen } from './locateArwen';
import { withParentDeathSignal } from './parentDeath';
import { CrashLoopBreaker, type RestartPolicy } from './restartPolicy';
import { acceptAcknowledgement, Prefetcher } from './extensions';

export interface VMDriverOptions {
  blockchainHook: AsyncBlockchainHook;
  /** A map of sections or a validated schedule (`loadGasSchedule()` of @vm/host). */
  gasSchedule: GasScheduleInput;
  blockGasLimit?: bigint;
  protectedKeyPrefix?: Uint8Array;
  vmType?: Uint8Array;
  builtinFunctions?: string[];
  /** Path of the arwen executable (see locateArwen for the search when omitted). */
  arwenPath?: string;
  /** Budget of one request, reads and writes included (MaxLoopTime). Default 10,000 ms. */
  maxLoopTimeMs?: number;
  /** How long a graceful Stop may take before the child is killed. Default 1,000 ms. */
  closeGraceMs?: number;
  /** When to stop restarting a crashing child. Default: more than 5 crashes within 60 s. */
  restartPolicy?: RestartPolicy;
  /** Extra environment for the child (e.g. ARWEN_NODE_TIMEOUT_MS). */
  env?: NodeJS.ProcessEnv;
  /**
   * Microseconds each side polls its pipe before sleeping while it waits for the other (DEFAULT_BUSY_POLL_MICROS;
   * 0 = never). A hook round trip then costs a few microseconds instead of two CPU wakeups; the node's event loop
   * is held for at most this long per message it waits for.
   */
  busyPollMicros?: number;
  /**
   * The payload codec of fd 4 and 5, announced in Initialize (DEFAULT_MESSAGES_MARSHALIZER). Binary is ours: 3-4×
   * faster to encode and decode, and what a dme-vm `arwen` should be spoken to in; JSON is the reference's (for
   * its Go `arwen`, which does not know Binary). Gob is refused.
   */
  messagesMarshalizer?: MarshalizerKind;
  /**
   * The largest frame payload either side sends or accepts, told to the VM in Initialize (DEFAULT_MAX_FRAME_SIZE,
   * at least MIN_FRAME_SIZE). The VM bounds an execution's output to outputLimitForFrame(maxFrameSize); a
   * request or hook answer over it is refused with MessageTooLarge before anything is written.
   */
  maxFrameSize?: number;
  /**
   * The extensions offered to the VM in Initialize (default: every Capability); each is used only if the VM
   * accepts it, from a child's second request on (the first is sent in the reference form). A VM that speaks
   * only the reference protocol works with the default too; `[]` sends the reference's Initialize byte for byte.
   */
  capabilities?: readonly Capability[];
  /**
   * Keep a second child started and initialised in the background (default false): a restart after a crash is
   * then a hand-over to it, not a boot, and a new standby starts when the request that needed it ends. It costs
   * one more idle process (see the benchmark's idle-memory row).
   */
  warmStandby?: boolean;
}

/**
 * Failures counted by kind. Only `crashes` (the child exited, was signalled or closed its pipes on its own) feed
 * the crash-loop breaker: a contract cannot trip it with outputs or requests that are refused, and a timeout or a
 * protocol violation is a kill of the driver's own.
 */
export interface DriverStats {
  /** Requests sent or attempted (contract calls, deploys, diagnose). */
  readonly requests: number;
  /** Children started. */
  readonly starts: number;
  readonly crashes: number;
  /** Requests over their budget: the child was killed. */
  readonly timeouts: number;
  /** Malformed or unexpected messages from the child: it was killed. */
  readonly protocolErrors: number;
  /** Messages refused before they were written (MessageTooLarge): the child kept running. */
  readonly refusals: number;
  /** Requests failed by the node's own hook (HookFailed): the child kept running. */
  readonly hookFailures: number;
  /** Round trips with the VM: one per request, plus one per request of the VM's (hook calls, codes by hash). */
  readonly roundTrips: number;
}

/** Failures that end a request but leave the child and its pipes as they were. */
const REFUSALS = [ErrorCode.HookFailed, ErrorCode.MessageTooLarge];
/** Failures that mean the child closed its end. */
const CLOSED_BY_PEER = [ErrorCode.PeerClosed, ErrorCode.PeerClosedMidFrame, ErrorCode.WriteFailed];

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export const DEFAULT_BUSY_POLL_MICROS = 1000;
/** The request that decides what an undecided child agreed to (see agreement()): a reference request, no work. */
const PROBE = createMessage(MessageKind.DiagnoseWaitRequest, { Milliseconds: 0 });
export const DEFAULT_MAX_LOOP_TIME_MS = 10_000;
export const DEFAULT_MESSAGES_MARSHALIZER = MarshalizerKind.Binary;

const log = getLogger('arwenDriver');

interface Child {
  readonly process: ChildProcess;
  readonly messenger: AsyncMessenger;
  readonly profile: Writable;
  readonly exited: Promise<void>;
  exitReason: VMError | undefined;
  /**
   * What the VM agreed to: undefined until its first message decides (capabilities offered), then the
   * capabilities of its InitializeAcknowledge, or 0 when the first message was anything else (a reference VM).
   */
  agreed: number | undefined;
  /** Set when the driver itself stops or kills the child: such an exit is not a crash. */
  expectedExit: boolean;
}

export class VMDriver implements VMExecutionHandler {
  private child: Child | undefined;
  /** The warm standby (warmStandby), started in the background, not yet used. */
  private standby: Child | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly breaker: CrashLoopBreaker;
  private closedForGood = false;
  private requests = 0;
  private readonly counts: { -readonly [K in Exclude<keyof DriverStats, 'requests' | 'starts'>]: number } = {
    roundTrips: 0,
    crashes: 0,
    timeouts: 0,
    protocolErrors: 0,
    refusals: 0,
    hookFailures: 0,
  };
  private starts = 0;
  /** The child's log levels, when set apart from the node's own (setLogLevels). */
  private childLogLevels: string | undefined;

  private readonly codec: MessageCodec;
  private readonly maxFrameSize: number;
  private readonly offered: number;
  private readonly prefetcher: Prefetcher;
  /** The schedule the next child starts with (gasScheduleChange replaces it). */
  private gasSchedule: GasScheduleMap;

  constructor(private readonly options: VMDriverOptions) {
    for (const method of blockchainHookMethods())
      if (typeof (options.blockchainHook as unknown as Record<string, unknown>)?.[method] !== 'function')
        throw new VMError(DriverError.InvalidOptions, `the blockchain hook has no method ${method}`);
    const frame = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    if (!Number.isSafeInteger(frame) || frame < MIN_FRAME_SIZE || frame > 0xffffffff)
      throw new VMError(DriverError.InvalidOptions, `maxFrameSize must be an integer from ${MIN_FRAME_SIZE} to 2^32-1`);
    this.maxFrameSize = frame;
    this.breaker = new CrashLoopBreaker(options.restartPolicy);
    this.codec = codecFor(options.messagesMarshalizer ?? DEFAULT_MESSAGES_MARSHALIZER, 'messagesMarshalizer');
    this.offered = options.capabilities ? capabilitySet(options.capabilities) : ALL_CAPABILITIES;
    this.prefetcher = new Prefetcher(options.blockchainHook);
    this.gasSchedule = gasScheduleMapOf(options.gasSchedule);
  }

  private get maxLoopTimeMs(): number {
    return this.options.maxLoopTimeMs ?? DEFAULT_MAX_LOOP_TIME_MS;
  }

  private get busyPollMicros(): number {
    return this.options.busyPollMicros ?? DEFAULT_BUSY_POLL_MICROS;
  }

  /** What happened so far: requests, child starts, and each kind of failure, counted apart. */
  get stats(): DriverStats {
    return { requests: this.requests, starts: this.starts, ...this.counts };
  }

  /** The pid of the running child, if any. */
  get pid(): number | undefined {
    return this.child?.process.pid;
  }

  /** The pid of the warm standby, if one is up (warmStandby). */
  get standbyPid(): number | undefined {
    return this.standby && !this.standby.exitReason ? this.standby.process.pid : undefined;
  }

  /** Rejects with InvalidContractInput (before anything is sent) for values a node never sends. */
  async runSmartContractCreate(input: ContractCreateInput): Promise<VMOutput> {
    assertContractInput(input, 'create');
    return this.contractRequest(createMessage(MessageKind.ContractDeployRequest, { CreateInput: input }));
  }

  /** Rejects with InvalidContractInput (before anything is sent) for values a node never sends. */
  async runSmartContractCall(input: ContractCallInput): Promise<VMOutput> {
    assertContractInput(input, 'call');
    return this.contractRequest(createMessage(MessageKind.ContractCallRequest, { CallInput: input }));
  }

  /** The capabilities the running VM agreed to (starting one if none runs); 0 with a reference VM. */
  async capabilities(): Promise<number> {
    return this.serialized(async () => {
      await this.restartIfNecessary();
      return this.agreement(this.child!, this.maxLoopTimeMs);
    });
  }

  /**
   * The VM's version and build (capability Version). Rejects with NotNegotiated when the VM did not agree to it
   * (a reference VM has no version request).
   */
  async version(): Promise<{ version: string; build: string }> {
    const response = await this.serialized(() =>
      this.request(createMessage(MessageKind.VersionRequest, {}), Capability.Version),
    );
    const { Version, Build } = response as MessageOf<MessageKind.VersionResponse>;
    return { version: Version, build: Build };
  }

  /**
   * Runs every later request with `schedule`. A VM that agreed to GasScheduleChange applies it in place (its
   * compiled modules are dropped, their metering depends on it); rejects with GasScheduleRefused, keeping the old
   * schedule, when the VM finds it invalid. Otherwise the VM is stopped and the next request starts one with the
   * new schedule (such a VM checks it only when it starts). Queued like every request: the requests before it run with the old schedule, those after with
   * the new one.
   */
  async gasScheduleChange(schedule: GasScheduleInput): Promise<void> {
    const map = gasScheduleMapOf(schedule);
    await this.serialized(async () => {
      if (hasCapability(this.offered, Capability.GasScheduleChange)) {
        // a VM that may agree is asked (started if none runs: it checks the schedule, the next request needs it)
        await this.restartIfNecessary();
        if (hasCapability(await this.agreement(this.child!, this.maxLoopTimeMs), Capability.GasScheduleChange)) {
          const change = createMessage(MessageKind.GasScheduleChangeRequest, { GasSchedule: map });
          const response = await this.request(change);
          if (response.ErrorMessage !== '') throw new VMError(DriverError.GasScheduleRefused, response.ErrorMessage);
          this.gasSchedule = map;
          await this.stopChild(this.takeStandby()); // started with the old schedule: never handed over
          return;
        }
      }
      this.gasSchedule = map;
      await Promise.all([this.stopChild(this.child), this.stopChild(this.takeStandby())]);
    });
  }

  /** Makes the child sleep `milliseconds` before answering (to exercise timeouts). */
  async diagnoseWait(milliseconds: number): Promise<void> {
    const response = await this.serialized(() =>
      this.request(createMessage(MessageKind.DiagnoseWaitRequest, { Milliseconds: milliseconds })),
    );
    // the VM's own error, if it sent one (not critical: the child answered and stays)
    if (response.ErrorMessage !== '') throw new VMError(DriverError.ArwenPanic, response.ErrorMessage);
  }

  isClosed(): boolean {
    return !this.child || this.child.exitReason !== undefined;
  }

  /** Starts a child if none is running. */
  async restartIfNecessary(): Promise<void> {
    if (this.closedForGood) throw new VMError(DriverError.DriverClosed);
    if (!this.isClosed()) return;
    await this.child?.exited;
    const refusal = this.breaker.refusal();
    if (refusal) throw refusal;
    this.child = this.takeStandby() ?? this.start();
  }

  /** The standby, if it is still up (it leaves the standby slot either way). */
  private takeStandby(): Child | undefined {
    const standby = this.standby;
    this.standby = undefined;
    return standby && !standby.exitReason ? standby : undefined;
  }

  /** Starts a standby when warmStandby asks for one and none is up (not while the driver is closing for good). */
  private ensureStandby(): void {
    if (!this.options.warmStandby || this.closedForGood || this.standbyPid !== undefined) return;
    if (this.breaker.refusal()) return;
    this.standby = this.start();
  }

  /**
   * Sends the node's current log-level pattern (or `pattern`) to the child; before the child starts (or after it
   * stopped) it is kept, and the next child starts with it.
   */
  setLogLevels(pattern: string = getLogLevels()): void {
    this.childLogLevels = pattern;
    for (const child of [this.child, this.standby])
      if (child && !child.exitReason) child.profile.write(profileFrame(pattern));
  }

  /** Graceful Stop, then a kill after the grace period. The driver can be used again afterwards (it restarts). */
  async close(): Promise<void> {
    await this.serialized(async () => {
      const standby = this.standby;
      this.standby = undefined;
      await Promise.all([this.stopChild(this.child), this.stopChild(standby)]);
    });
  }

  /** Stops the child and refuses further requests. */
  async dispose(): Promise<void> {
    await this.close();
    this.closedForGood = true;
  }

  private async contractRequest(request: Message): Promise<VMOutput> {
    const response = (await this.serialized(() => this.request(request))) as MessageOf<MessageKind.ContractResponse>;
    if (response.Kind !== MessageKind.ContractResponse)
      throw new VMError(ErrorCode.BadMessageFromArwen, `expected a ContractResponse, got kind ${response.Kind}`);
    if (response.ErrorMessage !== '' || !response.VMOutput)
      throw new VMError(DriverError.ArwenPanic, response.ErrorMessage || 'no VMOutput');
    return response.VMOutput;
  }

  /** Requests run one at a time, in order. */
  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * What the child agreed to. Undecided (nothing answered yet), it is decided by a probe: a DiagnoseWait of 0 ms
   * in the reference form, whose first answer is our VM's acknowledgement or a reference VM's response. A probe
   * rather than a wait: a reference VM sends nothing of its own, and no deadline can tell it from a slow start.
   */
  private async agreement(child: Child, budgetMs: number): Promise<number> {
    if (child.agreed === undefined) await this.dialogue(child, PROBE, budgetMs);
    return child.agreed ?? 0;
  }

  /** One dialogue; `needs`: a capability the VM must have agreed to (NotNegotiated otherwise, nothing sent). */
  private async request(message: Message, needs?: Capability): Promise<Message> {
    try {
      return await this.exchange(message, needs);
    } finally {
      this.ensureStandby(); // after the request: a standby's start never competes with it
    }
  }

  private async exchange(message: Message, needs?: Capability): Promise<Message> {
    this.requests++;
    // one budget for the whole request: a fresh child's start and handshake, the reads ahead, the dialogue
    const started = performance.now();
    const budget = () => Math.max(1, this.maxLoopTimeMs - (performance.now() - started));
    // (a running child needs no await: a request costs no promise it does not need)
    if (this.closedForGood || this.isClosed()) {
      try {
        await this.restartIfNecessary();
      } catch (error) {
        throw asCritical(error);
      }
    }
    const child = this.child!;
    if (needs !== undefined) {
      const agreed = await this.agreement(child, budget());
      if (!hasCapability(agreed, needs)) throw new VMError(DriverError.NotNegotiated, Capability[needs]);
    }
    return this.dialogue(child, message, budget());
  }

  /**
   * One dialogue with `child`, within `budgetMs`. Until the child's first message decides what it agreed to, the
   * request goes in the reference form (exactly what `capabilities: []` sends), so a reference VM can answer it;
   * our VM sent its InitializeAcknowledge before reading the request, so the ack comes first, in a dialogue of its
   * own (the messenger's preamble), and the extensions are used from the next request on.
   */
  private async dialogue(child: Child, message: Message, budgetMs: number): Promise<Message> {
    const started = performance.now();
    const budget = () => Math.max(1, budgetMs - (performance.now() - started));
    if (child.agreed === undefined)
      child.messenger.expectPreamble(MessageKind.InitializeAcknowledge, (ack) => {
        child.agreed = ack ? acceptAcknowledgement(ack, this.offered) : 0;
      });
    const agreed = child.agreed ?? 0;
    const { session, finish } = this.prefetcher.session(message, agreed, () => this.counts.roundTrips++);
    try {
      const preparing = this.prefetcher.prepare(message, agreed);
      const prepared =
        preparing instanceof Promise ? await withinBudget(preparing, budget(), this.maxLoopTimeMs) : preparing;
      this.counts.roundTrips++;
      const response = await runNodePart(child.messenger, this.options.blockchainHook, prepared, {
        maxLoopTimeMs: budget(),
        session,
      });
      finish();
      return response;
    } catch (error) {
      const refusal = REFUSALS.find((code) => VMError.is(error, code));
      if (refusal && !child.exitReason) {
        // the request failed, but the dialogue ended cleanly (nothing too large was written): the child is fine
        this.counts[refusal === ErrorCode.HookFailed ? 'hookFailures' : 'refusals']++;
        throw error;
      }
      // The child closing its pipes is usually its exit, reported a moment later: wait for that reason.
      const closedByChild = CLOSED_BY_PEER.some((code) => VMError.is(error, code));
      if (closedByChild) await Promise.race([child.exited, delay(250)]);
      // the node part words a timeout with what was left of the budget: named here with the whole budget
      const failure =
        child.exitReason ?? (VMError.is(error, ErrorCode.Timeout) ? timeout(this.maxLoopTimeMs) : asCritical(error));
      if (!child.exitReason) {
        // An exit of the child's own was counted as a crash when it happened. Pipes it closed without exiting
        // (yet) are a crash too; a protocol violation or a timeout is a kill of ours, counted apart.
        if (closedByChild) this.breaker.recordCrash();
        this.counts[closedByChild ? 'crashes' : VMError.is(error, ErrorCode.Timeout) ? 'timeouts' : 'protocolErrors']++;
      }
      log.warn('request failed; arwen is stopped', { err: failure.message, request: this.requests });
      await this.kill(child);
      throw failure;
    }
  }

  private start(): Child {
    const arwen = locateArwen(this.options.arwenPath);
    const launch = withParentDeathSignal(arwenCommand(arwen));
    log.info('ArwenDriver.startArwen()', { path: arwen });
    this.starts++;
    const child = spawn(launch.command, launch.args, {
      stdio: vmSpawnStdio(),
      // the node's current levels from the first line on (fd 6 carries later changes)
      env: {
        ...process.env,
        ARWEN_LOG_LEVELS: this.childLogLevels ?? getLogLevels(),
        ARWEN_BUSY_POLL_US: String(this.busyPollMicros),
        ARWEN_MAX_LOOP_TIME_MS: String(this.maxLoopTimeMs),
        ...launch.env,
        ...this.options.env,
      },
    });
    const pipes = vmPipes(child);
    const messenger = new AsyncMessenger(pipes.arwenToNode, pipes.nodeToArwen, {
      name: 'NODE',
      busyPollMicros: this.busyPollMicros,
      codec: this.codec,
      maxFrameSize: this.maxFrameSize,
    });
    const stderrTail: string[] = [];
    captureChildOutput(
      pipes.stdout,
      pipes.stderr,
      pipes.logLines,
      (line) => stderrTail.push(line) > 5 && stderrTail.shift(),
    );
    for (const stream of [pipes.init, pipes.nodeToArwen, pipes.logProfile]) stream.on('error', () => undefined);
    const state: Child = {
      process: child,
      messenger,
      profile: pipes.logProfile,
      exitReason: undefined,
      agreed: this.offered === 0 ? 0 : undefined,
      expectedExit: false,
      exited: new Promise<void>((resolve) => {
        const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
          const how = signal ? `signal ${signal}` : `code ${code}`;
          if (!state.expectedExit) {
            this.breaker.recordCrash();
            this.counts.crashes++;
          }
          state.exitReason ??= new VMError(
            DriverError.ArwenExited,
            `${how}${stderrTail.length ? `: ${stderrTail.join(' | ')}` : ''}`,
          );
          messenger.close(state.exitReason);
          log.info('arwen exited', { how });
          resolve();
        };
        child.once('exit', onExit);
        child.once('error', (error) => {
          state.exitReason ??= new VMError(DriverError.ArwenStartFailed, error.message, { cause: error });
          messenger.close(state.exitReason);
          resolve();
        });
      }),
    };
    pipes.init.end(encodeFrame(createMessage(MessageKind.Initialize, { Arguments: this.arguments() })));
    pipes.logProfile.write(profileFrame(this.childLogLevels ?? getLogLevels()));
    return state;
  }

  private arguments(): MessageOf<MessageKind.Initialize>['Arguments'] {
    const o = this.options;
    return {
      VMType: o.vmType ?? DEFAULT_VM_TYPE,
      BlockGasLimit: o.blockGasLimit ?? 10_000_000n,
      GasSchedule: this.gasSchedule,
      ProtocolBuiltinFunctions: o.builtinFunctions ?? null,
      Kalyan3104ProtectedKeyPrefix: o.protectedKeyPrefix ?? Buffer.from(DEFAULT_PROTECTED_KEY_PREFIX),
      LogsMarshalizer: MarshalizerKind.JSON,
      MessagesMarshalizer: this.codec.marshalizer,
      MaxFrameSize: this.maxFrameSize,
      Capabilities: this.offered,
    };
  }

  private async stopChild(child: Child | undefined): Promise<void> {
    if (!child || child.exitReason) return;
    child.expectedExit = true;
    try {
      await child.messenger.send(createMessage(MessageKind.Stop, {}));
    } catch {
      // already broken: kill below
    }
    const grace = new Promise<'timeout'>((resolve) =>
      setTimeout(resolve, this.options.closeGraceMs ?? 1000, 'timeout').unref(),
    );
    if ((await Promise.race([child.exited.then(() => 'exited' as const), grace])) === 'timeout') await this.kill(child);
  }

  private async kill(child: Child): Promise<void> {
    child.expectedExit = true;
    if (!child.exitReason) child.process.kill('SIGKILL');
    await child.exited;
  }
}

/** `work`, or a Timeout after `ms` (worded as the node part words it: the budget is the request's). */
async function withinBudget<T>(work: Promise<T>, ms: number, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(timeout(budgetMs)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const timeout = (budgetMs: number) =>
  new VMError(ErrorCode.Timeout, `the request did not finish within ${budgetMs} ms`);

function asCritical(error: unknown): VMError {
  if (error instanceof VMError)
    return error.critical
      ? error
      : new VMError({ code: error.code, message: error.message, critical: true, family: error.family });
  return new VMError(ErrorCode.ReadFailed, String(error), { cause: error });
}
