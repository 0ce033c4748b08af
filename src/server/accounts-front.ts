import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import { DEFAULT_ACCOUNT } from '../app/context.js';

/** The header that names the account a request is for; absent: the default account. */
export const ACCOUNT_HEADER = 'x-account';

/** `/mcp/{account}`, an MCP endpoint bound to one account (with or without a trailing slash or query). */
const ACCOUNT_MCP = /^\/mcp\/([^/?#]+)\/?(\?.*)?$/;

const BOUND = Symbol('bound to an account by /mcp/{account}');

/** Whether the request came on `/mcp/{account}` (rewritten to /mcp): its MCP session is bound to that account. */
export const boundToAccount = (req: IncomingMessage): boolean => (req as IncomingMessage & { [BOUND]?: true })[BOUND] === true;

/** `/qr?…`: the link page, which names its account in the query. */
const QR_PAGE = /^\/qr\?(.*)$/;

/**
 * The account a request is for. `/mcp/{account}` is rewritten to `/mcp` and its account
 * replaces any X-Account header, so a client configured with that endpoint cannot reach
 * another account whatever headers it sends.
 */
export function requestedAccount(req: IncomingMessage): string {
  const bound = ACCOUNT_MCP.exec(req.url ?? '');
  if (bound) {
    let account: string;
    try {
      account = decodeURIComponent(bound[1]!);
    } catch {
      account = bound[1]!;
    }
    req.url = `/mcp${bound[2] ?? ''}`;
    req.headers[ACCOUNT_HEADER] = account;
    (req as IncomingMessage & { [BOUND]?: true })[BOUND] = true;
    return account;
  }
  const header = req.headers[ACCOUNT_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  // The link page is opened by a person, who cannot send a header: `/qr?account=<id>`.
  const page = QR_PAGE.exec(req.url ?? '');
  return page ? (new URLSearchParams(page[1]).get('account') ?? DEFAULT_ACCOUNT) : DEFAULT_ACCOUNT;
}

/**
 * The one listening server in front of every account's app. Each account has its own
 * Fastify instance, built by the same buildApp with that account's services (its routes
 * therefore need no account parameter); this server hands each request to the instance of
 * the account it names. The default account's instance is the one that listens: requests
 * that name no account, or one it does not know, go to it (and for an unknown account it
 * answers ACCOUNT_NOT_FOUND once its security checks have passed).
 */
export function accountsServerFactory(appOf: (account: string) => FastifyInstance | null): FastifyServerFactory {
  return (defaultHandler) =>
    createServer((req: IncomingMessage, res: ServerResponse) => {
      const account = requestedAccount(req);
      const app = account === DEFAULT_ACCOUNT ? null : appOf(account);
      if (app) app.routing(req, res);
      else defaultHandler(req, res);
    }) as Server;
}
