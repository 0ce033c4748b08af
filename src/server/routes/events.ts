import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EventHub, EventType, LoggedEvent } from '../../app/events.js';
import { EventLogQuery, EventLogResult } from '../../app/schemas/index.js';
import { AppError } from '../../core/errors.js';
import { LOG_EVENT_TYPES } from '../../shared/events.js';
import { errors } from './common.js';

/** A client that has not read this much is dropped (it resumes by cursor): memory stays flat whatever it does. */
export const SSE_BACKLOG_LIMIT_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;
const REPLAY_PAGE = 500;
/** While replaying, the stream waits for the client to read once this much is queued: a backlog drops nobody. */
const REPLAY_HIGH_WATER_BYTES = 256 * 1024;
/** Live events held while a replay waits on a slow client; past this the client is dropped (and resumes by cursor). */
const LIVE_HOLD_LIMIT = 5_000;

const EventsQuery = z.object({
  types: z
    .string()
    .max(1000)
    .optional()
    .describe(`Comma-separated event types (default: all): ${LOG_EVENT_TYPES.join(', ')}`),
  chat_id: z.string().max(64).optional().describe('Only events of this chat'),
  after: z.coerce.number().int().min(0).optional().describe('Replay from the log after this cursor (the id of the last event you saw); Last-Event-ID takes precedence'),
});

function parseTypes(text: string | undefined): EventType[] | undefined {
  if (!text) return undefined;
  const types = text.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = types.filter((t) => !(LOG_EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length) throw new AppError('VALIDATION_ERROR', `Unknown event type(s) ${unknown.join(', ')}; choose from ${LOG_EVENT_TYPES.join(', ')}`, { fields: ['types'] });
  return types as EventType[];
}

function parseCursor(header: string | string[] | undefined, query: number | undefined): number | null {
  if (header === undefined) return query ?? null;
  const value = Array.isArray(header) ? header.at(-1) : header;
  if (!value || !/^\d{1,15}$/.test(value.trim())) throw new AppError('VALIDATION_ERROR', 'Last-Event-ID must be the id (a cursor number) of an event this stream sent', { fields: ['Last-Event-ID'] });
  return Number(value);
}

/** The log's entries as the JSON route declares them (the data of each type is documented, not enumerated, in the schema). */
const asWire = (page: LoggedEvent[]) => page.map((e) => ({ ...e, data: e.data as unknown as Record<string, unknown> }));

const frame = (e: LoggedEvent): string => `id: ${e.cursor}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;

/**
 * Server-sent events from the event log: a reconnecting client (EventSource sends
 * Last-Event-ID by itself) or `?after=` replays what it missed, then follows live.
 */
/** `sameChat`: the chats one chat id stands for (a person's phone-number chat and LID chat). */
export const eventsRoutes: FastifyPluginAsyncZod<{ events: EventHub; sameChat: (chatId: string) => Promise<string[]> }> = async (app, { events, sameChat }) => {
  // Open streams never go idle: the server can only close once they are ended. preClose, not
  // onClose: Fastify closes the server (and waits for every connection) before onClose hooks run.
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });
  app.get(
    '/api/events/log',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['events'],
        summary: 'The event log as JSON pages: the newest events, older ones with before, or everything after a cursor',
        querystring: EventLogQuery,
        response: { 200: EventLogResult, ...errors(400) },
      },
    },
    async (req) => {
      const { after, before, limit } = req.query;
      const types = parseTypes(req.query.types);
      const chatIds = req.query.chat_id ? await sameChat(req.query.chat_id) : undefined;
      const filter = { ...(types ? { types } : {}), ...(chatIds ? { chatIds } : {}), limit };
      const latest = events.latestCursor();
      if (after !== undefined) {
        const page = events.after(after, filter);
        return { ok: true as const, count: page.length, events: asWire(page), latest_cursor: latest, next_after: page.at(-1)?.cursor ?? after, next_before: null };
      }
      const page = events.before(before ?? null, filter);
      const oldest = page.at(-1)?.cursor;
      return { ok: true as const, count: page.length, events: asWire(page), latest_cursor: latest, next_after: null, next_before: page.length === limit && oldest !== undefined ? oldest : null };
    },
  );
  app.get(
    '/api/events',
    { config: { scope: 'read' },
      schema: {
        tags: ['events'],
        summary: 'Everything that happens, as server-sent events; resumable with Last-Event-ID or ?after=',
        description:
          'text/event-stream. Each event: id (the cursor), event (its type) and data (the JSON entry of the event log). Without a cursor the stream starts with what happens from now on; it opens with an id-only block (the cursor it starts after), so a client that reconnects with Last-Event-ID misses nothing even if no event came before the drop. A comment line every 15 s keeps the connection alive. A replay goes at the pace the client reads; a client that falls 1 MiB behind on live events gets an event "dropped" and is disconnected: reconnect with Last-Event-ID.',
        querystring: EventsQuery,
        response: { ...errors(400) },
      },
    },
    async (req, reply) => {
      const types = parseTypes(req.query.types);
      const from = parseCursor(req.headers['last-event-id'], req.query.after);
      // A person's phone-number chat and LID chat are one: either id follows both.
      const chatIds = req.query.chat_id ? await sameChat(req.query.chat_id) : null;
      const wanted = (e: LoggedEvent) => (!types || types.includes(e.type)) && (!chatIds || (e.chat_id !== null && chatIds.includes(e.chat_id)));
      const res: ServerResponse = reply.raw;
      reply.hijack();
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Content-Type-Options': 'nosniff',
        'X-Accel-Buffering': 'no',
      });
      let last = from ?? events.latestCursor();
      let closed = false;
      const live: LoggedEvent[] = [];
      let replaying = true;
      const drop = (): void => {
        if (closed) return;
        closed = true;
        res.end(`event: dropped\ndata: ${JSON.stringify({ reason: 'the client read too slowly; reconnect with Last-Event-ID to resume', last_event_id: last })}\n\n`);
      };
      /** Live events only: a client that falls a whole backlog behind is dropped. A replay waits instead (below). */
      const send = (e: LoggedEvent, replay = false): void => {
        if (closed || e.cursor <= last) return;
        last = e.cursor;
        if (!wanted(e)) return;
        res.write(frame(e));
        if (!replay && res.writableLength > SSE_BACKLOG_LIMIT_BYTES) drop();
      };
      const drained = (): Promise<void> =>
        new Promise((resolve) => {
          if (closed) return resolve();
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      const onEvent = (e: LoggedEvent): void => {
        if (!replaying) return send(e);
        live.push(e);
        if (live.length > LIVE_HOLD_LIMIT) drop();
      };
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      const stop = (): void => {
        closed = true;
        clearInterval(heartbeat);
        events.off('event', onEvent);
      };
      open.add(res);
      res.on('close', () => {
        open.delete(res);
        stop();
      });
      events.on('event', onEvent);
      // The starting cursor as an id-only block: a client that sees no event before its connection drops still resumes from here.
      res.write(`retry: 2000\nid: ${last}\n\n`);
      // Replay from the log in pages, at the pace the client reads, then what arrived
      // meanwhile, in cursor order, without repeats.
      for (;;) {
        const page = events.after(last, { ...(types ? { types } : {}), ...(chatIds ? { chatIds } : {}), limit: REPLAY_PAGE });
        for (const e of page) {
          send(e, true);
          if (res.writableLength > REPLAY_HIGH_WATER_BYTES) await drained();
          if (closed) break;
        }
        if (page.length < REPLAY_PAGE || closed) break;
      }
      replaying = false;
      for (const e of live.splice(0)) send(e);
    },
  );
};
