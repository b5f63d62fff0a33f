import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Transport from 'winston-transport';
import { rootLogger, setLogLevels, getLogLevels } from '@vm/messenger';
import { VMDriver } from '@vm/driver';
import { FakeBlockchainHook } from '@vm/testkit';
import { testGasScheduleMap } from './helpers';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('[@vm/driver] the child never outlives its node', () => {
  it('the node process dying makes arwen exit (EOF on fd 4)', async () => {
    let output = '';
    try {
      execFileSync(process.execPath, [path.join(__dirname, 'fixtures', 'dyingNode.js')], {
        encoding: 'utf8',
        timeout: 20000,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? '');
    }
    const pid = Number(output.trim());
    expect(pid).toBeGreaterThan(0);
    const deadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
  }, 30000);
});

describe('[@vm/driver] logs', () => {
  it("re-emits the child's log lines under its logger names; levels change at runtime", async () => {
    const records: { logger?: string; message?: string; level?: string }[] = [];
    class Capture extends Transport {
      override log(info: Record<string, unknown>, done: () => void) {
        records.push(info as never);
        done();
      }
    }
    const capture = new Capture({ level: 'trace' });
    rootLogger().add(capture);
    const levels = getLogLevels();
    setLogLevels('*:INFO'); // the child starts with the node's levels
    const driver = new VMDriver({
      blockchainHook: new FakeBlockchainHook(),
      gasSchedule: testGasScheduleMap(),
      maxLoopTimeMs: 5000,
    });
    try {
      await driver.diagnoseWait(1);
      const childTrace = () =>
        records.filter((r) => r.logger === 'arwen/baseMessenger' && String(r.message).startsWith('[ARWEN]'));
      expect(records.some((r) => r.logger === 'arwen/host' && r.message === 'arwen started')).toBe(true);
      expect(childTrace()).toHaveLength(0);
      driver.setLogLevels('*:INFO,arwen/baseMessenger:TRACE');
      await new Promise((r) => setTimeout(r, 100));
      await driver.diagnoseWait(1);
      await new Promise((r) => setTimeout(r, 100));
      expect(childTrace().length).toBeGreaterThan(0);
      expect(childTrace()[0].level).toBe('trace');
    } finally {
      await driver.close();
      rootLogger().remove(capture);
      setLogLevels(levels);
    }
  }, 30000);
});
