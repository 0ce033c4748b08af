/**
 * The persistent Electron partition an account's WhatsApp Web lives in (its linked session's
 * storage): `persist:whatsapp` for the default account (`-demo` in demo mode, so the demo
 * never touches a real link), `persist:whatsapp-<id>` for another account. Account ids are
 * slugs (lower-case letters, digits, dashes), so they are safe in a partition name.
 */
export function accountPartition(demo: boolean, account: string | null = null): string {
  return `persist:whatsapp${demo ? '-demo' : ''}${account ? `-${account}` : ''}`;
}
