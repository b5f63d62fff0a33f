/**
 * `vm-scenario fmt PATH... [--check] [--write]`: scenario, steps and legacy test files in the writer's layout, as
 * `prettier` and `gofmt` do for code. Without a flag the formatted text goes to stdout; `--check` names the
 * files that would change (exit 1 if any); `--write` rewrites them in place, atomically.
 */
import { closeSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, statSync, writeSync } from 'node:fs';
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

/** The files `fmt` handles below `target` (or `target` itself), in lexical order. */
export function findFormattable(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target)
    .sort()
    .flatMap((entry) => {
      const full = path.join(target, entry);
      if (statSync(full).isDirectory()) return findFormattable(full);
      return FORMATTED.some((suffix) => entry.endsWith(suffix)) ? [full] : [];
    });
}

/** The file's text in the writer's layout. Throws a ScenarioError for a malformed file or a value it cannot keep. */
export function formatScenarioText(text: string, file: string): string {
  const notes: string[] = [];
  const formatted = file.endsWith('.test.json')
    ? writeTestFile(parseTest(text, { file, readFiles: false }), { notes })
    : writeScenario(parseScenario(text, { file, readFiles: false }), { notes }); // only text is rewritten
  if (notes.length > 0) throw new ScenarioError(`${file}: ${notes.join('; ')}`);
  return formatted;
}

/** Replaces `file` by `text` at once: a reader sees the old file or the new one, never a part. */
function writeAtomically(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(temporary, 'w', statSync(file).mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

export function runFmt(argv: string[], io: FmtIo): number {
  const program = new Command()
    .name('vm-scenario fmt')
    .description('Print scenario files (*.scen.json, *.steps.json, *.test.json) in the reference writer layout')
    .argument('<paths...>', 'files or directories')
    .option('--check', 'name the files that are not formatted; exit 1 if any')
    .option('--write', 'rewrite the files in place (atomically)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s.trimEnd()) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    return (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const { check = false, write = false } = program.opts<{ check?: boolean; write?: boolean }>();
  if (check && write) {
    io.err('--check and --write exclude each other');
    return 2;
  }
  let files: string[];
  try {
    files = program.args.flatMap(findFormattable);
  } catch (error) {
    io.err(`cannot read: ${(error as Error).message}`);
    return 2;
  }
  if (files.length === 0) {
    io.err(`no scenario files (${FORMATTED.join(', ')}) in ${program.args.join(' ')}`);
    return 2;
  }
  let unformatted = 0;
  let broken = 0;
  for (const file of files) {
    let text: string;
    let formatted: string;
    try {
      text = readFileSync(file, 'utf8');
      formatted = formatScenarioText(text, file);
    } catch (error) {
      if (!(error instanceof ScenarioError) && !(error as NodeJS.ErrnoException).code) throw error;
      io.err(`error: ${(error as Error).message}`);
      broken++;
      continue;
    }
    if (check) {
      if (formatted !== text) {
        io.out(`${file}\n`);
        unformatted++;
      }
    } else if (write) {
      if (formatted !== text) writeAtomically(file, formatted);
    } else io.out(formatted);
  }
  if (check && unformatted > 0) io.err(`${unformatted} of ${files.length} files are not formatted`);
  return broken > 0 ? 2 : unformatted > 0 ? 1 : 0;
}
