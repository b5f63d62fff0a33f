export {
  MessageKind,
  MESSAGE_KIND_TABLE,
  HOOK_REQUEST_KINDS,
  kindName,
  isKnownKind,
  isHookCall,
  isHookRequest,
  isDiagnose,
  isContractResponse,
  isStopRequest,
  responseKindOf,
  isVmRequest,
  endsDialogue,
} from './messageKinds';
export {
  Capability,
  ALL_CAPABILITIES,
  capabilitySet,
  capabilityNames,
  hasCapability,
  codeHash,
  sha256,
} from './capabilities';
export { DEFAULT_MAX_FRAME_SIZE, MIN_FRAME_SIZE, DEFAULT_MAX_OUTPUT_BYTES, outputLimitForFrame } from './limits';
export { PREAMBLE_SIZE, encodePreamble, decodePreamble } from './preamble';
export { VM_FD, vmSpawnStdio, vmPipes } from './fdLayout';
export { VMError, ErrorCode, defineErrors } from './errors';
export { encodeMessage, encodeFrame, decodeMessage, createMessage, describeMessage } from './message';
export { MarshalizerKind, assertSupportedMarshalizer } from './marshalizer';
export { JSON_CODEC, BINARY_CODEC, codecFor } from './codecs';
export { BINARY_MAGIC } from './wire/binary/layout';
export { messageSchema, shapeSchema, BASE64_PATTERN } from './wire/json/schema';
export { PAYLOAD_SHAPES, EnvelopeShape } from './wire/messageShapes';
export {
  VMInputShape,
  ContractCreateInputShape,
  ContractCallInputShape,
  VMOutputShape,
  OutputAccountShape,
  StorageUpdateShape,
  LogEntryShape,
  AccountShape,
  VMHostParametersShape,
  ArwenArgumentsShape,
  PrefetchShape,
} from './wire/shapes';
export { bytesToKey, keyToBytes, quoteByteKey } from './wire/json/byteKeys';
export { parseJsonLossless, goQuote } from './wire/json/goJson';
export {
  AsyncGeneratedCallShape,
  AsyncContextShape,
  encodeAsyncContextInfo,
  decodeAsyncContextInfo,
} from './types/asyncContextInfo';
export { HOOK_CALLS, blockchainHookMethods } from './types/hookCalls';
export { contractInputProblem, assertContractInput } from './types/inputChecks';
export { gasScheduleMapOf } from './types/gasScheduleInput';
export {
  CallType,
  ReturnCode,
  returnCodeString,
  DEFAULT_PROTECTED_KEY_PREFIX,
  METADATA_UPGRADEABLE,
  DEFAULT_VM_TYPE,
} from './types/vmTypes';

export type { ErrorDefinition } from './errors';
export type { MessageCodec } from './codecs';
export type { Preamble } from './preamble';
export type { VMFdName, VMStdioMode, VMPipes } from './fdLayout';
export type { KindFamily, KindDirection } from './messageKinds';
export type { Bytes, BytesMapEntry, GasScheduleMap, Field, Shape, ShapeValue } from './wire/fields';
export type { Message, MessageOf, WireKind } from './wire/messageShapes';
export type { JsonSchema } from './wire/json/schema';
export type {
  VMInput,
  ContractCreateInput,
  ContractCallInput,
  VMOutput,
  OutputAccount,
  StorageUpdate,
  LogEntry,
  Account,
  VMHostParameters,
  ArwenArguments,
  Prefetch,
  PrefetchedAccount,
  PrefetchedStorage,
} from './wire/shapes';
export type { HookCall } from './types/hookCalls';
export type { AsyncContextInfo, AsyncContextRecord, AsyncGeneratedCallRecord } from './types/asyncContextInfo';
export type { GasScheduleInput, ValidatedGasScheduleLike } from './types/gasScheduleInput';
export type { BlockchainHook, AsyncBlockchainHook, CryptoHook, VMExecutionHandler, Awaitable } from './types/hooks';
