// The start-up baseline for "process start → HTTP listening": a bare Fastify app.
import Fastify from 'fastify';

const app = Fastify();
app.get('/health', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`listening ${app.server.address().port}`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
