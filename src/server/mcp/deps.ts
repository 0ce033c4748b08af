import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AppServices } from '../../app/index.js';

/** What a session's server knows about the bridge: its version, and its address as this client reaches it. */
export interface BridgeInfo {
  version: string;
  /** e.g. http://127.0.0.1:8790 */
  url: string;
}

/** One tool per file: `registerXTool(server, services, bridge)`; the tools import this, not the server. */
export type ToolRegistrar = (server: McpServer, services: AppServices, bridge: BridgeInfo) => void;
