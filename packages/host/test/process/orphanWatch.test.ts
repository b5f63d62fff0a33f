import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { eventually } from '@vm/testkit';
import { binPath } from '@vm/testkit/host';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Runs the dying peer (it spawns arwen itself and is killed while arwen sleeps); arwen's pid. */
function arwenOfDyingPeer(...args: string[]): number {
  let output = '';
  try {
    execFileSync(process.execPath, [path.join(__dirname, 'fixtures', 'dyingPeer.js'), binPath('arwen'), ...args], {
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? '');
  }
  return Number(output.trim());
}

// A peer that spawns arwen directly sets no parent-death signal: arwen's own watcher ends it. It sleeps in a
// 300 s DiagnoseWait when its node dies, so only the watcher can notice; the deadline is generous and far below it.
describe('[@vm/host] arwen spawned by a peer of its own never outlives it', () => {
  it.each([
    ['no ARWEN_PARENT_DEATH_SIGNAL', []],
    ['an ARWEN_PARENT_DEATH_SIGNAL that does not name its parent', ['1']],
  ])(
    'with %s, it exits soon after the peer dies',
    async (_what, args) => {
      const pid = arwenOfDyingPeer(...args);
      expect(pid).toBeGreaterThan(0);
      await eventually(() => !alive(pid), 20_000);
      expect(alive(pid)).toBe(false);
    },
    60_000,
  );
});
