import { execFileSync } from 'node:child_process';
import path from 'node:path';

describe('[@vm/messenger] examples', () => {
  it('dialogue.js runs a full dialogue between two processes', () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, '..', 'examples', 'dialogue.js')], {
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(out).toContain('node -> VM [kind=ContractCallRequest nonce=1 err=]');
    expect(out).toContain('VM -> node [kind=BlockchainGetStorageDataRequest nonce=2 err=]');
    expect(out).toContain('VM -> node [kind=ContractResponse nonce=4 err=]');
    expect(out.trim().split('\n').at(-1)).toBe('counter is now 42');
  });
});
