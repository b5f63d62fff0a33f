import { spawn } from 'node:child_process';
import path from 'node:path';
import { AsyncMessenger } from '@vm/messenger';
import { replyToHookCall } from '@vm/node-part';
import {
  isHookRequest,
  HOOK_CALLS,
  HOOK_REQUEST_KINDS,
  vmPipes,
  vmSpawnStdio,
  type AsyncBlockchainHook,
  type VMOutput,
} from '@vm/protocol';
import { FakeBlockchainHook } from '@vm/testkit';

// The reference's gateway tests (anchor-ipc.md §5.3): the VM-side gateway in a child process, the node's
// repliers here, over real pipes. The VM side opens the dialogue (request nonce 1, response nonce 2, ...).
const PEER = path.join(__dirname, 'fixtures', 'gatewayPeer.js');

async function gatewayCalls(
  hook: AsyncBlockchainHook,
  calls: { method: string; args: unknown[] }[],
): Promise<Record<string, unknown>[]> {
  const child = spawn(process.execPath, [PEER, JSON.stringify(calls)], {
    stdio: vmSpawnStdio({ stderr: 'inherit', init: 'ignore', logProfile: 'ignore', logLines: 'ignore' }),
  });
  const pipes = vmPipes(child);
  const node = new AsyncMessenger(pipes.arwenToNode, pipes.nodeToArwen);
  let out = '';
  pipes.stdout.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  (async () => {
    for (;;) {
      const request = await node.receive();
      if (!isHookRequest(request.Kind)) throw new Error('not a hook request');
      await node.send((await replyToHookCall(hook, request)).response);
    }
  })().catch(() => undefined);
  await exited;
  node.close();
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('[@vm/node-part] gateway (VM side) <-> repliers (node side)', () => {
  it('has a replier for every hook request kind, from the one table', () => {
    expect(HOOK_REQUEST_KINDS.every((kind) => HOOK_CALLS[kind] !== undefined)).toBe(true);
    expect(new Set(HOOK_REQUEST_KINDS.map((kind) => HOOK_CALLS[kind].method)).size).toBe(20);
  });

  it('carries results and errors of the reference test cases', async () => {
    const hook = new FakeBlockchainHook();
    const alice = Buffer.from('alice');
    hook.setAccount(alice, { nonce: 42n });
    hook.setStorage(alice, Buffer.from('foo'), Buffer.from('bar'));
    hook.processBuiltInFunction = (input) => {
      expect(input.Function).toBe('fooFunction');
      expect(Buffer.from(input.RecipientAddr!).toString()).toBe('alice');
      return {
        ReturnData: [Uint8Array.of(42)],
        ReturnCode: 0,
        ReturnMessage: '',
        GasRemaining: 0n,
        GasRefund: 0n,
        OutputAccounts: [],
        DeletedAccounts: [],
        TouchedAccounts: [],
        Logs: [],
      } satisfies VMOutput;
    };
    const failing = Object.assign(Object.create(hook), {
      getUserAccount: () => Promise.reject(new Error('foo error')),
    });
    const results = await gatewayCalls(hook, [
      { method: 'processBuiltInFunction', args: ['alice', 'fooFunction'] },
      { method: 'getAllState', args: ['alice'] },
      { method: 'getUserAccount', args: ['alice'] },
      { method: 'getShardOfAddress', args: ['somebody'] },
      { method: 'isSmartContract', args: ['alice'] },
      { method: 'currentNonce', args: [] },
    ]);
    expect(results[0]).toMatchObject({ result: { ReturnCode: 0, ReturnData: ['*'] } }); // '*' is byte 42 as text
    expect(results[1]).toMatchObject({ result: [{ key: 'foo', value: 'bar' }] });
    expect(results[2]).toMatchObject({ result: { Nonce: '42n' } });
    expect(results[3]).toEqual({ method: 'getShardOfAddress', result: 'somebody'.charCodeAt(7) % 3 });
    expect(results[4]).toEqual({ method: 'isSmartContract', result: false });
    expect(results[5]).toEqual({ method: 'currentNonce', result: '7n' });
    const withError = await gatewayCalls(failing, [{ method: 'getUserAccount', args: ['alice'] }]);
    expect(withError).toEqual([
      { method: 'getUserAccount', error: 'blockchain hook failed: getUserAccount: foo error', code: 'HookFailed' },
    ]);
  }, 30000);
});
