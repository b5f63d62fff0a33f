/**
 * The VM process's BlockchainHook: every method is a hook request to the node and a blocking wait for its answer
 * (reference ipc/arwenpart/blockchainGateway.go). An answer carrying an ErrorMessage means the node could not
 * answer: a HookFailed VMError that aborts the execution (the reference read such answers as zero values); a
 * transport failure or a wrong answer is a critical VMError.
 *
 * With the negotiated extensions (capabilities.ts of @vm/protocol): answers the node sent with the request
 * (Prefetch) are taken instead of asking, and an account naming its code by hash gets the bytes from the
 * CodeStore, asked for with BlockchainGetCode only on a miss.
 */
import {
  codeHash,
  createMessage,
  HOOK_CALLS,
  HOOK_REQUEST_KINDS,
  MessageKind,
  responseKindOf,
  kindName,
  VMError,
  ErrorCode,
  type Account,
  type BlockchainHook,
  type Message,
  type MessageOf,
  type Prefetch,
  type WireKind,
} from '@vm/protocol';
import type { SyncMessenger } from '@vm/messenger';
import { CodeStore } from './codeStore';

export type BlockchainGateway = BlockchainHook & {
  /** Forgets what was learned during the last request (the node's state may have changed since). */
  startRequest(): void;
  /** The answers the node read ahead for this request (after startRequest). */
  preload(prefetch: Prefetch | null | undefined): void;
  /** Round trips to the node since the gateway was made (hook calls and codes asked for). */
  readonly roundTrips: number;
};

const hex = (bytes: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('hex') : '');

export function createBlockchainGateway(
  messenger: SyncMessenger,
  codes: CodeStore = new CodeStore(),
): BlockchainGateway {
  const gateway: Record<string, unknown> = {};
  const cache = new Map<string, unknown>();
  /** Storage values read ahead by the node: `address:index` -> data (served for the whole request). */
  const storage = new Map<string, Uint8Array | null>();
  /** Accounts read ahead by the node, taken (code resolved) when the VM first asks, inside the execution. */
  const accounts = new Map<string, { address: Uint8Array; account: Account | null }>();
  let roundTrips = 0;
  gateway.startRequest = () => {
    cache.clear();
    storage.clear();
    accounts.clear();
  };
  Object.defineProperty(gateway, 'roundTrips', { get: () => roundTrips });

  const request = (message: Message, expected: number): Message => {
    roundTrips++;
    // A transport failure throws a critical VMError from the messenger: it aborts the execution.
    const response = messenger.request(message);
    if (response.Kind !== expected)
      throw new VMError(
        ErrorCode.BadHookResponseFromNode,
        `${kindName(message.Kind)} answered with ${kindName(response.Kind) ?? response.Kind}`,
      );
    return response;
  };

  /** An account that names its code by hash gets the bytes (the same array each time). */
  const withCode = (address: Uint8Array, account: Account | null): Account | null => {
    if (!account?.CodeByHash) return account;
    const hash = account.CodeByHash;
    let code = codes.get(hash);
    if (!code) {
      const response = request(
        createMessage(MessageKind.BlockchainGetCodeRequest, { Address: address, CodeHash: hash }),
        MessageKind.BlockchainGetCodeResponse,
      ) as MessageOf<MessageKind.BlockchainGetCodeResponse>;
      if (response.ErrorMessage !== '') throw answeredWithError('getUserAccount', response.ErrorMessage);
      const bytes = response.Code ?? new Uint8Array(0);
      if (bytes.length !== account.CodeSize || !Buffer.from(codeHash(bytes)).equals(Buffer.from(hash)))
        throw new VMError(ErrorCode.BadHookResponseFromNode, `the code of ${hex(address)} does not match its hash`);
      code = codes.put(hash, bytes);
    }
    return { ...account, Code: code };
  };

  for (const kind of HOOK_REQUEST_KINDS) {
    const call = HOOK_CALLS[kind];
    const expected = responseKindOf(kind) as number;
    const ask = (...args: never[]) => {
      const response = request(createMessage(kind as WireKind, call.toRequest(...args) as never) as Message, expected);
      if (response.ErrorMessage !== '') throw answeredWithError(call.method, response.ErrorMessage);
      return call.fromResponse(response as unknown as Record<string, unknown>);
    };
    gateway[call.method] = ask;
  }
  // Accounts are read many times per request (code, balance, nonce, owner of the same address) and cannot change
  // while the request runs (the node applies results only after it): the gateway asks once per request.
  const askAccount = gateway.getUserAccount as (address: Uint8Array) => Account | null;
  gateway.getUserAccount = (address: Uint8Array) => {
    const key = hex(address);
    if (cache.has(key)) return cache.get(key);
    const ahead = accounts.get(key);
    // a code asked by hash can fail (HookFailed): resolved here, where the execution handles a hook's failure
    const account = ahead ? withCode(ahead.address, ahead.account) : withCode(address, askAccount(address));
    cache.set(key, account);
    return account;
  };
  const askStorage = gateway.getStorageData as (address: Uint8Array, index: Uint8Array) => Uint8Array | null;
  gateway.getStorageData = (address: Uint8Array, index: Uint8Array) => {
    const key = `${hex(address)}:${hex(index)}`;
    return storage.has(key) ? storage.get(key) : askStorage(address, index);
  };
  gateway.preload = (prefetch: Prefetch | null | undefined) => {
    for (const { Address, Account } of prefetch?.Accounts ?? [])
      if (Address) accounts.set(hex(Address), { address: Address, account: Account });
    for (const { Address, Index, Data } of prefetch?.Storage ?? [])
      if (Address && Index) storage.set(`${hex(Address)}:${hex(Index)}`, Data);
  };
  return gateway as unknown as BlockchainGateway;
}

/**
 * An answer with an error: the node could not answer (HookFailed, which aborts the execution), or, for
 * processBuiltInFunction, the built-in function itself failed (the execution fails with its text, as in the
 * reference).
 */
function answeredWithError(method: string, message: string): VMError {
  if (method === 'processBuiltInFunction') return new VMError(ErrorCode.BuiltinFunctionFailed, message);
  return new VMError(ErrorCode.HookFailed, `${method}: ${message}`);
}
