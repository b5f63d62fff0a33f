import { execFileSync, spawn } from 'node:child_process';
import { accessSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setLogLevels, getLogLevels } from '@vm/driver';
import { VMDriver } from '@vm/driver';
import { FakeBlockchainHook, captureLogs, eventually, wat } from '@vm/testkit';
import { binPath, testGasScheduleMap } from '@vm/testkit/host';
import { vmSpawnStdio } from '@vm/protocol';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('[@vm/driver] the child never outlives its node', () => {
  let loopWasm: string;
  beforeAll(async () => {
    loopWasm = path.join(mkdtempSync(path.join(tmpdir(), 'vm-loop-')), 'loop.wasm');
    writeFileSync(loopWasm, await wat('(module (memory (export "memory") 1) (func (export "run") (loop (br 0))))'));
  });

  // Without the watch, a sleeping arwen outlived its node by the 300 s it was asked to sleep, and a computing one
  // by its gas (hours): the deadline below is generous for a loaded machine and far below either.
  it.each(['idle', 'sleeping', 'computing'])(
    'arwen exits soon after the node process dies while it is %s',
    async (mode) => {
      let output = '';
      try {
        execFileSync(process.execPath, [path.join(__dirname, 'fixtures', 'dyingNode.js'), mode, loopWasm], {
          encoding: 'utf8',
          timeout: 30000,
          stdio: ['ignore', 'pipe', 'ignore'],
        });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout ?? '');
      }
      const pid = Number(output.trim());
      expect(pid).toBeGreaterThan(0);
      await eventually(() => !alive(pid), 20_000);
      expect(alive(pid)).toBe(false);
    },
    60000,
  );
});

const hasSetpriv = (() => {
  try {
    accessSync('/usr/bin/setpriv');
    return process.platform === 'linux';
  } catch {
    return false;
  }
})();

/** The threads of a process (Linux /proc). */
const threads = (pid: number) => readdirSync(`/proc/${pid}/task`).length;

// Where the kernel can signal a parent's death (Linux, util-linux setpriv), the driver starts arwen under
// `setpriv --pdeathsig KILL` (an exec: no extra process) and tells it so: arwen then runs no watcher thread. The
// tests above show such a VM still ends with its node.
(hasSetpriv ? describe : describe.skip)('[@vm/driver] the parent-death signal (Linux, setpriv)', () => {
  it('the child is arwen itself, told which process the kernel watches, and runs no watcher thread', async () => {
    const driver = new VMDriver({
      blockchainHook: new FakeBlockchainHook(),
      gasSchedule: testGasScheduleMap(),
      maxLoopTimeMs: 30_000,
    });
    // the same executable spawned directly, as a peer of its own would (it keeps its watcher thread)
    const direct = spawn(process.execPath, ['--single-threaded', binPath('arwen')], {
      stdio: vmSpawnStdio(),
      env: { ...process.env, ARWEN_PARENT_DEATH_SIGNAL: '' },
    });
    try {
      await driver.diagnoseWait(1);
      const pid = driver.pid!;
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain(binPath('arwen'));
      expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain(
        `ARWEN_PARENT_DEATH_SIGNAL=${process.pid}`,
      );
      // the direct one waits for its Initialize frame, its watcher started: one thread more at least
      await eventually(() => threads(direct.pid!) > threads(pid), 20_000);
      expect(threads(direct.pid!)).toBeGreaterThan(threads(pid));
    } finally {
      direct.kill('SIGKILL');
      await driver.close();
    }
  }, 60_000);
});

describe('[@vm/driver] logs', () => {
  it("re-emits the child's log lines under its logger names; levels change at runtime", async () => {
    const capture = captureLogs();
    const { records } = capture;
    const levels = getLogLevels();
    setLogLevels('*:INFO'); // the child starts with the node's levels
    const driver = new VMDriver({
      blockchainHook: new FakeBlockchainHook(),
      gasSchedule: testGasScheduleMap(),
      maxLoopTimeMs: 30_000,
    });
    try {
      await driver.diagnoseWait(1);
      const childTrace = () =>
        records.filter((r) => r.logger === 'arwen/baseMessenger' && String(r.message).startsWith('[ARWEN]'));
      // the child's lines travel on their own pipe (fd 7), apart from the answer: waited for
      const started = () => records.some((r) => r.logger === 'arwen/host' && r.message === 'arwen started');
      await eventually(started, 20_000);
      expect(started()).toBe(true);
      expect(childTrace()).toHaveLength(0);
      driver.setLogLevels('*:INFO,arwen/baseMessenger:TRACE');
      // the very next request runs at the new levels: one request, then its trace lines (they travel on fd 7, apart
      // from the response, so they are awaited; no further request is sent that could produce them instead)
      await driver.diagnoseWait(1);
      await eventually(() => childTrace().length > 0, 20_000);
      expect(childTrace().length).toBeGreaterThan(0);
      expect(childTrace()[0].level).toBe('trace');
    } finally {
      await driver.close();
      capture.stop();
      setLogLevels(levels);
    }
  }, 30000);

  it('levels set for the child before it starts apply from its first line on', async () => {
    const capture = captureLogs();
    const { records } = capture;
    const driver = new VMDriver({ blockchainHook: new FakeBlockchainHook(), gasSchedule: testGasScheduleMap() });
    try {
      driver.setLogLevels('*:INFO,arwen/baseMessenger:TRACE'); // no child yet
      await driver.diagnoseWait(1);
      const received = () =>
        records.filter(
          (r) => r.logger === 'arwen/baseMessenger' && String(r.message).startsWith('[ARWEN][#1]: RECEIVED'),
        );
      // its log lines arrive on their own pipe, after the answer: wait for them (generously)
      await eventually(() => received().length > 0);
      expect(received().length).toBeGreaterThan(0); // the very first request's receipt was traced
    } finally {
      await driver.close();
      capture.stop();
    }
  }, 30000);
});
