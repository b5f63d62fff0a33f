/**
 * The VM process's forever loop (reference ipc/arwenpart/part.go): receive a request, run it, answer, reset the
 * dialogue; Stop, the node closing fd 4, or any protocol violation ends the loop.
 */
import {
  Capability,
  ErrorCode,
  hasCapability,
  MessageKind,
  VMError,
  createMessage,
  describeMessage,
  type Message,
  type MessageOf,
  type GasScheduleMap,
  type VMExecutionHandler,
  type VMOutput,
} from '@vm/protocol';
import { getLogger } from '@vm/logging';
import { monotonicMs, type SyncMessenger } from '@vm/messenger';
import { HostError } from '../errors';

const log = getLogger('arwen/part');
const durations = getLogger('arwen/duration');

export interface ArwenPartOptions {
  /** Called when a request arrived, before it is served (e.g. to apply new log levels). */
  beforeRequest?: () => void;
  /** The longest a DiagnoseWait sleeps (the node's budget for a request; it gives up by then). Default: no bound. */
  maxWaitMs?: number;
  /** Called with each contract request before it runs (e.g. to take the answers the node read ahead). */
  beforeContract?: (request: MessageOf<MessageKind.ContractDeployRequest | MessageKind.ContractCallRequest>) => void;
  /** The negotiated extensions; without them, their requests are refused as the reference refuses unknown kinds. */
  extensions?: ArwenExtensions;
}

/** The VM's side of the negotiated extensions (see capabilities.ts of @vm/protocol). */
export interface ArwenExtensions {
  /** The capabilities agreed in Initialize. */
  readonly accepted: number;
  readonly version: { Version: string; Build: string };
  /** A VM running `schedule` (with none of the old compiled modules); throws a VMError for an invalid schedule. */
  changeGasSchedule(schedule: GasScheduleMap): VMExecutionHandler;
}

/** Runs until the loop ends; returns the reason (a VMError). */
export function runArwenLoop(
  messenger: SyncMessenger,
  vm: VMExecutionHandler,
  options: ArwenPartOptions = {},
): VMError {
  messenger.resetDialogue();
  for (;;) {
    let request: Message;
    try {
      request = messenger.receive();
      // after the request arrived: what the node sent before it (e.g. new log levels) applies to it
      options.beforeRequest?.();
    } catch (error) {
      return endOfLoop(error);
    }
    if (request.Kind === MessageKind.Stop) return endOfLoop(new VMError(ErrorCode.StopPerNodeRequest));
    const started = monotonicMs();
    let response: Message;
    try {
      if (request.Kind === MessageKind.GasScheduleChangeRequest && agreed(options, Capability.GasScheduleChange)) {
        [vm, response] = changeGasSchedule(vm, request, options.extensions!);
      } else {
        if (request.Kind === MessageKind.ContractCallRequest || request.Kind === MessageKind.ContractDeployRequest)
          options.beforeContract?.(request);
        response = serve(request, vm, options);
      }
    } catch (error) {
      return endOfLoop(error);
    }
    try {
      if (log.isLevelEnabled('trace')) log.trace('[ARWEN]: SendContractResponse', { msg: describeMessage(response) });
      messenger.send(response);
    } catch (error) {
      return endOfLoop(error);
    }
    messenger.resetDialogue();
    if (durations.isLevelEnabled('trace'))
      durations.trace('request served', { kind: request.Kind, ms: (monotonicMs() - started).toFixed(3) });
  }
}

const agreed = (options: ArwenPartOptions, capability: Capability) =>
  options.extensions !== undefined && hasCapability(options.extensions.accepted, capability);

/** The VM after a GasScheduleChange (the old one when the schedule is refused), and the answer. */
function changeGasSchedule(
  vm: VMExecutionHandler,
  request: MessageOf<MessageKind.GasScheduleChangeRequest>,
  extensions: ArwenExtensions,
): [VMExecutionHandler, Message] {
  try {
    const changed = extensions.changeGasSchedule(request.GasSchedule ?? {});
    log.info('gas schedule changed');
    return [changed, createMessage(MessageKind.GasScheduleChangeResponse, {})];
  } catch (error) {
    // a schedule the VM cannot run is refused (the VM goes on with the old one); anything else is not the schedule's
    if (!VMError.is(error, HostError.InvalidGasSchedule)) throw error;
    log.error('gas schedule refused', { err: (error as Error).message });
    return [vm, createMessage(MessageKind.GasScheduleChangeResponse, {}, (error as Error).message)];
  }
}

function serve(request: Message, vm: VMExecutionHandler, options: ArwenPartOptions): Message {
  const maxWaitMs = options.maxWaitMs ?? Infinity;
  switch (request.Kind) {
    case MessageKind.ContractDeployRequest:
      return contractResponse(() => {
        const input = (request as MessageOf<MessageKind.ContractDeployRequest>).CreateInput;
        if (!input) throw new VMError(ErrorCode.BadRequestFromNode, 'ContractDeployRequest without CreateInput');
        return vm.runSmartContractCreate(input) as VMOutput;
      });
    case MessageKind.ContractCallRequest:
      return contractResponse(() => {
        const input = (request as MessageOf<MessageKind.ContractCallRequest>).CallInput;
        if (!input) throw new VMError(ErrorCode.BadRequestFromNode, 'ContractCallRequest without CallInput');
        return vm.runSmartContractCall(input) as VMOutput;
      });
    case MessageKind.DiagnoseWaitRequest: {
      const ms = Math.min((request as MessageOf<MessageKind.DiagnoseWaitRequest>).Milliseconds, maxWaitMs);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      return createMessage(MessageKind.DiagnoseWaitResponse, {});
    }
    case MessageKind.VersionRequest:
      if (!agreed(options, Capability.Version)) break;
      return createMessage(MessageKind.VersionResponse, options.extensions!.version);
  }
  throw new VMError(ErrorCode.BadRequestFromNode, `unexpected ${describeMessage(request)}`);
}

/**
 * A contract response. A critical VMError (a broken pipe, a bad answer from the node) ends the loop. A hook that
 * failed aborts the execution: the answer carries no VMOutput, only the error (the node part reports it as
 * HookFailed). Any other exception is a VM bug: reported in ErrorMessage, as the reference does with a caught
 * panic, and the VM goes on.
 */
function contractResponse(run: () => VMOutput): Message {
  try {
    return createMessage(MessageKind.ContractResponse, { VMOutput: run() });
  } catch (error) {
    if (error instanceof VMError && error.critical) throw error;
    if (VMError.is(error, ErrorCode.HookFailed) || VMError.is(error, ErrorCode.InvalidContractInput)) {
      log.error('request aborted', { err: error.message });
      return createMessage(MessageKind.ContractResponse, { VMOutput: null }, error.message);
    }
    log.error('contract execution failed unexpectedly', { err: (error as Error).message });
    return createMessage(MessageKind.ContractResponse, { VMOutput: null }, `arwen panic: ${(error as Error).message}`);
  }
}

function endOfLoop(error: unknown): VMError {
  const reason = error instanceof VMError ? error : new VMError(ErrorCode.ReadFailed, String(error), { cause: error });
  // a Stop is the normal end, not an error
  if (reason.code === ErrorCode.StopPerNodeRequest.code) log.info('end of loop', { reason: reason.message });
  else log.error('end of loop', { err: reason.message });
  return reason;
}
