/**
 * Chat texts for the search benchmark: deterministic (seeded), in several languages and
 * scripts, with words drawn by a Zipf law from a vocabulary with a long tail, so that
 * posting lists have the skew of real chats (a few words in a third of all messages,
 * most words rare) rather than the flat spread of random strings.
 */

/** mulberry32: small, fast and good enough to make the corpus reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Language {
  name: string;
  share: number;
  /** Real frequent words, most frequent first. */
  common: string[];
  /** Syllables for the long tail of made-up but plausible words. */
  syllables: string[];
  /** How words are joined: Chinese writes no spaces. */
  joiner: string;
  end: string[];
}

const w = (s: string) => s.split(' ');

const LANGUAGES: Language[] = [
  {
    name: 'en',
    share: 0.38,
    common: w('the to you i a and is it in of for that on me my be we have are do this at not with so can just what be will your all ok if no get know but see now was going meeting tomorrow today tonight later call send thanks please good time home work here there back need want think love coming sure yes lunch dinner party office train late morning photo address price week weekend happy birthday sorry great'),
    syllables: w('ba be bi bo ca co da de di do fa fe ga go ha he la le li lo ma me mi mo na ne no pa pe po ra re ri ro sa se si so ta te ti to va ve wa we'),
    joiner: ' ',
    end: ['', '', '.', '!', '?', ' :)'],
  },
  {
    name: 'es',
    share: 0.14,
    common: w('que de no a la el es y en lo un por me una te los se con para mi está si bien pero ya como todo hola gracias mañana hoy noche casa trabajo tiempo quieres vamos nos vemos luego bueno claro dónde cuándo reunión fiesta cena comida foto precio semana feliz cumpleaños perdón'),
    syllables: w('ba ca cha da de do fa ga ja la le lla lo ma me mo na ne ni ño pa pe que ra re rro sa se ta te to va za'),
    joiner: ' ',
    end: ['', '.', '!', '?'],
  },
  {
    name: 'pt',
    share: 0.1,
    common: w('não que de o a é e um para com você eu se os uma mas está isso bom dia obrigado amanhã hoje noite casa trabalho tempo vamos tudo bem onde quando reunião festa jantar foto preço semana feliz aniversário desculpa'),
    syllables: w('ba ça da de do fa ga lha lo ma mo na nho pa pe qua ra re rio sa são ta te to va xa'),
    joiner: ' ',
    end: ['', '.', '!', '?'],
  },
  {
    name: 'de',
    share: 0.08,
    common: w('ich du das ist nicht und die der es zu ja wir mit auf was hast bin morgen heute abend zuhause arbeit zeit treffen besprechung essen foto preis woche wochenende geburtstag danke bitte gut später gleich'),
    syllables: w('ba be ber chen da de ein en ge hau ke lan lich mann mer nach pf schaft stra te ung ver zeit zug'),
    joiner: ' ',
    end: ['', '.', '!', '?'],
  },
  {
    name: 'ar',
    share: 0.1,
    common: w('في من على أنا أنت هذا ما لا نعم مرحبا شكرا غدا اليوم الليلة البيت العمل الوقت الاجتماع العشاء الصورة السعر الأسبوع عيد ميلاد سعيد آسف إن شاء الله الحمد لله حبيبي متى أين كيف'),
    syllables: w('با تا ثا جا حا خا دا را زا سا شا صا طا عا غا فا قا كا لا ما نا ها وا يا ال مت كت'),
    joiner: ' ',
    end: ['', '.', '!', '؟'],
  },
  {
    name: 'zh',
    share: 0.12,
    common: w('我们 你 我 是 的 了 不 在 有 明天 今天 晚上 开会 吃饭 工作 时间 回家 谢谢 好的 没问题 照片 价格 周末 生日 快乐 对不起 什么 哪里 时候 朋友 公司 电话 已经 一起 知道 可以'),
    syllables: w('安 白 北 长 成 大 东 方 高 国 海 和 华 家 金 京 开 来 里 美 明 南 年 平 山 上 生 天 文 西 小 新 学 阳 月 中'),
    joiner: '',
    end: ['', '。', '！', '？', '，'],
  },
  {
    name: 'ru',
    share: 0.08,
    common: w('я ты не что это да нет и в на с мы привет спасибо завтра сегодня вечером дома работа время встреча ужин фото цена неделя день рождения извини хорошо потом где когда'),
    syllables: w('ба ва га да же за ка ла ма на па ра са та фа ха ча ша ко ло но ро со ки ли'),
    joiner: ' ',
    end: ['', '.', '!', '?'],
  },
];

const EMOJI = ['😂', '❤️', '👍', '🙏', '😊', '🎉', '😍', '🔥', '😭', '👋'];
const NAMES = w('Alice Bob Carlos Dana Emma Farid Giulia Hannah Ivan Jana Kenji Lina Mateo Nadia Omar Priya');
const TAIL_WORDS = 4_000;
const ZIPF = 1.07;

interface Vocabulary {
  lang: Language;
  words: string[];
  cumulative: Float64Array;
}

function vocabulary(lang: Language, random: () => number): Vocabulary {
  const words = [...lang.common];
  const seen = new Set(words);
  while (words.length < lang.common.length + TAIL_WORDS) {
    // Chinese tail words are two or three characters; others two to four syllables.
    const parts = lang.name === 'zh' ? 2 + Math.floor(random() * 2) : 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < parts; i++) word += lang.syllables[Math.floor(random() * lang.syllables.length)]!;
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  const cumulative = new Float64Array(words.length);
  let sum = 0;
  for (let r = 0; r < words.length; r++) cumulative[r] = sum += 1 / (r + 1) ** ZIPF;
  for (let r = 0; r < words.length; r++) cumulative[r]! /= sum;
  return { lang, words, cumulative };
}

function pick(v: Vocabulary, random: () => number): string {
  const x = random();
  let lo = 0;
  let hi = v.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v.cumulative[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return v.words[lo]!;
}

export interface TextGenerator {
  /** The next message text. */
  next(): string;
  /** Words of each language by frequency rank (0 = most frequent), for picking queries. */
  vocabulary: ReadonlyMap<string, readonly string[]>;
}

export function textGenerator(seed: number): TextGenerator {
  const random = rng(seed);
  const vocabs = LANGUAGES.map((l) => vocabulary(l, random));
  const shares = LANGUAGES.map((l) => l.share);
  return {
    vocabulary: new Map(vocabs.map((v) => [v.lang.name, v.words])),
    next() {
      let x = random();
      let i = 0;
      while (i < shares.length - 1 && x >= shares[i]!) x -= shares[i++]!;
      const v = vocabs[i]!;
      // Mostly short messages, some long ones, as in chats.
      const n = random() < 0.8 ? 2 + Math.floor(random() * 9) : 10 + Math.floor(random() * 30);
      const words: string[] = [];
      for (let k = 0; k < n; k++) words.push(pick(v, random));
      if (random() < 0.08) words.splice(Math.floor(random() * words.length), 0, NAMES[Math.floor(random() * NAMES.length)]!);
      if (random() < 0.05) words.push(`${1 + Math.floor(random() * 12)}:${random() < 0.5 ? '00' : '30'}`);
      let text = words.join(v.lang.joiner) + v.lang.end[Math.floor(random() * v.lang.end.length)]!;
      if (random() < 0.15) text += ` ${EMOJI[Math.floor(random() * EMOJI.length)]!}`;
      return text;
    },
  };
}
