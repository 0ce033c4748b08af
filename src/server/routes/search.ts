import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Search } from '../../app/search.js';
import { SearchInput, SearchResult } from '../../app/schemas/index.js';
import { errors } from './common.js';

export const searchRoutes: FastifyPluginAsyncZod<{ search: Search }> = async (app, { search }) => {
  app.get(
    '/api/search',
    { config: { scope: 'read' },
      schema: {
        tags: ['chats'],
        summary: 'Full-text search over every recorded message: words, "phrases", prefix*, any script; by chat, sender and time',
        querystring: SearchInput,
        response: { 200: SearchResult, ...errors(400) },
      },
    },
    async (req) => search.search(req.query),
  );
};
