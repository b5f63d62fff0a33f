import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createMessage,
  encodeFrame,
  MarshalizerKind,
  MessageKind,
  DEFAULT_VM_TYPE,
  encodePreamble,
  vmPipes,
  vmSpawnStdio,
} from '@vm/protocol';
import { binPath, testGasScheduleMap } from '@vm/testkit/host';

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

  it('the code cache a run writes (ARWEN_CODE_CACHE_OUT) is never used with a bundle made after it', () => {
    const { bin, bundle } = tree();
    const cache = bundle.replace(/\.js$/, '.cache');
    const say = (word: string) => `exports.main = async () => { process.stdout.write('${word}'); };`;
    writeFileSync(bundle, say('first'));
    const made = spawnSync(process.execPath, [bin], {
      encoding: 'utf8',
      env: { ...process.env, ARWEN_CODE_CACHE_OUT: cache },
    });
    expect(made.stdout).toBe('first');
    expect(statSync(cache).size).toBeGreaterThan(0);
    expect(entryOf(bin)).toBe('first'); // the cache read with its own bundle
    writeFileSync(bundle, say('other')); // as long as the first: only the cache's age tells them apart
    utimesSync(cache, new Date(1_000_000), new Date(1_000_000));
    expect(entryOf(bin)).toBe('other');
  });

  it('without build info (a published package) the bundle is used', () => {
    const { bin, bundle, buildInfo } = tree();
    utimesSync(bundle, new Date(1_000_000), new Date(1_000_000));
    rmSync(buildInfo); // not in a tarball
    expect(entryOf(bin)).toBe('arwen.bundle.js');
  });
});

/** A frame of `kind` around any JSON text (valid or not). */
const rawFrame = (kind: number, json: string) => {
  const payload = Buffer.from(json, 'utf8');
  return Buffer.concat([encodePreamble(payload.length, kind), payload]);
};

const initialize = (change: Record<string, unknown> = {}) => {
  const frame = encodeFrame(
    createMessage(MessageKind.Initialize, {
      Arguments: {
        VMType: DEFAULT_VM_TYPE,
        BlockGasLimit: 10_000_000n,
        GasSchedule: testGasScheduleMap(),
        ProtocolBuiltinFunctions: null,
        Kalyan3104ProtectedKeyPrefix: Buffer.from('KALYAN3104'),
        LogsMarshalizer: MarshalizerKind.JSON,
        MessagesMarshalizer: MarshalizerKind.JSON,
      },
    }),
  );
  const json = JSON.parse(frame.subarray(8).toString('utf8'));
  Object.assign(json.Arguments, change);
  return rawFrame(MessageKind.Initialize, JSON.stringify(json));
};

/** A frame of a message (the first of its dialogue). */
const frame = (kind: MessageKind, payload: object) =>
  encodeFrame({ ...createMessage(kind as MessageKind.Stop, payload as never), DialogueNonce: 1 });

/** What a VM process does with `init` on fd 3 and `requests` on fd 4: exit code, stderr, all it wrote on fd 5. */
function run(args: string[], init: Buffer, requests: Buffer) {
  const child = spawn(process.execPath, ['--single-threaded', ...args], { stdio: vmSpawnStdio() });
  const pipes = vmPipes(child);
  let stderr = '';
  const answers: Buffer[] = [];
  pipes.stderr.on('data', (d) => (stderr += d));
  pipes.arwenToNode.on('data', (d: Buffer) => answers.push(d));
  pipes.stdout.resume();
  pipes.logLines.resume();
  for (const stream of [pipes.init, pipes.nodeToArwen, pipes.logProfile]) stream.on('error', () => undefined);
  pipes.init.end(init);
  pipes.nodeToArwen.end(requests);
  return new Promise<{ code: number | null; stderr: string; answers: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr, answers: Buffer.concat(answers).toString('hex') })),
  );
}

// The bundle is the modules' code, with the JSON validators of the received kinds generated at build time and the
// other kinds validated by ajv itself: the same exit codes, the same words on stderr, the same bytes on fd 5.
describe('[@vm/host] the bundled arwen behaves as its modules', () => {
  const modules = [
    '-e',
    `require(${JSON.stringify(path.join(path.dirname(ARWEN), '..', 'dist', 'process', 'arwenMain.js'))}).main()`,
  ];
  const lastNonce = MessageKind.BlockchainLastNonceRequest;
  it.each([
    [
      'a served request, then Stop',
      initialize(),
      Buffer.concat([frame(MessageKind.DiagnoseWaitRequest, { Milliseconds: 1 }), frame(MessageKind.Stop, {})]),
      /^$/,
    ],
    [
      'an Initialize of a bad type',
      initialize({ BlockGasLimit: 'ten' }),
      Buffer.alloc(0),
      /BlockGasLimit must be a uint64 integer/,
    ],
    ['an Initialize with a key too many', initialize({ Extra: 1 }), Buffer.alloc(0), /unexpected key "Extra"/],
    [
      'a request against its schema',
      initialize(),
      rawFrame(
        MessageKind.DiagnoseWaitRequest,
        `{"DialogueNonce":1,"Kind":${MessageKind.DiagnoseWaitRequest},"ErrorMessage":"","Milliseconds":-1}`,
      ),
      /Milliseconds must be a uint32 integer/,
    ],
    ['a kind the VM sends, never receives', initialize(), frame(lastNonce, {}), /bad message from node: unexpected/],
    [
      'such a kind against its schema',
      initialize(),
      rawFrame(lastNonce, `{"DialogueNonce":1,"Kind":${lastNonce},"ErrorMessage":"","Extra":2}`),
      /BlockchainLastNonceRequest: \/ has unexpected key "Extra"/,
    ],
  ])(
    '%s',
    async (_what, init, requests, words) => {
      const [bundled, unbundled] = [await run([ARWEN], init, requests), await run(modules, init, requests)];
      expect(bundled).toEqual(unbundled);
      expect(bundled.stderr).toMatch(words);
    },
    30_000,
  );
});
