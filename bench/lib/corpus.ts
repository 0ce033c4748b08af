/**
 * A chat history for the search benchmark: wire messages as whatsapp-web.js reports them
 * (one-to-one and group chats, our own messages with acks, photos with and without a
 * caption, quotes and mentions) over three years, with texts from texts.ts.
 */
import type { IncomingMessage } from '../../src/store/index.js';
import { rng, textGenerator, type TextGenerator } from './texts.js';

const ME = '15550009999@c.us';
const DIRECT_CHATS = 1_500;
const GROUPS = 300;
const YEARS = 3;
const START = 1_672_531_200; // 2023-01-01

export interface Corpus {
  /** The next `n` messages, oldest first. */
  batch(n: number): IncomingMessage[];
  /** Texts seen so far (a sample), to cut phrase queries from. */
  samples: string[];
  text: TextGenerator;
  /** The chat with the most messages, for filtered queries. */
  busiestChat: string;
  /** A timestamp a third of the way through, for date-range queries. */
  timeAt(fraction: number): number;
}

const phone = (i: number) => `1555${String(i).padStart(7, '0')}@c.us`;
const group = (i: number) => `1203630000${String(i).padStart(8, '0')}@g.us`;

export function corpus(total: number, seed = 42): Corpus {
  const random = rng(seed);
  const text = textGenerator(seed);
  const samples: string[] = [];
  const span = YEARS * 365 * 86_400;
  let i = 0;
  // A few chats carry most of the traffic, as in real accounts.
  const chatOf = () => {
    const r = random();
    if (r < 0.25) return { chat: phone(Math.floor(random() * 10)), isGroup: false };
    if (r < 0.45) return { chat: group(Math.floor(random() * 5)), isGroup: true };
    if (r < 0.8) return { chat: phone(Math.floor(random() * DIRECT_CHATS)), isGroup: false };
    return { chat: group(Math.floor(random() * GROUPS)), isGroup: true };
  };
  return {
    samples,
    text,
    busiestChat: phone(0),
    timeAt: (fraction) => START + Math.floor(span * fraction),
    batch(n) {
      const out: IncomingMessage[] = [];
      for (let k = 0; k < n; k++, i++) {
        const { chat, isGroup } = chatOf();
        const fromMe = random() < 0.3;
        const author = isGroup && !fromMe ? phone(10_000 + Math.floor(random() * 200)) : null;
        const photo = random() < 0.06;
        const body = photo && random() < 0.6 ? '' : text.next();
        if (body && samples.length < 5_000 && random() < 0.01) samples.push(body);
        const id = `${fromMe}_${chat}_3EB0${i.toString(16).toUpperCase().padStart(16, '0')}`;
        out.push({
          message: {
            id,
            from: fromMe ? ME : chat,
            to: fromMe ? chat : ME,
            author,
            from_me: fromMe,
            type: photo ? 'image' : 'chat',
            body,
            timestamp: START + Math.floor((i / total) * span),
            has_media: photo,
            ack: fromMe ? (random() < 0.8 ? 'read' : 'delivered') : null,
            quoted_message_id: null,
            mentioned_ids: [],
            media: null,
            edited: false,
            revoked: false,
            sender_phone: null,
            sender_lid: null,
          },
          chatId: chat,
          ...(author ? { senderPhone: author, senderLid: `2${author.slice(1, 11)}@lid` } : {}),
          ...(random() < 0.05 ? { quotedId: `false_${chat}_3EB0QUOTED${i}` } : {}),
          ...(isGroup && random() < 0.03 ? { mentions: [phone(10_000)] } : {}),
          ...(photo ? { media: { mimetype: 'image/jpeg', filename: null, size: 50_000 + Math.floor(random() * 200_000) } } : {}),
        });
      }
      return out;
    },
  };
}

export interface QuerySets {
  words: string[];
  phrases: string[];
  prefixes: string[];
}

/**
 * Queries as people type them: single words from every frequency band of every language
 * (the most common ones match a quarter of the store), Chinese two-character words, and
 * phrases of two or three consecutive words cut from stored messages.
 */
export function querySets(c: Corpus, perSet: number, seed = 7): QuerySets {
  const random = rng(seed);
  const langs = [...c.text.vocabulary.entries()];
  const bands: [number, number][] = [
    [0, 10],
    [10, 100],
    [100, 1_000],
    [1_000, 4_000],
  ];
  const words: string[] = [];
  while (words.length < perSet) {
    const [, vocab] = langs[Math.floor(random() * langs.length)]!;
    const [lo, hi] = bands[words.length % bands.length]!;
    words.push(vocab[lo + Math.floor(random() * Math.min(hi - lo, vocab.length - lo))]!);
  }
  const phrases: string[] = [];
  while (phrases.length < perSet) {
    const s = c.samples[Math.floor(random() * c.samples.length)]!;
    const parts = /[\p{Script=Han}]/u.test(s) ? [...s.replace(/[。！？，\s]/gu, '')] : s.split(' ');
    if (parts.length < 3) continue;
    const len = 2 + Math.floor(random() * 2);
    const at = Math.floor(random() * (parts.length - len));
    const joiner = /[\p{Script=Han}]/u.test(s) ? '' : ' ';
    const phrase = parts.slice(at, at + len).join(joiner).replace(/[.!?؟:)]+$/u, '');
    if ([...phrase].length >= 4) phrases.push(`"${phrase}"`);
  }
  const prefixes = words.slice(0, Math.ceil(perSet / 2)).map((w) => `${[...w].slice(0, Math.max(2, [...w].length - 2)).join('')}*`);
  return { words, phrases, prefixes };
}
