import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { arwenCommand, locateArwen, VMDriver } from '@vm/driver';
import { FakeBlockchainHook, eventually, wat } from '@vm/testkit';
import { testGasScheduleMap } from '@vm/testkit/host';

const ARWEN = locateArwen();

describe('[@vm/driver] executable lookup and restarts', () => {
  it('finds arwen in the working directory, then through ARWEN_PATH (which must exist), then in the installed @vm/host', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'arwen-'));
    const other = mkdtempSync(path.join(tmpdir(), 'arwen-'));
    try {
      const inCwd = path.join(dir, 'arwen');
      writeFileSync(inCwd, '#!/bin/sh\n');
      chmodSync(inCwd, 0o755);
      expect(locateArwen(undefined, {}, dir)).toBe(inCwd);
      const elsewhere = path.join(other, 'my-arwen');
      writeFileSync(elsewhere, '');
      expect(locateArwen(undefined, { ARWEN_PATH: elsewhere }, tmpdir())).toBe(elsewhere);
      expect(locateArwen(undefined, {}, tmpdir())).toMatch(/host[/\\]bin[/\\]arwen\.js$/);
      // an explicit ARWEN_PATH that names no file is an error, never silently replaced by the installed one
      for (const wrong of [dir, path.join(other, 'missing')])
        expect(() => locateArwen(undefined, { ARWEN_PATH: wrong }, tmpdir())).toThrow(
          new RegExp(`ARWEN_PATH: ${wrong.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\. Install @vm/host`),
        );
    } finally {
      for (const d of [dir, other]) rmSync(d, { recursive: true, force: true });
    }
  });

  it('runs a .js executable on this Node.js with the options of its #! line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'arwen-'));
    try {
      const script = (name: string, text: string) => {
        writeFileSync(path.join(dir, name), text);
        return path.join(dir, name);
      };
      const flagged = script('flagged.js', '#!/usr/bin/env -S node --single-threaded --stack-size=900\n');
      expect(arwenCommand(flagged)).toEqual([process.execPath, ['--single-threaded', '--stack-size=900', flagged]]);
      const plain = script('plain.js', '#!/usr/bin/env node\n');
      expect(arwenCommand(plain)).toEqual([process.execPath, [plain]]);
      const bare = script('bare.js', "'use strict';\n");
      expect(arwenCommand(bare)).toEqual([process.execPath, [bare]]);
      expect(arwenCommand(path.join(dir, 'arwen'))).toEqual([path.join(dir, 'arwen'), []]);
      expect(arwenCommand(ARWEN)[1]).toEqual(['--single-threaded', ARWEN]); // the VM process runs without V8 background threads
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('20 restarts leak no file descriptors and no children', async () => {
    const hook = new FakeBlockchainHook();
    const sc = Buffer.alloc(32, 7);
    hook.setAccount(sc, { code: await wat(`(module (memory (export "memory") 1) (func (export "f")))`) });
    // the kills below are crashes: allow them all
    const driver = new VMDriver({
      blockchainHook: hook,
      gasSchedule: testGasScheduleMap(),
      maxLoopTimeMs: 30_000,
      restartPolicy: { maxCrashes: 100, windowMs: 60000 },
    });
    const input = {
      CallerAddr: Buffer.alloc(32, 1),
      Arguments: [],
      CallValue: 0n,
      CallType: 0,
      GasPrice: 0n,
      GasProvided: 100000n,
      OriginalTxHash: null,
      CurrentTxHash: null,
      RecipientAddr: sc,
      Function: 'f',
    };
    await driver.runSmartContractCall(input);
    await driver.close();
    const fdsBefore = readdirSync('/proc/self/fd').length;
    const pids: number[] = [];
    for (let i = 0; i < 20; i++) {
      await driver.runSmartContractCall(input);
      pids.push(driver.pid!);
      if (i % 2 === 0) await driver.close();
      else {
        process.kill(driver.pid!, 'SIGKILL');
        while (!driver.isClosed()) await new Promise((r) => setTimeout(r, 5)); // noticed through its exit
      }
    }
    await driver.close();
    // the pipes of the last child close as its streams end: wait for that (generously), then check
    const openFds = () => readdirSync('/proc/self/fd').length;
    await eventually(() => openFds() <= fdsBefore + 2);
    expect(openFds()).toBeLessThanOrEqual(fdsBefore + 2);
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  }, 60000);
});
