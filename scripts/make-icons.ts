/**
 * Draws the app and tray icons into assets/ with a canvas in headless Chromium (no network,
 * no image tools). Run: `npx tsx scripts/make-icons.ts` (CHROMIUM=/path/to/chromium to override).
 * Windows trays want an .ico with a size per display scale, so each tray icon is also packed
 * as one (PNG images inside an ICO container, which Windows reads since Vista).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const KINDS = ['linked', 'connecting', 'needs-login', 'error'] as const;
type Kind = (typeof KINDS)[number];

interface Job {
  file: string;
  size: number;
  kind: Kind | 'app';
  template: boolean;
  /** Sends wait for approval: a dot in the top right corner ("<kind>-approval" files). */
  badge?: boolean;
}

/** Each tray icon, plain and with the approvals dot. */
const VARIANTS = KINDS.flatMap((kind) => [
  { name: kind, kind, badge: false },
  { name: `${kind}-approval`, kind, badge: true },
]);

const jobs: Job[] = [
  { file: 'icon.png', size: 512, kind: 'app', template: false },
  ...VARIANTS.flatMap(({ name, kind, badge }) => [
    { file: `tray/${name}.png`, size: 16, kind, template: false, badge },
    { file: `tray/${name}@2x.png`, size: 32, kind, template: false, badge },
    { file: `tray/${name}Template.png`, size: 16, kind, template: true, badge },
    { file: `tray/${name}Template@2x.png`, size: 32, kind, template: true, badge },
  ]),
];

/** The Windows tray icon sizes: 16 px at 100 % display scale up to 48 px at 300 %. */
const ICO_SIZES = [16, 20, 24, 32, 40, 48];

/** An ICO file holding the given PNG images (ICONDIR, one 16-byte entry per image, then the images). */
function icoFromPngs(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

/** Runs in the page: one icon as a PNG data URL. Coordinates are on a 32-unit grid. */
function draw(job: Job): string {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = job.size;
  const c = canvas.getContext('2d')!;
  c.scale(job.size / 32, job.size / 32);
  const bubble = (): void => {
    c.beginPath();
    c.arc(16, 14.5, 11.5, Math.PI * 0.62, Math.PI * 0.52 + Math.PI * 2);
    c.lineTo(5.5, 28);
    c.closePath();
  };
  if (job.kind === 'app') {
    c.fillStyle = '#0b6e4f';
    c.beginPath();
    c.roundRect(0, 0, 32, 32, 7);
    c.fill();
    c.save();
    c.translate(16, 16);
    c.scale(0.72, 0.72);
    c.translate(-16, -16);
    c.fillStyle = '#ffffff';
    bubble();
    c.fill();
    c.fillStyle = '#0b6e4f';
    c.font = 'bold 11px monospace';
    c.textAlign = 'center';
    c.textBaseline = 'middle';
    c.fillText('MCP', 16, 15);
    c.restore();
    return canvas.toDataURL('image/png');
  }
  const colours: Record<Kind, string> = { linked: '#1e9e57', connecting: '#d08a00', 'needs-login': '#7a8580', error: '#d23a2f' };
  const ink = job.template ? '#000000' : colours[job.kind];
  c.fillStyle = ink;
  c.strokeStyle = ink;
  c.lineWidth = 3;
  bubble();
  if (job.kind === 'needs-login') {
    c.stroke();
  } else {
    c.fill();
  }
  // The mark inside is cut out of the bubble, so it reads on any tray background.
  c.globalCompositeOperation = job.template ? 'destination-out' : 'source-over';
  c.fillStyle = job.template ? '#000' : '#ffffff';
  c.strokeStyle = c.fillStyle;
  c.lineCap = 'round';
  c.lineJoin = 'round';
  c.lineWidth = 3.2;
  if (job.kind === 'linked') {
    c.beginPath();
    c.moveTo(10.5, 15);
    c.lineTo(14.5, 19);
    c.lineTo(21.5, 10.5);
    c.stroke();
  } else if (job.kind === 'connecting') {
    for (const x of [10, 16, 22]) {
      c.beginPath();
      c.arc(x, 14.5, 2.1, 0, Math.PI * 2);
      c.fill();
    }
  } else if (job.kind === 'error') {
    c.beginPath();
    c.moveTo(16, 8.5);
    c.lineTo(16, 15.5);
    c.stroke();
    c.beginPath();
    c.arc(16, 20.5, 1.9, 0, Math.PI * 2);
    c.fill();
  }
  if (job.badge) {
    // A clear ring cut around the dot keeps it apart from the bubble on any tray background.
    c.globalCompositeOperation = 'destination-out';
    c.beginPath();
    c.arc(25.5, 6.5, 7.5, 0, Math.PI * 2);
    c.fill();
    c.globalCompositeOperation = 'source-over';
    c.fillStyle = job.template ? '#000000' : '#2f6fed';
    c.beginPath();
    c.arc(25.5, 6.5, 5.5, 0, Math.PI * 2);
    c.fill();
  }
  return canvas.toDataURL('image/png');
}

async function main(): Promise<void> {
  const out = path.resolve('assets');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const page = await browser.newPage();
  // tsx keeps function names with a helper that does not exist in the page.
  await page.addInitScript('globalThis.__name = (fn) => fn;');
  await page.goto('about:blank');
  const png = async (job: Job): Promise<Buffer> => Buffer.from((await page.evaluate(draw, job)).split(',')[1]!, 'base64');
  for (const job of jobs) {
    const file = path.join(out, job.file);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, await png(job));
  }
  for (const { name, kind, badge } of VARIANTS) {
    const images = [];
    for (const size of ICO_SIZES) images.push({ size, png: await png({ file: '', size, kind, template: false, badge }) });
    writeFileSync(path.join(out, 'tray', `${name}.ico`), icoFromPngs(images));
  }
  await browser.close();
  process.stdout.write(`wrote ${jobs.length} icons and ${VARIANTS.length} .ico files to ${out}\n`);
}

await main();
