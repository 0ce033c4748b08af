import path from 'node:path';
import wwebjs from 'whatsapp-web.js';
import type { Client as WwebjsClient } from 'whatsapp-web.js';
import type { Page } from 'puppeteer-core';
import { chromiumArgs, runningAsRoot } from '../../src/whatsapp/browser.js';
import { SimulatorControl, type SimulatorCache } from '../../src/whatsapp/simulator/index.js';
import { CHROME } from './config.js';

const { Client, LocalAuth } = wwebjs;

/**
 * The browser settings of the bare baseline: the bridge's own (same flags, CDP over a pipe),
 * so the comparison isolates the bridge's layers rather than Chromium options.
 */
export function barePuppeteerOptions(): Record<string, unknown> {
  return { executablePath: CHROME, headless: true, pipe: true, defaultViewport: null, args: chromiumArgs({ noSandbox: runningAsRoot() }) };
}

/** A bare whatsapp-web.js Client in this process on the simulator, linked and ready. */
export async function startBareClient(dataDir: string, cache: SimulatorCache): Promise<{ client: WwebjsClient; sim: SimulatorControl }> {
  const client = new Client({ ...cache, authStrategy: new LocalAuth({ dataPath: path.join(dataDir, 'auth') }), puppeteer: barePuppeteerOptions() });
  const qr = new Promise<void>((resolve) => client.once('qr', () => resolve()));
  const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
  await client.initialize();
  await withTimeout(qr, 60_000, 'bare client: qr');
  const sim = new SimulatorControl(client.pupPage as unknown as Page);
  await sim.link();
  await withTimeout(ready, 60_000, 'bare client: ready');
  return { client, sim };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]);
}
