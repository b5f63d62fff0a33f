import { VM_FD, vmPipes, vmSpawnStdio } from '@vm/protocol';

describe('[@vm/protocol] the VM process fd layout', () => {
  it('is the reference layout: Initialize on 3, requests on 4, answers on 5, log levels on 6, log lines on 7', () => {
    expect(VM_FD).toEqual({
      stdout: 1,
      stderr: 2,
      init: 3,
      nodeToArwen: 4,
      arwenToNode: 5,
      logProfile: 6,
      logLines: 7,
    });
    expect(Object.isFrozen(VM_FD)).toBe(true);
  });

  it('gives spawn a pipe on every fd by default, fd 0 ignored, and takes per-fd modes by name', () => {
    expect(vmSpawnStdio()).toEqual(['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe']);
    expect(vmSpawnStdio({ stderr: 'inherit', init: 'ignore', logLines: 'ignore' })).toEqual([
      'ignore',
      'pipe',
      'inherit',
      'ignore',
      'pipe',
      'pipe',
      'pipe',
      'ignore',
    ]);
  });

  it("names a child's stdio entries by their role", () => {
    const stdio = ['fd0', 'fd1', 'fd2', 'fd3', 'fd4', 'fd5', 'fd6', 'fd7'];
    expect(vmPipes({ stdio })).toEqual({
      stdout: 'fd1',
      stderr: 'fd2',
      init: 'fd3',
      nodeToArwen: 'fd4',
      arwenToNode: 'fd5',
      logProfile: 'fd6',
      logLines: 'fd7',
    });
  });
});
