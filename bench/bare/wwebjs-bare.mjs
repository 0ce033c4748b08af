// The baseline for start-up and memory: the script a developer would write with
// whatsapp-web.js alone, on the same simulator page and browser flags as the bridge. Plain
// JavaScript run by plain node, so it pays for no TypeScript loader.
//
// Environment: BARE_AUTH_DIR (LocalAuth dataPath), BARE_CACHE and BARE_PUPPETEER (JSON
// Client options), BARE_LINK=1 to play the phone scanning the first QR code.
// Prints "state qr" / "state ready"; on stdin, "batch <sends> <incoming>" sends texts and
// delivers incoming messages, then prints "batch done".
import { createInterface } from 'node:readline';
import wwebjs from 'whatsapp-web.js';

const { Client, LocalAuth } = wwebjs;
const env = process.env;
const RECIPIENTS = ['15550100001', '15550100002', '15550100003', '15550100004', '15550100005'];
const SENDERS = ['15550100002', '15550100003', '15550100004'];

const client = new Client({
  ...JSON.parse(env.BARE_CACHE),
  authStrategy: new LocalAuth({ dataPath: env.BARE_AUTH_DIR }),
  puppeteer: JSON.parse(env.BARE_PUPPETEER),
});

let received = 0;
let sequence = 0;
client.on('message', () => received++);
client.on('qr', () => {
  console.log('state qr');
  if (env.BARE_LINK === '1') client.pupPage.evaluate(() => window.__waSimulator.link()).catch((err) => console.error(`link failed: ${err}`));
});
client.on('ready', () => console.log('state ready'));
client.initialize().catch((err) => {
  console.error(`initialize failed: ${err}`);
  process.exit(1);
});

async function batch(sends, incoming) {
  const expected = received + incoming;
  for (let i = 0; i < sends; i++) {
    const n = sequence++;
    await client.sendMessage(`${RECIPIENTS[n % RECIPIENTS.length]}@c.us`, `Memory run message ${n}`, { sendSeen: false });
  }
  for (let i = 0; i < incoming; i++) {
    const n = sequence++;
    await client.pupPage.evaluate((input) => window.__waSimulator.incoming(input), { from: SENDERS[n % SENDERS.length], body: `Memory run incoming ${n}` });
  }
  const deadline = Date.now() + 10_000;
  while (received < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  console.log('batch done');
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, a, b] = line.trim().split(/\s+/);
  if (cmd === 'batch') batch(Number(a), Number(b)).catch((err) => console.error(`batch failed: ${err}`));
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  client
    .destroy()
    .catch(() => undefined)
    .finally(() => process.exit(0));
});
