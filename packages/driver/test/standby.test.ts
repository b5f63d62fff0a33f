import { VMDriver } from '@vm/driver';
import { FakeBlockchainHook } from '@vm/testkit';
import { testGasScheduleMap } from '@vm/testkit/host';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Resolves once `pid` is gone (polled: a pid has no exit event for a non-child). */
async function gone(pid: number): Promise<void> {
  while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('[@vm/driver] warm standby', () => {
  it('is off by default: one child, no standby', async () => {
    const driver = new VMDriver({ blockchainHook: new FakeBlockchainHook(), gasSchedule: testGasScheduleMap() });
    try {
      await driver.diagnoseWait(0);
      expect(driver.standbyPid).toBeUndefined();
      expect(driver.stats.starts).toBe(1);
    } finally {
      await driver.dispose();
    }
  });

  it('starts a standby after a request; a killed child hands over to it, and a new standby follows', async () => {
    const driver = new VMDriver({
      blockchainHook: new FakeBlockchainHook(),
      gasSchedule: testGasScheduleMap(),
      warmStandby: true,
    });
    try {
      await driver.diagnoseWait(0);
      const first = driver.pid!;
      const standby = driver.standbyPid!;
      expect(standby).toBeDefined();
      expect(standby).not.toBe(first);
      expect(driver.stats.starts).toBe(2);

      process.kill(first, 'SIGKILL');
      await gone(first);
      // the request in flight at a kill may fail; the next is answered by the standby, not by a new boot
      await driver.diagnoseWait(0).catch(() => driver.diagnoseWait(0));
      expect(driver.pid).toBe(standby);
      const next = driver.standbyPid!;
      expect(next).toBeDefined();
      expect([first, standby]).not.toContain(next);
      expect(driver.stats.starts).toBe(3);
      expect(driver.stats.crashes).toBe(1);

      await driver.dispose();
      await Promise.all([gone(standby), gone(next)]);
      expect(driver.standbyPid).toBeUndefined();
    } finally {
      await driver.dispose();
    }
  });

  it('a standby that died is replaced by a fresh start, never handed a request', async () => {
    const driver = new VMDriver({
      blockchainHook: new FakeBlockchainHook(),
      gasSchedule: testGasScheduleMap(),
      warmStandby: true,
    });
    try {
      await driver.diagnoseWait(0);
      const first = driver.pid!;
      const standby = driver.standbyPid!;
      process.kill(standby, 'SIGKILL');
      await gone(standby);
      await driver.close(); // stops the child; the next request starts one
      await gone(first);
      await driver.diagnoseWait(0);
      expect([first, standby]).not.toContain(driver.pid);
    } finally {
      await driver.dispose();
    }
  });
});
