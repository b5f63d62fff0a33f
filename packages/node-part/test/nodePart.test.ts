// The node's per-request loop, with a VM played by hand on the other end of an in-memory pipe: every hook call is
// answered from the node's BlockchainHook, the loop ends at the contract (or diagnose) response, and every way the
// dialogue can go wrong is a typed error with the dialogue reset.
import { AsyncMessenger } from '@vm/messenger';
import { runNodePart } from '@vm/node-part';
import {
  createMessage,
  ErrorCode,
  MessageKind,
  type AsyncBlockchainHook,
  type Message,
  type MessageOf,
} from '@vm/protocol';
import { address, callInput, expectRejects, FakeBlockchainHook, memoryPipes, rejection } from '@vm/testkit';
import { newHost } from '@vm/testkit/host';

const SC = address('sc');
const request = createMessage(MessageKind.ContractCallRequest, { CallInput: callInput(SC, 'f') });
/** A real VMOutput (the contract does not exist): what the VM answers with. */
const contractResponse = () =>
  createMessage(MessageKind.ContractResponse, { VMOutput: newHost().vm.runSmartContractCall(callInput(SC, 'f')) });
const storageRequest = createMessage(MessageKind.BlockchainGetStorageDataRequest, {
  Address: SC,
  Index: Buffer.from('k'),
});

function pair() {
  const { a, b } = memoryPipes();
  return { node: new AsyncMessenger(a.input, a.output), vm: new AsyncMessenger(b.input, b.output) };
}

/** The VM's side of one request: receive it, send `messages` (reading the answer to each hook call), then stop. */
async function playVm(vm: AsyncMessenger, messages: Message[]): Promise<Message[]> {
  const answers: Message[] = [];
  await vm.receive();
  for (const message of messages) {
    await vm.send(message);
    if (message.Kind === MessageKind.BlockchainGetStorageDataRequest) answers.push(await vm.receive());
  }
  vm.resetDialogue();
  return answers;
}

describe('[@vm/node-part] runNodePart', () => {
  it('answers each hook call from the hook and returns the contract response; the dialogue ends reset', async () => {
    const { node, vm } = pair();
    const hook = new FakeBlockchainHook().setAccount(SC, {}).setStorage(SC, Buffer.from('k'), Uint8Array.of(7));
    for (let round = 0; round < 2; round++) {
      const vmSide = playVm(vm, [storageRequest, storageRequest, contractResponse()]);
      const response = await runNodePart(node, hook, request, { maxLoopTimeMs: 30_000 });
      expect(response.Kind).toBe(MessageKind.ContractResponse);
      const answers = (await vmSide) as MessageOf<MessageKind.BlockchainGetStorageDataResponse>[];
      expect(answers.map((a) => [a.Kind, Buffer.from(a.Data!).toString('hex')])).toEqual([
        [MessageKind.BlockchainGetStorageDataResponse, '07'],
        [MessageKind.BlockchainGetStorageDataResponse, '07'],
      ]);
    }
  });

  it('returns a diagnose response', async () => {
    const { node, vm } = pair();
    const vmSide = playVm(vm, [createMessage(MessageKind.DiagnoseWaitResponse, {})]);
    const diagnose = createMessage(MessageKind.DiagnoseWaitRequest, { Milliseconds: 1 });
    expect((await runNodePart(node, new FakeBlockchainHook(), diagnose, { maxLoopTimeMs: 30_000 })).Kind).toBe(
      MessageKind.DiagnoseWaitResponse,
    );
    await vmSide;
  });

  it('a hook that throws: the VM is told in ErrorMessage, and the request fails with HookFailed after the response', async () => {
    const { node, vm } = pair();
    const hook = new FakeBlockchainHook() as AsyncBlockchainHook;
    hook.getStorageData = () => {
      throw new Error('the database is gone');
    };
    const vmSide = playVm(vm, [storageRequest, contractResponse()]);
    const error = await rejection(runNodePart(node, hook, request, { maxLoopTimeMs: 30_000 }));
    expect(error.code).toBe(ErrorCode.HookFailed.code);
    expect(error.message).toContain('the database is gone');
    const [answer] = await vmSide;
    expect(answer.ErrorMessage).toContain('the database is gone');
  });

  it('a message that is neither a hook call nor a response is BadMessageFromArwen', async () => {
    const { node, vm } = pair();
    const vmSide = playVm(vm, [createMessage(MessageKind.ContractCallRequest, { CallInput: callInput(SC, 'g') })]);
    await expectRejects(
      runNodePart(node, new FakeBlockchainHook(), request, { maxLoopTimeMs: 30_000 }),
      ErrorCode.BadMessageFromArwen,
    );
    await vmSide;
  });

  it('a VM that never answers: Timeout once the request budget is spent', async () => {
    const { node, vm } = pair();
    const received = vm.receive();
    await expectRejects(
      runNodePart(node, new FakeBlockchainHook(), request, { maxLoopTimeMs: 200 }),
      ErrorCode.Timeout,
      /within 200 ms/,
    );
    expect((await received).Kind).toBe(MessageKind.ContractCallRequest);
  });
});
