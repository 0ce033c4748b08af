import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where a running bridge says how to reach it, for programs of the same user (the stdio MCP entry). */
export const RUNTIME_FILE = 'bridge.json';

export interface RuntimeInfo {
  /** e.g. http://127.0.0.1:8790 */
  url: string;
  pid: number;
  /** The credential: the file is the owner's only (0600 in a 0700 data dir), like api-token. */
  token: string;
}

export function writeRuntimeInfo(dataDir: string, info: RuntimeInfo): void {
  writeFileSync(path.join(dataDir, RUNTIME_FILE), `${JSON.stringify(info)}\n`, { mode: 0o600 });
}

/** Removes the file only if it is still this process's (a newer bridge may have replaced it). */
export function removeRuntimeInfo(dataDir: string, pid = process.pid): void {
  if (readRuntimeInfo(dataDir)?.pid === pid) rmSync(path.join(dataDir, RUNTIME_FILE), { force: true });
}

/** The running bridge's address and credential, or null when none is running (or the file is stale). */
export function readRuntimeInfo(dataDir: string): RuntimeInfo | null {
  let info: Partial<RuntimeInfo>;
  try {
    info = JSON.parse(readFileSync(path.join(dataDir, RUNTIME_FILE), 'utf8')) as Partial<RuntimeInfo>;
  } catch {
    return null;
  }
  if (typeof info.url !== 'string' || typeof info.pid !== 'number' || typeof info.token !== 'string') return null;
  return isAlive(info.pid) ? (info as RuntimeInfo) : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
