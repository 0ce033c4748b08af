import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyServerFactory } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { compiledSerializer } from './serializer.js';
import type { AppServices } from '../app/index.js';
import type { Logger } from '../core/logger.js';
import type { StdioEntry } from '../shared/mcp-install.js';
import { mcpPlugin, type McpLimits } from './mcp/plugin.js';
import { auditPlugin } from './plugins/audit.js';
import { contextPlugin } from './plugins/context.js';
import { errorsPlugin } from './plugins/errors.js';
import { openapiPlugin } from './plugins/openapi.js';
import { securityPlugin } from './plugins/security.js';
import { boundPort } from './addresses.js';
import type { Accounts } from '../app/accounts.js';
import { accountsRoutes } from './routes/accounts.js';
import { agentsRoutes } from './routes/agents.js';
import { auditRoutes } from './routes/audit.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { eventsRoutes } from './routes/events.js';
import { linkingRoutes } from './routes/linking.js';
import { outboxRoutes } from './routes/outbox.js';
import { qrPageRoutes } from './routes/qr-page.js';
import { readingRoutes } from './routes/reading.js';
import { searchRoutes } from './routes/search.js';
import { historyRoutes } from './routes/history.js';
import { keysRoutes } from './routes/keys.js';
import { sendingRoutes } from './routes/sending.js';
import { webhooksRoutes } from './routes/webhooks.js';

export const JSON_BODY_LIMIT = 1024 * 1024;

export interface HttpDeps {
  /** The application (see startBridge): every route and tool calls it. */
  services: AppServices;
  token: string;
  log: Logger;
  version: string;
  /** Host names besides loopback that may appear in the Host header (explicit non-loopback bind). */
  extraHosts?: string[];
  /** How many MCP sessions stay open, and for how long without use (defaults: 64, one hour). */
  mcpLimits?: McpLimits;
  /** Routes that exist only in some modes (the simulator's controls in demo mode). */
  extensions?: FastifyPluginAsync[];
  /**
   * The bound port, for an instance that does not listen itself (another account's app,
   * reached through the listening one; see accounts-front.ts). Default: its own server's.
   */
  port?: () => number;
  /** The account registry: its routes are on every account's app (absent: a bridge without them, e.g. tests). */
  accounts?: Accounts;
  /** Every running account's services: MCP tool calls may name another account (`account` argument). */
  servicesOf?: (account: string) => AppServices | null;
  /** The server that listens (see accounts-front.ts: it hands other accounts' requests to their apps). */
  serverFactory?: FastifyServerFactory;
  /** How MCP clients on this machine start the stdio entry, for the dashboard's one-click set-up. */
  stdio?: StdioEntry | null;
}

/** Builds the whole HTTP surface (REST, /qr, /mcp) without listening: tests and `start` both use it. */
export async function buildApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: JSON_BODY_LIMIT,
    // One line per request would drown the session's own log; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // Fastify trims a trailing slash: /api/status/ answers like /api/status.
    routerOptions: { ignoreTrailingSlash: true },
    ...(deps.serverFactory ? { serverFactory: deps.serverFactory } : {}),
  });
  // JSON is the only body we accept; text/plain (what a cross-site form can send) gets 415.
  app.removeContentTypeParser('text/plain');
  // Routes declare zod schemas: requests are validated with them, and responses are written
  // by Fastify's compiled serializer from the same schemas (only the declared fields go out).
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(compiledSerializer);

  const { services } = deps;
  app.addHook('onSend', (_req, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    done(null, payload);
  });

  // Parsed on demand by the security plugin, not on every request.
  await app.register(cookie, { hook: false });
  await app.register(errorsPlugin);
  // The port is read per request: configured as 0, it is only known once the server listens.
  const port = deps.port ?? ((): number => boundPort(app.server));
  await app.register(securityPlugin, { token: deps.token, keys: services.keys, extraHosts: deps.extraHosts ?? [], port, account: services.account });
  await app.register(openapiPlugin, { version: deps.version, port });
  await app.register(contextPlugin, { account: services.account });
  await app.register(auditPlugin, { audit: services.audit });
  await app.register(linkingRoutes, { linking: services.linking });
  await app.register(readingRoutes, { reading: services.reading });
  await app.register(sendingRoutes, { sending: services.sending });
  await app.register(outboxRoutes, { outbox: services.outbox, approvals: services.approvals });
  await app.register(agentsRoutes, { agents: services.agents });
  await app.register(eventsRoutes, { events: services.events, sameChat: (id: string) => services.search.bothIds(id) });
  await app.register(searchRoutes, { search: services.search });
  await app.register(historyRoutes, { history: services.history });
  await app.register(webhooksRoutes, { webhooks: services.webhooks });
  await app.register(keysRoutes, { keys: services.keys });
  if (deps.accounts) await app.register(accountsRoutes, { accounts: deps.accounts });
  await app.register(auditRoutes, { audit: services.audit });
  await app.register(qrPageRoutes, { linking: services.linking });
  await app.register(dashboardRoutes, { token: deps.token, account: services.account, ...(deps.stdio !== undefined ? { stdio: deps.stdio } : {}) });
  await app.register(mcpPlugin, { services, version: deps.version, port, ...(deps.servicesOf ? { servicesOf: deps.servicesOf } : {}), ...deps.mcpLimits });
  for (const ext of deps.extensions ?? []) await app.register(ext);
  return app;
}
