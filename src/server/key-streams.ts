import type { ServerResponse } from 'node:http';

/**
 * The responses each client key has open, so that revoking a key ends its streams at once
 * (SSE, MCP event streams) instead of when they next write. A request still being answered
 * (its headers not yet sent, like the revoking request itself) finishes: it was let in
 * before the key was revoked.
 */
export class KeyStreams {
  private readonly open = new Map<string, Set<ServerResponse>>();

  track(keyId: string, res: ServerResponse): void {
    let set = this.open.get(keyId);
    if (!set) this.open.set(keyId, (set = new Set()));
    set.add(res);
    res.once('close', () => {
      set.delete(res);
      if (set.size === 0 && this.open.get(keyId) === set) this.open.delete(keyId);
    });
  }

  /** Ends the key's streams; how many. */
  close(keyId: string): number {
    let closed = 0;
    for (const res of this.open.get(keyId) ?? []) {
      if (res.headersSent && !res.writableEnded) {
        res.end();
        closed++;
      }
    }
    return closed;
  }
}
