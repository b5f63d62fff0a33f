/**
 * The debug node's HTTP server: the reference's five POST routes with its envelope
 * `{data, error, errorMessage, errorScope}`, 200 for an executed request (a failing contract included), 400 for a
 * bad one. Plain node:http: five routes and a JSON body need no framework.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorldFileError } from './debugWorld';
import { DebugFacade, type FacadeOptions, type Operation } from './facade';
import { goJson } from './goJson';
import { RequestError } from './requests';
import { WorldLockedError } from './worldLock';

/** Request bodies above this are refused (413). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Route → operation, and the reference's errorScope names (`handleRun.UpgradeSmartContract` fixed to `RunSmartContract`). */
const ROUTES: Readonly<Record<string, { operation: Operation; handler: string; call: string }>> = {
  '/account': { operation: 'createAccount', handler: 'handleCreateAccount', call: 'CreateAccount' },
  '/deploy': { operation: 'deploy', handler: 'handleDeploy', call: 'DeploySmartContract' },
  '/upgrade': { operation: 'upgrade', handler: 'handleUpgrade', call: 'UpgradeSmartContract' },
  '/run': { operation: 'run', handler: 'handleRun', call: 'RunSmartContract' },
  '/query': { operation: 'query', handler: 'handleQuery', call: 'QuerySmartContract' },
};

export interface DebugServerOptions extends FacadeOptions {
  host?: string;
  port?: number;
  /** One line per request (default: none). */
  log?: (line: string) => void;
}

export interface DebugServer {
  readonly server: Server;
  readonly facade: DebugFacade;
  readonly url: string;
  /** Stops accepting connections, finishes the requests in flight, then resolves. */
  close(): Promise<void>;
}

export async function startDebugServer(options: DebugServerOptions = {}): Promise<DebugServer> {
  const facade = new DebugFacade(options);
  const log = options.log ?? (() => undefined);
  const server = createServer((request, response) => {
    handle(facade, request, response).then(
      (status) => log(`${request.method} ${request.url} ${status}`),
      (error: unknown) => {
        log(`${request.method} ${request.url} failed: ${(error as Error).stack ?? String(error)}`);
        if (!response.headersSent) send(response, 500, envelope(null, error as Error, 'server'));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9091, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    facade,
    url: `http://${host}:${address.port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await facade.close();
    },
  };
}

type WorldRoute = (
  facade: DebugFacade,
  params: string[],
  database: string | undefined,
  body: unknown,
) => Promise<unknown>;

/** Beyond the reference: reading worlds, block control, snapshots. `?database=DIR` picks the database (default ./db). */
const WORLD_ROUTES: readonly { method: string; pattern: RegExp; body?: true; run: WorldRoute }[] = [
  { method: 'GET', pattern: /^\/worlds$/, run: (f, _params, db) => f.listWorlds(db) },
  { method: 'GET', pattern: /^\/worlds\/([^/]+)$/, run: (f, [id], db) => f.getWorld(id, db) },
  { method: 'DELETE', pattern: /^\/worlds\/([^/]+)$/, run: (f, [id], db) => f.deleteWorld(id, db) },
  {
    method: 'GET',
    pattern: /^\/worlds\/([^/]+)\/accounts\/([^/]+)$/,
    run: (f, [id, address], db) => f.getAccount(id, address, db),
  },
  {
    method: 'GET',
    pattern: /^\/worlds\/([^/]+)\/accounts\/([^/]+)\/code$/,
    run: (f, [id, address], db) => f.getCode(id, address, db),
  },
  { method: 'GET', pattern: /^\/worlds\/([^/]+)\/scenario$/, run: (f, [id], db) => f.scenario(id, db) },
  { method: 'GET', pattern: /^\/worlds\/([^/]+)\/transactions$/, run: (f, [id], db) => f.getTransactions(id, db) },
  {
    method: 'GET',
    pattern: /^\/worlds\/([^/]+)\/transactions\/([^/]+)$/,
    run: (f, [id, tx], db) => f.getTransaction(id, tx, db),
  },
  { method: 'POST', pattern: /^\/worlds\/([^/]+)\/block$/, body: true, run: (f, [id], db, b) => f.setBlock(id, b, db) },
  { method: 'POST', pattern: /^\/worlds\/([^/]+)\/snapshot$/, run: (f, [id], db) => f.snapshot(id, db) },
  {
    method: 'POST',
    pattern: /^\/worlds\/([^/]+)\/revert\/([^/]+)$/,
    run: (f, [id, snapshot], db) => f.revert(id, snapshot, db),
  },
];

async function handle(facade: DebugFacade, request: IncomingMessage, response: ServerResponse): Promise<number> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const route = ROUTES[url.pathname];
  if (!route) return handleWorldRoute(facade, url, request, response);
  if (request.method !== 'POST')
    return send(response, 405, envelope(null, new RequestError(`${url.pathname} takes POST`), 'router'));
  const bindScope = `${route.handler}.ShouldBindJSON`;
  let body: unknown;
  try {
    body = JSON.parse(await readBody(request));
  } catch (error) {
    const status = error instanceof BodyTooLarge ? 413 : 400;
    return send(response, status, envelope(null, new RequestError((error as Error).message), bindScope));
  }
  try {
    return send(response, 200, envelope(await facade.execute(route.operation, body)));
  } catch (error) {
    if (error instanceof WorldLockedError)
      return send(response, 409, envelope(null, error, `${route.handler}.${route.call}`));
    if (!(error instanceof RequestError) && !(error instanceof WorldFileError)) throw error;
    const scope = error instanceof RequestError && error.binding ? bindScope : `${route.handler}.${route.call}`;
    return send(response, 400, envelope(null, error, scope));
  }
}

async function handleWorldRoute(
  facade: DebugFacade,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<number> {
  let match: RegExpExecArray | null = null;
  const route = WORLD_ROUTES.find((r) => (match = r.pattern.exec(url.pathname)) && r.method === request.method);
  if (!route || !match) {
    const known = WORLD_ROUTES.some((r) => r.pattern.test(url.pathname));
    return send(
      response,
      known ? 405 : 404,
      envelope(null, new RequestError(`no route ${request.method} ${url.pathname}`), 'router'),
    );
  }
  const scope = `${request.method} ${route.pattern.source}`;
  let body: unknown = {};
  try {
    const text = await readBody(request);
    if (route.body) body = text ? JSON.parse(text) : {};
    const params = (match as RegExpExecArray).slice(1).map((p) => decodeURIComponent(p));
    const database = url.searchParams.get('database') ?? undefined;
    return send(response, 200, envelope(await route.run(facade, params, database, body)));
  } catch (error) {
    const known = error instanceof RequestError || error instanceof WorldFileError || error instanceof SyntaxError;
    if (error instanceof BodyTooLarge) return send(response, 413, envelope(null, error, scope));
    if (error instanceof WorldLockedError) return send(response, 409, envelope(null, error, scope));
    if (!known) throw error;
    const status = /^no (world|account|transaction|snapshot) /.test((error as Error).message) ? 404 : 400;
    return send(response, status, envelope(null, error as Error, scope));
  }
}

class BodyTooLarge extends Error {
  override name = 'RequestError';
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge(`request body larger than ${MAX_BODY_BYTES} bytes`));
        request.resume();
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function envelope(data: unknown, error: Error | null = null, scope: string | null = null) {
  return { data, error: error && error.name, errorMessage: error && error.message, errorScope: scope };
}

function send(response: ServerResponse, status: number, body: unknown): number {
  const text = goJson(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
  return status;
}
