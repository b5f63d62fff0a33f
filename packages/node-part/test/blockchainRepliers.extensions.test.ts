import {
  Capability,
  codeHash,
  createMessage,
  ErrorCode,
  MessageKind,
  type Account,
  type AsyncBlockchainHook,
  type Message,
  type MessageOf,
} from '@vm/protocol';
import { accountByHash, replyToHookCall, type NodeSession } from '@vm/node-part';

const CODE = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0);
const ADDRESS = Uint8Array.of(7, 7);
const account = (code: Uint8Array | null): Account => ({
  Nonce: 3n,
  Balance: 10n,
  CodeHash: null,
  RootHash: null,
  Address: ADDRESS,
  DeveloperReward: 0n,
  OwnerAddress: null,
  UserName: null,
  CodeMetadata: null,
  Code: code,
});
/** A hook whose only account is ADDRESS with `code` (the other methods are never called here). */
const hookWith = (code: () => Uint8Array | null) =>
  ({ getUserAccount: async () => account(code()) }) as unknown as AsyncBlockchainHook;
const session = (capabilities: number, seen: Message[] = []): NodeSession => ({
  capabilities,
  onVmRequest: (request) => seen.push(request),
});
const askAccount = createMessage(MessageKind.BlockchainGetUserAccountRequest, { Address: ADDRESS });

describe('[@vm/node-part] repliers under the negotiated extensions', () => {
  it('without CodeByHash an account carries its code; with it, its hash and size instead', async () => {
    const plain = (
      await replyToHookCall(
        hookWith(() => CODE),
        askAccount,
        session(0),
      )
    ).response as MessageOf<MessageKind.BlockchainGetUserAccountResponse>;
    expect(plain.Account?.Code).toEqual(CODE);
    expect(plain.Account?.CodeByHash).toBeUndefined();
    const seen: Message[] = [];
    const byHash = (
      await replyToHookCall(
        hookWith(() => CODE),
        askAccount,
        session(Capability.CodeByHash, seen),
      )
    ).response as MessageOf<MessageKind.BlockchainGetUserAccountResponse>;
    expect(byHash.Account).toEqual({ ...account(null), CodeByHash: codeHash(CODE), CodeSize: CODE.length });
    expect(seen).toEqual([askAccount]);
  });

  it('an account without code, or no account, is sent as it is', () => {
    expect(accountByHash(null)).toBeNull();
    expect(accountByHash(account(new Uint8Array(0)))).toEqual(account(new Uint8Array(0)));
  });

  it('BlockchainGetCode: the code when it still has that hash; otherwise HookFailed (as getUserAccount)', async () => {
    let code = CODE;
    const hook = hookWith(() => code);
    const ask = createMessage(MessageKind.BlockchainGetCodeRequest, { Address: ADDRESS, CodeHash: codeHash(CODE) });
    const answer = await replyToHookCall(hook, ask, session(Capability.CodeByHash));
    expect(answer.failure).toBeUndefined();
    expect(answer.response).toEqual(createMessage(MessageKind.BlockchainGetCodeResponse, { Code: CODE }));
    code = Uint8Array.of(0, 0x61, 0x73, 0x6d, 2, 0, 0, 0);
    const stale = await replyToHookCall(hook, ask, session(Capability.CodeByHash));
    expect(stale.failure?.code).toBe(ErrorCode.HookFailed.code);
    expect(stale.failure?.message).toMatch(/getUserAccount: the account no longer has the code of that hash/);
    expect(stale.response.ErrorMessage).toMatch(/no longer has the code/);
  });

  it('BlockchainGetCode without CodeByHash agreed is a protocol violation (critical)', async () => {
    const ask = createMessage(MessageKind.BlockchainGetCodeRequest, { Address: ADDRESS, CodeHash: codeHash(CODE) });
    await expect(
      replyToHookCall(
        hookWith(() => CODE),
        ask,
        session(0),
      ),
    ).rejects.toMatchObject({
      code: ErrorCode.BadMessageFromArwen.code,
      critical: true,
    });
  });
});
