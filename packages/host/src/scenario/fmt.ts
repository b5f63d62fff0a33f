/**
 * vm-scenario fmt PATH... [--check] [--write]: scenario files in the writer's layout, like prettier or gofmt.
 * Without options each file is printed formatted; --check names the files that would change (exit 1); --write
 * rewrites them in place, atomically (a temporary file in the same directory, then a rename). A directory stands
 * for every *.scen.json, *.steps.json and *.test.json below it. Exit 2 for a file that does not parse.
 */
import { chmodSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { parseScenario, parseTest } from './parse';
import { ScenarioError } from './valueExpression';
import { writeScenario, writeTestFile } from './write';

export interface FmtIo {
  out(text: string): void;
  err(line: string): void;
}

const FORMATTED = ['.scen.json', '.steps.json', '.test.json'];

/** Every scenario, steps and test file below `target` (or `target` itself), in lexical order. */
export function findScenarioFiles(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target)
    .sort()
    .flatMap((entry) => {
      const full = path.join(target, entry);
      if (statSync(full).isDirectory()) return findScenarioFiles(full);
      return FORMATTED.some((suffix) => entry.endsWith(suffix)) ? [full] : [];
    });
}

/** The text of a file in the writer's layout (`file:` contents are not read: only the text is rewritten). */
export function formatScenarioText(text: string, file: string, notes?: string[]): string {
  const options = { file, readFiles: false };
  return file.endsWith('.test.json')
    ? writeTestFile(parseTest(text, options), { notes })
    : writeScenario(parseScenario(text, options), { notes });
}

/** Replaces a file's contents without a moment where it is half written. */
export function writeFileAtomic(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temporary, text);
    chmodSync(temporary, statSync(file).mode);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export function runFmt(argv: string[], io: FmtIo): number {
  const program = new Command()
    .name('vm-scenario fmt')
    .description(
      'Print scenario files (*.scen.json, *.steps.json, *.test.json; a directory: every one below it) in the writer layout',
    )
    .argument('<paths...>', 'files or directories')
    .option('--check', 'name the files that are not formatted; exit 1 if any')
    .option('--write', 'rewrite the files that are not formatted, in place (atomically)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.err(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  try {
    program.parse(argv, { from: 'user' });
  } catch {
    return 2;
  }
  const { check, write } = program.opts<{ check?: boolean; write?: boolean }>();
  let failed = false;
  let changed = 0;
  for (const target of program.args) {
    let files: string[];
    try {
      files = findScenarioFiles(target);
    } catch (error) {
      io.err(`${target}: ${(error as Error).message}`);
      failed = true;
      continue;
    }
    for (const file of files) {
      let text: string;
      let formatted: string;
      const notes: string[] = [];
      try {
        text = readFileSync(file, 'utf8');
        formatted = formatScenarioText(text, file, notes);
      } catch (error) {
        if (!(error instanceof ScenarioError) && !(error instanceof Error && 'code' in error)) throw error;
        io.err(error.message);
        failed = true;
        continue;
      }
      for (const note of notes) io.err(`${file}: ${note}`);
      if (!check && !write) {
        io.out(formatted);
        continue;
      }
      if (formatted === text) continue;
      changed++;
      if (write) writeFileAtomic(file, formatted);
      io.out(`${file}\n`);
    }
  }
  if (failed) return 2;
  return check && !write && changed > 0 ? 1 : 0;
}
