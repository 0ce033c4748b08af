import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { History } from '../../app/history.js';
import { ChatIdParams, HistoryInput, HistoryResult } from '../../app/schemas/index.js';
import { errors, NEEDS_SESSION } from './common.js';

export const historyRoutes: FastifyPluginAsyncZod<{ history: History }> = async (app, { history }) => {
  app.post(
    '/api/chats/:chat_id/history',
    { config: { scope: 'read', audit: 'import_history' },
      schema: {
        tags: ['chats'],
        summary: "Import a chat's older messages into the store (searchable afterwards); bounded, resumable with before=",
        params: ChatIdParams,
        body: HistoryInput.nullish(),
        response: { 200: HistoryResult, ...errors(400, 404, ...NEEDS_SESSION) },
      },
    },
    // No body, or {}: the defaults (500 messages back from the newest).
    async (req) => history.importChat(req.params.chat_id, req.body ?? HistoryInput.parse({})),
  );
};
