/**
 * The node's side of the negotiated extensions (capabilities.ts of @vm/protocol): the handshake after Initialize,
 * and what a contract request carries ahead under AccountPrefetch and StoragePrefetch. Every answer read ahead
 * is the node's hook's own answer, read while the request's state is fixed (before it runs), so the VM computes
 * exactly what it computes when it asks; a read that fails is left out (the VM then asks, and fails as usual).
 */
import {
  Capability,
  capabilityNames,
  hasCapability,
  MessageKind,
  VMError,
  type AsyncBlockchainHook,
  type Account,
  type Message,
  type MessageOf,
  type Prefetch,
  type PrefetchedStorage,
} from '@vm/protocol';
import { getLogger } from '@vm/logging';
import { accountByHash, type NodeSession } from '@vm/node-part';
import { DriverError } from './errors';

const log = getLogger('arwenDriver');

/**
 * The capabilities of the VM's InitializeAcknowledge (the first message our VM sends, before it reads a request),
 * checked to accept only what was offered. A reference VM sends none: its first message belongs to the first
 * request's dialogue, and the driver then uses no capability (see VMDriver's first request).
 */
export function acceptAcknowledgement(message: Message, offered: number): number {
  const { Capabilities, Version, Build } = message as MessageOf<MessageKind.InitializeAcknowledge>;
  if ((Capabilities & ~offered) !== 0)
    throw new VMError(
      DriverError.NoHandshake,
      `accepted what was not offered: ${capabilityNames(Capabilities & ~offered)}`,
    );
  log.debug('arwen acknowledged', { version: Version, build: Build, capabilities: capabilityNames(Capabilities) });
  return Capabilities;
}

const hex = (bytes: Uint8Array | null) => Buffer.from(bytes ?? []).toString('hex');
const storageKey = (read: PrefetchedStorage) => `${hex(read.Address)}:${hex(read.Index)}`;

/** The most storage keys read ahead per request, and the most (contract, function) pairs remembered. */
const MAX_KEYS = 16;
const MAX_FUNCTIONS = 1024;

/**
 * Reads ahead for contract requests. Storage: the keys the same function of the same contract read last time
 * (a learned guess of which keys; their values are always the hook's current answers, so a wrong guess costs
 * only bytes, never a different result).
 */
export class Prefetcher {
  private readonly learned = new Map<string, PrefetchedStorage[]>();

  constructor(private readonly hook: AsyncBlockchainHook) {}

  /**
   * The request with what is read ahead for it, under the agreed capabilities: at once when the hook answers
   * synchronously (no promise per read, none per request), else a promise (the reads then go one after another).
   */
  prepare(message: Message, capabilities: number): Message | Promise<Message> {
    const accounts = hasCapability(capabilities, Capability.AccountPrefetch);
    const storage = hasCapability(capabilities, Capability.StoragePrefetch);
    if (!accounts && !storage) return message;
    const reads: Read[] = [];
    if (accounts) {
      const byHash = hasCapability(capabilities, Capability.CodeByHash);
      for (const address of accountAddresses(message)) reads.push({ kind: 'account', address, byHash });
    }
    if (storage && message.Kind === MessageKind.ContractCallRequest && message.CallInput)
      for (const { Address, Index } of this.learned.get(learnedKey(message)) ?? [])
        reads.push({ kind: 'storage', Address, Index });
    if (reads.length === 0) return message;
    const values: unknown[] = [];
    for (let i = 0; i < reads.length; i++) {
      const value = this.read(reads[i]);
      if (isPromiseLike(value)) return this.prepareAsync(message, reads, values, value);
      values.push(value);
    }
    return withPrefetch(message, reads, values);
  }

  /** The rest of prepare() once a read returned a promise: that read awaited, then the others, one by one. */
  private async prepareAsync(
    message: Message,
    reads: Read[],
    values: unknown[],
    pending: PromiseLike<unknown>,
  ): Promise<Message> {
    values.push(await settled(pending));
    for (let i = values.length; i < reads.length; i++) values.push(await settled(this.read(reads[i])));
    return withPrefetch(message, reads, values);
  }

  /** One read ahead: the hook's answer (a value or a promise of one), or LEFT_OUT when it threw. */
  private read(read: Read): unknown {
    try {
      return read.kind === 'account'
        ? this.hook.getUserAccount(read.address)
        : this.hook.getStorageData(read.Address ?? EMPTY, read.Index ?? EMPTY);
    } catch {
      return LEFT_OUT; // left out: the VM asks, and the failure is reported where it would have been
    }
  }

  /**
   * The session of one request: counts the VM's requests and notes the storage keys it reads; `finish` (after a
   * completed request) keeps them for the next request to the same function.
   */
  session(message: Message, capabilities: number, onRequest: () => void): { session: NodeSession; finish(): void } {
    const reads: PrefetchedStorage[] = [];
    const learning =
      hasCapability(capabilities, Capability.StoragePrefetch) && message.Kind === MessageKind.ContractCallRequest;
    const session: NodeSession = {
      capabilities,
      onVmRequest: (request) => {
        onRequest();
        if (learning && request.Kind === MessageKind.BlockchainGetStorageDataRequest && reads.length < MAX_KEYS)
          reads.push({ Address: request.Address, Index: request.Index, Data: null });
      },
    };
    const finish = () => {
      if (learning && reads.length > 0)
        this.learn(learnedKey(message as MessageOf<MessageKind.ContractCallRequest>), reads);
    };
    return { session, finish };
  }

  /**
   * After a request: the keys it asked for are read ahead next time, with those read ahead before. When MAX_KEYS
   * are known, a new key takes the place of the newest one: keys that keep being needed (a sender's balance) stay,
   * one-off keys (a new receiver's) take turns in the last place.
   */
  learn(key: string, reads: PrefetchedStorage[]): void {
    const keys = [...(this.learned.get(key) ?? [])];
    const named = new Set(keys.map(storageKey));
    for (const read of reads) {
      if (named.has(storageKey(read))) continue;
      named.add(storageKey(read));
      if (keys.length < MAX_KEYS) keys.push(read);
      else keys[keys.length - 1] = read;
    }
    this.learned.delete(key);
    this.learned.set(key, keys);
    if (this.learned.size > MAX_FUNCTIONS) this.learned.delete(this.learned.keys().next().value as string);
  }
}

/** One answer to read ahead: an account, or a storage value (of a key as the VM named it). */
type Read =
  | { readonly kind: 'account'; readonly address: Uint8Array; readonly byHash: boolean }
  | { readonly kind: 'storage'; readonly Address: Uint8Array | null; readonly Index: Uint8Array | null };

const EMPTY = new Uint8Array(0);
/** A read that failed: left out of the prefetch. */
const LEFT_OUT = Symbol('left out');

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** A promised read's value, or LEFT_OUT when it rejected. */
async function settled(value: unknown): Promise<unknown> {
  try {
    return await value;
  } catch {
    return LEFT_OUT;
  }
}

/** The recipient and caller of a call (once each), the caller of a deploy. */
function accountAddresses(message: Message): Uint8Array[] {
  if (message.Kind === MessageKind.ContractCallRequest && message.CallInput) {
    const { RecipientAddr, CallerAddr } = message.CallInput;
    const addresses: Uint8Array[] = [];
    if (RecipientAddr) addresses.push(RecipientAddr);
    if (CallerAddr && !(RecipientAddr && Buffer.from(CallerAddr).equals(RecipientAddr))) addresses.push(CallerAddr);
    return addresses;
  }
  if (message.Kind === MessageKind.ContractDeployRequest && message.CreateInput?.CallerAddr)
    return [message.CreateInput.CallerAddr];
  return [];
}

/** The request carrying the reads that answered (none: the request as it was). */
function withPrefetch(message: Message, reads: readonly Read[], values: readonly unknown[]): Message {
  const prefetch: Prefetch = { Accounts: [], Storage: [] };
  for (let i = 0; i < reads.length; i++) {
    const value = values[i];
    if (value === LEFT_OUT) continue;
    const read = reads[i];
    if (read.kind === 'account') {
      const account = (value as Account | null | undefined) ?? null;
      prefetch.Accounts!.push({ Address: read.address, Account: read.byHash ? accountByHash(account) : account });
    } else
      prefetch.Storage!.push({ Address: read.Address, Index: read.Index, Data: (value as Uint8Array | null) ?? null });
  }
  if (prefetch.Accounts!.length === 0 && prefetch.Storage!.length === 0) return message;
  // the fields written out, in the shape's order (a spread adding a property is several times slower)
  const { DialogueNonce, Kind, ErrorMessage } = message;
  if (message.Kind === MessageKind.ContractCallRequest)
    return { DialogueNonce, Kind, ErrorMessage, CallInput: message.CallInput, Prefetch: prefetch } as Message;
  if (message.Kind === MessageKind.ContractDeployRequest)
    return { DialogueNonce, Kind, ErrorMessage, CreateInput: message.CreateInput, Prefetch: prefetch } as Message;
  return message; // (no other kind carries a Prefetch, nor is read ahead for)
}

function learnedKey(message: MessageOf<MessageKind.ContractCallRequest>): string {
  return `${hex(message.CallInput!.RecipientAddr)}:${message.CallInput!.Function}`;
}
