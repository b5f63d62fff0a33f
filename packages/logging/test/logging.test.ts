import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { emitRecord, getLogLevels, getLogger, setLogLevels, setLogSink, type LogLevel } from '@vm/logging';

interface Record_ {
  level: LogLevel;
  logger: string;
  message: string;
  meta: Record<string, unknown>;
}

describe('[@vm/logging] named loggers', () => {
  const records: Record_[] = [];
  beforeEach(() => {
    records.length = 0;
    setLogSink((level, logger, message, meta) => records.push({ level, logger, message, meta }));
  });
  afterAll(() => {
    setLogSink(undefined);
    setLogLevels('*:INFO');
  });

  it('applies the reference patterns: * for every logger, names as substrings, later entries win', () => {
    setLogLevels('*:INFO,arwen/host:TRACE,host:WARN');
    expect(getLogLevels()).toBe('*:INFO,arwen/host:TRACE,host:WARN');
    getLogger('arwen/host').info('dropped: host:WARN came later');
    getLogger('arwen/host').warn('kept');
    getLogger('arwenDriver').debug('dropped');
    getLogger('arwenDriver').info('kept too', { n: 1 });
    expect(records.map((r) => [r.level, r.logger, r.message, r.meta])).toEqual([
      ['warn', 'arwen/host', 'kept', {}],
      ['info', 'arwenDriver', 'kept too', { n: 1 }],
    ]);
    expect(getLogger('arwen/host').isLevelEnabled('trace')).toBe(false);
  });

  it('ignores a pattern with no known level, and NONE silences a logger', () => {
    setLogLevels('*:TRACE');
    setLogLevels('*:LOUD');
    expect(getLogLevels()).toBe('*:TRACE');
    setLogLevels('*:TRACE,arwenDriver:NONE');
    getLogger('arwenDriver').error('silenced');
    getLogger('arwen/part').trace('kept');
    expect(records.map((r) => r.message)).toEqual(['kept']);
  });

  it('re-emits a record under another logger name, whatever the levels', () => {
    setLogLevels('*:ERROR');
    emitRecord('debug', 'arwen/child', 'from the child', { pid: 7 });
    expect(records).toEqual([{ level: 'debug', logger: 'arwen/child', message: 'from the child', meta: { pid: 7 } }]);
  });
});

describe('[@vm/logging] the default sink', () => {
  const dist = path.join(__dirname, '..', 'dist', 'index.js');
  const run = (script: string): string =>
    execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('loads winston only when a record reaches it (never with a sink of its own)', () => {
    const loaded = `Object.keys(require.cache).some((f) => f.includes('/node_modules/winston/'))`;
    expect(
      run(`const l = require(${JSON.stringify(dist)}); l.setLogSink(() => {}); l.getLogger('x').info('m');
           process.stdout.write(String(${loaded}))`),
    ).toBe('false');
    expect(
      run(`const l = require(${JSON.stringify(dist)}); l.getLogger('x').debug('below info');
           const before = ${loaded}; l.setLogLevels('*:NONE'); l.getLogger('x').info('m');
           process.stdout.write(String(before))`),
    ).toBe('false');
  });

  it('writes JSON lines with the logger name and a timestamp to stderr', () => {
    const child = spawnSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(dist)}).getLogger('arwen/host').warn('hello', { n: 1 })`],
      { encoding: 'utf8' },
    );
    const line = JSON.parse(child.stderr.trim());
    expect(child.stdout).toBe('');
    expect(line).toMatchObject({ level: 'warn', logger: 'arwen/host', message: 'hello', n: 1 });
    expect(typeof line.timestamp).toBe('string');
  });

  it('the README example runs', () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, '..', 'examples', 'levels.js')], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual([
      { level: 'trace', logger: 'arwen/host', message: 'compiled', bytes: 1024 },
      { level: 'info', logger: 'arwenDriver', message: 'started' },
    ]);
  });
});
