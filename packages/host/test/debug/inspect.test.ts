import { wat } from '@vm/testkit';
import { ALICE, COUNTER_WAT, contractFolder, exitOf, startServerProcess } from './helpers';

// Child processes on a loaded machine: generous deadlines, no timing assertions.
jest.setTimeout(180_000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answers are read field by field
type Loose = any;

describe("[@vm/host] vm-debug: a contract's text form (binaryen's emitText, built executable)", () => {
  it('GET /worlds/:id/accounts/:address/code gives the module as text beside its imports and exports', async () => {
    const { dir } = await contractFolder('inspect-');
    const { child, url } = await startServerProcess(dir);
    try {
      const post = async (route: string, body: unknown) =>
        ((await (await fetch(`${url}${route}`, { method: 'POST', body: JSON.stringify(body) })).json()) as Loose).data;
      await post('/account', { AddressHex: ALICE, Balance: '0', Nonce: 0 });
      const code = Buffer.from(await wat(COUNTER_WAT)).toString('hex');
      const { ContractAddressHex } = await post('/deploy', { ImpersonatedHex: ALICE, CodeHex: code, GasLimit: 100000 });
      const answer = (await (await fetch(`${url}/worlds/default/accounts/${ContractAddressHex}/code`)).json()) as Loose;
      expect(answer.errorMessage).toBeNull();
      const { Text, TextError, Exports } = answer.data;
      expect(TextError).toBeUndefined();
      expect(Exports.map((e: { Name: string }) => e.Name)).toEqual(['memory', 'init', 'increment', 'get']);
      expect(Text).toMatch(/^\(module\n/);
      expect(Text).toContain('(import "env" "int64storageLoad"');
      expect(Text).toContain('(export "increment" (func');
      expect(Text).toContain('(data $0 (i32.const 0) "counter")');
      // Loaded once: a second answer is the same text.
      const again = (await (await fetch(`${url}/worlds/default/accounts/${ContractAddressHex}/code`)).json()) as Loose;
      expect(again.data.Text).toBe(Text);
    } finally {
      const done = exitOf(child);
      child.kill('SIGTERM');
      await done;
    }
  });
});
