/**
 * vm-debug VERB [flags]: the reference's arwendebug CLI (deploy, upgrade, run, query, create-account, server) over
 * the same world files. The outcome JSON goes to stdout, logs and errors to stderr; exit code 1 on any error.
 */
import path from 'node:path';
import { Command } from 'commander';
import { DebugFacade, type Operation } from './facade';
import { writeFileAtomic } from '../atomicFile';
import { goJson } from './goJson';
import { startDebugServer } from './server';

export interface DebugCliIo {
  out(text: string): void;
  err(text: string): void;
}

const STD_IO: DebugCliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

interface Flags {
  world?: string;
  database?: string;
  outcome?: string;
  impersonated?: string;
  code?: string;
  codePath?: string;
  codeMetadata?: string;
  arguments: string[];
  value?: string;
  gasLimit?: number;
  gasPrice?: number;
  contract?: string;
  function?: string;
  address?: string;
  balance?: string;
  nonce?: number;
  replace?: boolean;
  processes?: boolean;
}

const u64 = (text: string): number => {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new Error(`not a whole number: ${text}`);
  return Number(text);
};

/** Flag → request field. */
function requestOf(flags: Flags): Record<string, unknown> {
  return {
    World: flags.world,
    DatabasePath: flags.database,
    Outcome: flags.outcome,
    ImpersonatedHex: flags.impersonated,
    CodeHex: flags.code,
    CodePath: flags.codePath,
    CodeMetadata: flags.codeMetadata,
    ArgumentsHex: flags.arguments,
    Value: flags.value,
    GasLimit: flags.gasLimit,
    GasPrice: flags.gasPrice,
    ContractAddressHex: flags.contract,
    Function: flags.function,
    AddressHex: flags.address,
    Balance: flags.balance,
    Nonce: flags.nonce,
    Replace: flags.replace,
  };
}

type FlagName = 'tx' | 'code' | 'value' | 'gas' | 'contract' | 'function' | 'account';

/** verb → operation and the flag groups it takes (the reference's cliArguments.go). */
const VERBS: Readonly<Record<string, { operation: Operation; flags: FlagName[]; about: string }>> = {
  deploy: { operation: 'deploy', flags: ['tx', 'code', 'value', 'gas'], about: 'deploy a contract' },
  upgrade: { operation: 'upgrade', flags: ['tx', 'code', 'value', 'gas', 'contract'], about: 'upgrade a contract' },
  run: { operation: 'run', flags: ['tx', 'value', 'gas', 'contract', 'function'], about: 'call a contract function' },
  query: {
    operation: 'query',
    flags: ['tx', 'gas', 'contract', 'function'],
    about: 'query a contract (nothing stored)',
  },
  'create-account': { operation: 'createAccount', flags: ['account'], about: 'create or reset a user account' },
};

export async function runDebugCli(argv: string[], io: DebugCliIo = STD_IO): Promise<number> {
  const program = new Command()
    .name('vm-debug')
    .description(
      'A local debug node: deploy and call contracts on persistent JSON-file worlds, or serve them over HTTP.',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  let result: Promise<number> = Promise.resolve(0);
  for (const [verb, spec] of Object.entries(VERBS)) {
    const command = program
      .command(verb)
      .description(spec.about)
      .option('--world <name>', 'world name: <database>/worlds/<name>.json', 'default')
      .option('--database <dir>', 'database folder', './db')
      .option('--outcome <name>', 'also store the outcome as <database>/out/<name>.json')
      .option('--processes', 'execute through the VMDriver (an arwen child process, as a node does)');
    if (spec.flags.includes('tx')) {
      command.requiredOption('--impersonated <hex>', 'the caller address');
      command.option('--arguments <hex>', 'an argument (repeatable)', (v: string, all: string[]) => [...all, v], []);
    }
    if (spec.flags.includes('code'))
      command
        .option('--code <hex>', 'the contract code')
        .option('--code-path <file>', 'the contract code file (.wasm)')
        .option('--code-metadata <hex>', 'code metadata (default 0100: upgradeable)');
    if (spec.flags.includes('value')) command.option('--value <decimal>', 'value sent, paid by the caller', '0');
    if (spec.flags.includes('gas'))
      command
        .option('--gas-limit <n>', `gas limit${verb === 'query' ? ' (default 10000000)' : ''}`, u64)
        .option('--gas-price <n>', 'gas price: when given, the caller pays gas used x price', u64);
    if (spec.flags.includes('contract')) command.requiredOption('--contract <hex>', 'the contract address');
    if (spec.flags.includes('function')) command.requiredOption('--function <name>', 'the function');
    if (spec.flags.includes('account'))
      command
        .requiredOption('--address <hex>', 'the account address')
        .requiredOption('--balance <decimal>', 'its balance')
        .requiredOption('--nonce <n>', 'its nonce', u64)
        .option('--replace', 'replace a contract account (refused otherwise)');
    command.action((flags: Flags) => {
      result = operate(spec.operation, flags, io);
    });
  }
  program
    .command('export-scenario')
    .description('write a world as a scenario: its starting state, its transactions with their results, its state')
    .option('--world <name>', 'world name: <database>/worlds/<name>.json', 'default')
    .option('--database <dir>', 'database folder', './db')
    .option('--output <file>', 'write the scenario there (default: stdout)')
    .action((flags: { world: string; database: string; output?: string }) => {
      result = exportWorld(flags, io);
    });
  program
    .command('server')
    .description('serve the worlds over HTTP (POST /account /deploy /upgrade /run /query)')
    .option('--address <host:port>', 'listen address (the reference form, e.g. :9091)')
    .option('--host <host>', 'listen host (127.0.0.1: this machine only)', '127.0.0.1')
    .option('--port <n>', 'listen port (0: any free port)', u64, 9091)
    .option('--root <dir>', 'DatabasePath and CodePath must stay inside it (default: the working directory)')
    .option('--processes', 'execute through the VMDriver (an arwen child process per world, as a node does)')
    .action((flags: ServeFlags) => {
      result = serve(flags, io);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 1;
  }
  return result;
}

async function operate(operation: Operation, flags: Flags, io: DebugCliIo): Promise<number> {
  return withLocalFacade(flags.processes, io, async (facade) => {
    io.out(goJson(await facade.execute(operation, requestOf(flags)), '\t'));
  });
}

async function exportWorld(flags: { world: string; database: string; output?: string }, io: DebugCliIo) {
  return withLocalFacade(false, io, async (facade) => {
    const { Scenario, Notes } = await facade.scenario(flags.world, flags.database);
    for (const note of Notes) io.err(`vm-debug: ${note}`);
    if (flags.output) await writeFileAtomic(path.resolve(flags.output), Scenario);
    else io.out(Scenario.trimEnd());
  });
}

/**
 * One CLI verb on a facade for local use (any path the user names, relative to the working directory): exit 0, or
 * 1 with the error on stderr; the facade is closed either way.
 */
async function withLocalFacade(
  processes: boolean | undefined,
  io: DebugCliIo,
  verb: (facade: DebugFacade) => Promise<void>,
): Promise<number> {
  const facade = new DebugFacade({ root: path.parse(process.cwd()).root, base: process.cwd(), processes });
  try {
    await verb(facade);
    return 0;
  } catch (error) {
    io.err(`vm-debug: ${(error as Error).message}`);
    return 1;
  } finally {
    await facade.close();
  }
}

interface ServeFlags {
  address?: string;
  host: string;
  port: number;
  root?: string;
  processes?: boolean;
}

async function serve(flags: ServeFlags, io: DebugCliIo): Promise<number> {
  let { host, port } = flags;
  if (flags.address) {
    const match = /^(.*):(\d+)$/.exec(flags.address);
    if (!match) throw new Error(`--address expects HOST:PORT, got ${flags.address}`);
    host = match[1] || host;
    port = Number(match[2]);
  }
  const server = await startDebugServer({ host, port, root: flags.root, processes: flags.processes, log: io.err });
  io.out(`vm-debug listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      io.err(`vm-debug: ${signal}, finishing the requests in flight`);
      void server.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** The executable's entry point. */
export function main(): void {
  runDebugCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`vm-debug failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
