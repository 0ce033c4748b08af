/** One running account: its id and what it runs with (its services; a new object when the account was re-created). */
export interface RunningAccount<T> {
  id: string;
  item: T;
}

/**
 * Keeps one subscription per running account while accounts are added and removed at run
 * time (issue 14): `sync` with the accounts that run now attaches each new one and detaches
 * each gone one (or re-created: its services changed). The desktop app follows every
 * account's approvals with it, for the tray's count and the notifications.
 */
export class AccountWatch<T> {
  private readonly attached = new Map<string, { item: T; detach: () => void }>();

  constructor(private readonly attach: (id: string, item: T) => () => void) {}

  sync(running: readonly RunningAccount<T>[]): void {
    const now = new Map(running.map((r) => [r.id, r.item]));
    for (const [id, a] of [...this.attached]) {
      if (now.get(id) === a.item) continue;
      this.attached.delete(id);
      a.detach();
    }
    for (const [id, item] of now) {
      if (!this.attached.has(id)) this.attached.set(id, { item, detach: this.attach(id, item) });
    }
  }

  /** The accounts followed now. */
  ids(): string[] {
    return [...this.attached.keys()];
  }

  stop(): void {
    this.sync([]);
  }
}
