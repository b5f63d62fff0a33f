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
  type Message,
  type MessageOf,
  type Prefetch,
  type PrefetchedAccount,
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

  /** The request with what is read ahead for it, under the agreed capabilities. */
  async prepare(message: Message, capabilities: number): Promise<Message> {
    const accounts = hasCapability(capabilities, Capability.AccountPrefetch);
    const storage = hasCapability(capabilities, Capability.StoragePrefetch);
    if (!accounts && !storage) return message;
    const prefetch: Prefetch = { Accounts: [], Storage: [] };
    if (accounts) prefetch.Accounts = await this.accounts(message, hasCapability(capabilities, Capability.CodeByHash));
    if (storage && message.Kind === MessageKind.ContractCallRequest && message.CallInput)
      prefetch.Storage = await this.storage(learnedKey(message));
    if (prefetch.Accounts!.length === 0 && prefetch.Storage!.length === 0) return message;
    return { ...message, Prefetch: prefetch } as Message;
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

  private async accounts(message: Message, byHash: boolean): Promise<PrefetchedAccount[]> {
    const addresses: Uint8Array[] = [];
    if (message.Kind === MessageKind.ContractCallRequest && message.CallInput) {
      if (message.CallInput.RecipientAddr) addresses.push(message.CallInput.RecipientAddr);
      if (message.CallInput.CallerAddr) addresses.push(message.CallInput.CallerAddr);
    } else if (message.Kind === MessageKind.ContractDeployRequest && message.CreateInput?.CallerAddr)
      addresses.push(message.CreateInput.CallerAddr);
    const out: PrefetchedAccount[] = [];
    for (const address of addresses) {
      if (out.some((a) => hex(a.Address) === hex(address))) continue;
      try {
        const account = (await this.hook.getUserAccount(address)) ?? null;
        out.push({ Address: address, Account: byHash ? accountByHash(account) : account });
      } catch {
        // left out: the VM asks, and the failure is reported where it would have been
      }
    }
    return out;
  }

  private async storage(key: string): Promise<PrefetchedStorage[]> {
    const out: PrefetchedStorage[] = [];
    for (const { Address, Index } of this.learned.get(key) ?? []) {
      try {
        const data = await this.hook.getStorageData(Address ?? new Uint8Array(0), Index ?? new Uint8Array(0));
        out.push({ Address, Index, Data: data ?? null });
      } catch {
        // left out, as above
      }
    }
    return out;
  }
}

function learnedKey(message: MessageOf<MessageKind.ContractCallRequest>): string {
  return `${hex(message.CallInput!.RecipientAddr)}:${message.CallInput!.Function}`;
}
