import { parseArgs } from 'node:util';
import { CLIENT_ID } from './core/client-keys-file.js';
import { ConfigError } from './core/config.js';

/** The entry's own flags, taken out before the bridge's configuration flags are read. */
export function entryFlags(argv: string[]): { client: string | null; newKey: boolean; rest: string[] } {
  const { values, tokens } = parseArgs({ args: argv, options: { client: { type: 'string' }, 'new-key': { type: 'boolean' } }, strict: false, tokens: true });
  const ours = new Set<number>();
  for (const t of tokens ?? []) {
    if (t.kind === 'option' && (t.name === 'client' || t.name === 'new-key')) {
      ours.add(t.index);
      if (t.name === 'client' && !t.inlineValue) ours.add(t.index + 1);
    }
  }
  const client = typeof values.client === 'string' ? values.client : null;
  if (client !== null && !CLIENT_ID.test(client)) throw new ConfigError(`--client must be a short name of lower-case letters, digits and dashes (e.g. cursor), not "${client}"`);
  return { client, newKey: values['new-key'] === true, rest: argv.filter((_, i) => !ours.has(i)) };
}

