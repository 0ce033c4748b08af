import type { FastifyPluginAsync } from 'fastify';
import { parseInput } from '../validate.js';
import { EmptyInput, ListChatsInput, PairingCodeInput, ReadMessagesInput, SendMessageInput } from '../schemas.js';
import type { WhatsAppService } from '../service.js';
import { qrImage } from './qr-page.js';

/** The seed REST API: thin routes over the shared schemas and the one service. */
export const apiRoutes: FastifyPluginAsync<{ service: WhatsAppService }> = async (app, { service }) => {
  app.get('/health', async () => ({ ok: true }));

  app.get('/api/status', async () => service.status());

  app.post('/api/auth/start', async (req) => {
    parseInput(EmptyInput, req.body);
    return service.startAuth();
  });

  app.post('/api/pairing-code', async (req) => service.pairingCode(parseInput(PairingCodeInput, req.body)));

  app.post('/api/send', async (req) => service.send(parseInput(SendMessageInput, req.body)));

  app.post('/api/logout', async (req) => {
    parseInput(EmptyInput, req.body);
    return service.logout();
  });

  app.get('/api/chats', async (req) => service.listChats(parseInput(ListChatsInput, req.query)));

  app.get('/api/messages', async (req) => service.readMessages(parseInput(ReadMessagesInput, req.query)));

  app.get('/api/qr', async () => {
    const q = service.qr();
    return { ...q, data_url: q.qr ? await qrImage(q.qr) : null };
  });
};
