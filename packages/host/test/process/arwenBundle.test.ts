import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binPath } from '@vm/testkit/host';

const ARWEN = binPath('arwen');

/** The files of the packages (not node_modules) that a run of `arwen args` loaded, relative to the host package. */
function loadedFiles(...args: string[]): string[] {
  const probe = path.join(mkdtempSync(path.join(tmpdir(), 'arwen-probe-')), 'probe.js');
  writeFileSync(
    probe,
    `process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache)) + '\\n'));`,
  );
  const run = spawnSync(process.execPath, ['--require', probe, ARWEN, ...args], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  const files: string[] = JSON.parse(run.stderr.trim().split('\n').pop()!);
  const host = path.resolve(path.dirname(ARWEN), '..');
  return files.filter((file) => file.startsWith(host)).map((file) => path.relative(host, file));
}

describe('[@vm/host] the arwen executable starts from one bundled file', () => {
  it('loads the bundle, not the modules it was made from (npm run build makes it)', () => {
    expect(loadedFiles('--version')).toEqual([
      path.join('bin', 'arwen.js'),
      path.join('dist', 'process', 'arwen.bundle.js'),
    ]);
  });

  // bin/arwen.js in a tree of its own: which entry it picks, by the age of the bundle and of the builds
  function tree(): { bin: string; bundle: string; buildInfo: string } {
    const root = mkdtempSync(path.join(tmpdir(), 'arwen-tree-'));
    const bin = path.join(root, 'host', 'bin', 'arwen.js');
    const dist = path.join(root, 'host', 'dist', 'process');
    mkdirSync(path.dirname(bin), { recursive: true });
    mkdirSync(dist, { recursive: true });
    copyFileSync(ARWEN, bin);
    for (const name of ['arwen.bundle.js', 'arwenMain.js'])
      writeFileSync(
        path.join(dist, name),
        `exports.main = async () => { process.stdout.write(${JSON.stringify(name)}); };`,
      );
    const buildInfo = path.join(root, 'protocol', 'dist', '.tsbuildinfo');
    mkdirSync(path.dirname(buildInfo), { recursive: true });
    writeFileSync(buildInfo, '{}');
    return { bin, bundle: path.join(dist, 'arwen.bundle.js'), buildInfo };
  }
  const entryOf = (bin: string) => spawnSync(process.execPath, [bin], { encoding: 'utf8' }).stdout;

  it('a bundle older than a build of a package it holds is stale: the modules are loaded instead', () => {
    const { bin, bundle, buildInfo } = tree();
    utimesSync(bundle, new Date(1_000_000), new Date(1_000_000));
    expect(entryOf(bin)).toBe('arwenMain.js');
    utimesSync(buildInfo, new Date(500_000), new Date(500_000));
    expect(entryOf(bin)).toBe('arwen.bundle.js');
  });

  it('without build info (a published package) the bundle is used', () => {
    const { bin, bundle, buildInfo } = tree();
    utimesSync(bundle, new Date(1_000_000), new Date(1_000_000));
    rmSync(buildInfo); // not in a tarball
    expect(entryOf(bin)).toBe('arwen.bundle.js');
  });
});
