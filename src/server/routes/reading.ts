import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Reading } from '../../app/reading.js';
import {
  ChatIdParams,
  ChatMessagesQuery,
  ChatPageResult,
  ChatsResult,
  ContactsQuery,
  ContactsResult,
  GroupsResult,
  ListChatsInput,
  MessageIdParams,
  MessagesResult,
  OkResult,
  ReadMessagesInput,
} from '../../app/schemas/index.js';
import { errors, NEEDS_SESSION } from './common.js';

/** Reading chats, messages, groups, contacts and files, and acting on what is there. */
export const readingRoutes: FastifyPluginAsyncZod<{ reading: Reading }> = async (app, { reading }) => {
  app.get(
    '/api/chats',
    { config: { scope: 'read' },
      schema: {
        tags: ['chats'],
        summary: 'Recent chats, most recent first',
        querystring: ListChatsInput,
        response: { 200: ChatsResult, ...errors(400, ...NEEDS_SESSION) },
      },
    },
    async (req) => reading.listChats(req.query),
  );

  app.get(
    '/api/messages',
    { config: { scope: 'read' },
      schema: {
        tags: ['chats'],
        summary: 'The latest messages of the 1:1 chat with a phone number, oldest first',
        querystring: ReadMessagesInput,
        response: { 200: MessagesResult, ...errors(400, 404, ...NEEDS_SESSION) },
      },
    },
    async (req) => reading.readMessages(req.query),
  );

  app.get(
    '/api/chats/:chat_id/messages',
    { config: { scope: 'read' },
      schema: {
        tags: ['chats'],
        summary: 'Messages of any chat (groups too), oldest first; page back with before=',
        params: ChatIdParams,
        querystring: ChatMessagesQuery,
        response: { 200: ChatPageResult, ...errors(400, 404, ...NEEDS_SESSION) },
      },
    },
    async (req) => reading.chatMessages(req.params.chat_id, req.query),
  );

  app.post(
    '/api/chats/:chat_id/read',
    { config: { scope: 'send', audit: 'mark_read' },
      schema: {
        tags: ['chats'],
        summary: 'Mark a chat as read (blue ticks for the sender)',
        params: ChatIdParams,
        response: { 200: OkResult.extend({ chat_id: z.string() }), ...errors(400, 404, ...NEEDS_SESSION) },
      },
    },
    async (req) => reading.markRead(req.params.chat_id),
  );

  app.get(
    '/api/groups',
    { config: { scope: 'read' }, schema: { tags: ['chats'], summary: 'Your groups: id, name, member count, whether you are admin', response: { 200: GroupsResult, ...errors(...NEEDS_SESSION) } } },
    async () => reading.listGroups(),
  );

  app.get(
    '/api/contacts',
    { config: { scope: 'read' },
      schema: {
        tags: ['chats'],
        summary: 'Search contacts by name or number',
        querystring: ContactsQuery,
        response: { 200: ContactsResult, ...errors(400, ...NEEDS_SESSION) },
      },
    },
    async (req) => reading.searchContacts(req.query),
  );

  app.get(
    '/api/messages/:id/media',
    { config: { scope: 'read' },
      schema: {
        tags: ['messages'],
        summary: 'Download the file of a message, with its type and name',
        params: MessageIdParams,
        response: { 200: z.any().describe('The file'), ...errors(404, 410, 502, 503) },
      },
    },
    async (req, reply) => {
      const file = await reading.downloadMedia(req.params.id);
      return reply.type(file.mimetype).header('Content-Disposition', contentDisposition(file.filename, file.id, file.mimetype)).serializer((b) => b as string).send(file.data);
    },
  );

  app.delete(
    '/api/messages/:id',
    { config: { scope: 'send', audit: 'delete_message' },
      schema: {
        tags: ['messages'],
        summary: 'Delete a message for everyone (while WhatsApp still allows it)',
        params: MessageIdParams,
        response: { 200: OkResult, ...errors(404, 409, 410, 502, 503) },
      },
    },
    async (req) => reading.deleteMessage(req.params.id),
  );
};

/** RFC 6266: an ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(filename: string | null, id: string, mimetype: string): string {
  const name = filename ?? `${id.replace(/^.*_/, '')}.${(mimetype.split('/')[1] ?? 'bin').replace(/[^a-z0-9]+.*$/i, '') || 'bin'}`;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
