// The baseline for several accounts: what a developer would write with whatsapp-web.js alone
// to run several accounts from one Node process, each a Client with its own LocalAuth
// profile and so its own Chromium, on the same simulator page and browser flags as the
// bridge. Plain JavaScript run by plain node.
//
// Environment: BARE_AUTH_DIR (each client's LocalAuth dataPath is BARE_AUTH_DIR/<n>),
// BARE_CACHE and BARE_PUPPETEER (JSON Client options).
// On stdin:
//   add <n>          starts client n; prints "client <n> qr" when it shows its QR code
//   link <n>         the simulated phone of client n scans it; prints "client <n> ready"
//   send <k> <count> clients 1..k each send <count> texts, one at a time, all k at once;
//                    prints "sent <k> <ms>"
import path from 'node:path';
import { createInterface } from 'node:readline';
import wwebjs from 'whatsapp-web.js';

const { Client, LocalAuth } = wwebjs;
const env = process.env;
const RECIPIENTS = ['15550100001', '15550100002', '15550100003', '15550100004', '15550100005'];
const clients = new Map();
let sequence = 0;

function add(n) {
  const client = new Client({
    ...JSON.parse(env.BARE_CACHE),
    authStrategy: new LocalAuth({ dataPath: path.join(env.BARE_AUTH_DIR, String(n)) }),
    puppeteer: JSON.parse(env.BARE_PUPPETEER),
  });
  clients.set(n, client);
  client.on('qr', () => console.log(`client ${n} qr`));
  client.on('ready', () => console.log(`client ${n} ready`));
  client.initialize().catch((err) => {
    console.error(`client ${n} initialize failed: ${err}`);
    process.exit(1);
  });
}

async function send(k, count) {
  const t = performance.now();
  await Promise.all(
    Array.from({ length: k }, async (_, i) => {
      const client = clients.get(i + 1);
      for (let j = 0; j < count; j++) {
        const s = sequence++;
        await client.sendMessage(`${RECIPIENTS[s % RECIPIENTS.length]}@c.us`, `Accounts run message ${s}`, { sendSeen: false });
      }
    }),
  );
  console.log(`sent ${k} ${(performance.now() - t).toFixed(1)}`);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, a, b] = line.trim().split(/\s+/);
  const fail = (err) => console.error(`${cmd} failed: ${err}`);
  if (cmd === 'add') add(Number(a));
  else if (cmd === 'link') clients.get(Number(a)).pupPage.evaluate(() => window.__waSimulator.link()).catch(fail);
  else if (cmd === 'send') send(Number(a), Number(b)).catch(fail);
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  Promise.all([...clients.values()].map((c) => c.destroy().catch(() => undefined))).finally(() => process.exit(0));
});
