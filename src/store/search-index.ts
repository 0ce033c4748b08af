import { wordsText } from './search-text.js';
import type { Db } from './sqlite.js';

/**
 * Keeps the two full-text indexes in step with `messages.body`. Called by the messages repo
 * inside the transaction that writes the row, so a crash leaves both or neither. The row's
 * `ord` is the indexes' rowid.
 */
export interface SearchIndexWriter {
  add(ord: number, body: string): void;
  remove(ord: number): void;
}

export function createSearchIndexWriter(db: Db): SearchIndexWriter {
  const addTrigram = db.prepare('INSERT INTO messages_trigram (rowid, body) VALUES (?, ?)');
  const addWords = db.prepare('INSERT INTO messages_words (rowid, body) VALUES (?, ?)');
  const removeTrigram = db.prepare('DELETE FROM messages_trigram WHERE rowid = ?');
  const removeWords = db.prepare('DELETE FROM messages_words WHERE rowid = ?');
  return {
    add(ord, body) {
      // An empty body (a photo without caption) has nothing to find.
      if (body.trim() === '') return;
      addTrigram.run(ord, body.normalize('NFC'));
      addWords.run(ord, wordsText(body));
    },
    remove(ord) {
      removeTrigram.run(ord);
      removeWords.run(ord);
    },
  };
}
