/** The reports `vm-scenario` writes: JSON (--json), JUnit XML (--junit) and the gas tables (--gas-report). */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { returnCodeString } from '@vm/protocol';
import { writeFileAtomicSync } from '../atomicFile';
import { gasByFunction, type GasRecord } from './gasMeter';
import type { ScenarioResult } from './runScenario';

const ms = (value: number) => Math.round(value * 1000) / 1000;

export function jsonReport(results: readonly ScenarioResult[], durationMs: number): string {
  const passed = results.filter((r) => r.passed).length;
  const report = {
    passed,
    failed: results.length - passed,
    durationMs: ms(durationMs),
    scenarios: results.map((r) => ({
      path: r.path,
      passed: r.passed,
      durationMs: ms(r.durationMs),
      message: r.message ?? null,
      differences: r.differences ?? [],
      ...(r.cases && { cases: r.cases.map((c) => ({ name: c.name, passed: c.passed, message: c.message ?? null })) }),
    })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');

/** One testsuite per file; a legacy file's test cases are its testcases, a scenario is one testcase. */
export function junitXml(results: readonly ScenarioResult[], durationMs: number): string {
  const seconds = (value: number) => (value / 1000).toFixed(3);
  const failedCount = (r: ScenarioResult) => (r.cases ? r.cases.filter((c) => !c.passed).length : r.passed ? 0 : 1);
  const total = results.reduce((n, r) => n + (r.cases?.length || 1), 0);
  const failures = results.reduce((n, r) => n + failedCount(r), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vm-scenario" tests="${total}" failures="${failures}" time="${seconds(durationMs)}">`,
  ];
  for (const r of results) {
    const cases = r.cases?.length
      ? r.cases.map((c) => ({ name: c.name, passed: c.passed, message: c.message }))
      : [{ name: r.path, passed: r.passed, message: r.message }];
    lines.push(
      `  <testsuite name="${xml(r.path)}" tests="${cases.length}" failures="${failedCount(r)}" time="${seconds(r.durationMs)}">`,
    );
    for (const c of cases) {
      const open = `    <testcase classname="${xml(r.path)}" name="${xml(c.name)}"`;
      if (c.passed) lines.push(`${open}/>`);
      else {
        const message = c.message ?? 'failed';
        lines.push(`${open}>`);
        lines.push(`      <failure message="${xml(message.split('\n')[0])}">${xml(message)}</failure>`);
        lines.push('    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // text columns left-aligned, numbers right-aligned
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[0-9]+$/.test(r[i])));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** Gas used per transaction (in run order) and per function. */
export function gasReport(records: readonly GasRecord[]): string[] {
  if (records.length === 0) return ['gas report: no transaction reached the VM'];
  const transactions = table(
    ['file', 'function', 'status', 'gas used'],
    records.map((r) => [r.file, r.function, `${r.returnCode} (${returnCodeString(r.returnCode)})`, `${r.gasUsed}`]),
  );
  const functions = table(
    ['function', 'calls', 'min', 'avg', 'max', 'total'],
    gasByFunction(records).map((f) => [f.function, `${f.calls}`, `${f.min}`, `${f.avg}`, `${f.max}`, `${f.total}`]),
  );
  return ['gas used per transaction', ...transactions, '', 'gas used per function', ...functions];
}

/**
 * Why a report could not be written to `file` (undefined: it can): checked before the run, so a bad path fails at
 * once rather than after every scenario ran.
 */
export function reportPathProblem(file: string): string | undefined {
  const dir = path.dirname(path.resolve(file));
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
    accessSync(dir, constants.W_OK);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? `directory ${dir} does not exist`
      : `${dir} is not writable`;
  }
  if (existsSync(file) && statSync(file).isDirectory()) return `${file} is a directory`;
  return undefined;
}

/** Writes a report without a moment where it is half written (temp file, fsync, rename: atomicFile.ts). */
export function writeReport(file: string, text: string): void {
  writeFileAtomicSync(file, text);
}
