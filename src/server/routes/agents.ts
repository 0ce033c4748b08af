import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Agents } from '../../app/agents.js';
import { AgentsResult } from '../../app/schemas/index.js';
import { errors } from './common.js';

/** The kill switch: pause every client key's sends (held, not dropped), resume them in order. */
export const agentsRoutes: FastifyPluginAsyncZod<{ agents: Agents }> = async (app, { agents }) => {
  app.get(
    '/api/agents',
    { config: { scope: 'admin' }, schema: { tags: ['agents'], summary: 'Whether agents are paused, and how many sends wait (held, or for approval)', response: { 200: AgentsResult, ...errors() } } },
    async () => agents.state(),
  );

  app.post(
    '/api/agents/pause',
    {
      config: { scope: 'admin', audit: 'pause_agents' },
      schema: {
        tags: ['agents'],
        summary: 'Pause agents: every send by a client key stays queued (not sent, not dropped) until resumed; the owner keeps sending',
        response: { 200: AgentsResult, ...errors() },
      },
    },
    async (req) => agents.pause(req.ctx),
  );

  app.post(
    '/api/agents/resume',
    { config: { scope: 'admin', audit: 'resume_agents' }, schema: { tags: ['agents'], summary: 'Resume agents: the held sends go out in their original order', response: { 200: AgentsResult, ...errors() } } },
    async (req) => agents.resume(req.ctx),
  );
};
