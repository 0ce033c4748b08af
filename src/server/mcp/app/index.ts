import { getUiCapability, registerAppResource, RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '../../../app/context.js';
import type { Linking } from '../../../app/linking.js';
import { callerOf, type ToolExtra } from '../caller.js';
import { toolAllowed } from '../gate.js';
import { LINK_VIEW, QR_META_KEY, SEND_PREVIEW_VIEW, viewHtml, type ViewName } from './views.js';

export { LINK_VIEW, QR_META_KEY, SEND_PREVIEW_VIEW } from './views.js';

/** `_meta` of a tool the client shows with a view (clients without the extension ignore it). */
export const viewMeta = (uri: string) => ({ ui: { resourceUri: uri } });

const VIEWS: readonly { name: ViewName; uri: string; tools: readonly string[]; title: string; description: string }[] = [
  {
    name: 'link',
    tools: ['whatsapp_status', 'whatsapp_start_auth'],
    uri: LINK_VIEW,
    title: 'Link WhatsApp',
    description: 'Where linking stands, the live QR code and the pairing-code form (shown with whatsapp_status and whatsapp_start_auth)',
  },
  {
    name: 'send-preview',
    tools: ['whatsapp_get_send_status'],
    uri: SEND_PREVIEW_VIEW,
    title: 'WhatsApp message',
    description: 'A send as the outbox holds it: recipient, text, files, status, and where a person approves it (shown with whatsapp_get_send_status)',
  },
];

/**
 * The MCP App views as `ui://` resources, each for a session that has a tool showing it. They
 * hold markup and code, no data (that comes with the tool results), so no scope of their own.
 */
export function registerAppViews(server: McpServer, client: Client): void {
  for (const view of VIEWS) {
    if (!view.tools.some((tool) => toolAllowed(client, tool))) continue;
    const meta = { ui: { csp: {}, prefersBorder: true } };
    registerAppResource(server, view.title, view.uri, { description: view.description, _meta: meta }, async () => ({
      contents: [{ uri: view.uri, mimeType: RESOURCE_MIME_TYPE, text: viewHtml(view.name), _meta: meta }],
    }));
  }
}

/** Whether this session's client declared that it shows MCP App views. */
export function clientShowsViews(server: McpServer): boolean {
  return getUiCapability(server.server.getClientCapabilities())?.mimeTypes?.includes(RESOURCE_MIME_TYPE) ?? false;
}

/**
 * A status result with the pending QR code for the link view: only for a client that shows
 * views, only for a caller who may link (the code links a phone to this bridge), only while
 * one is waiting. Everything else is returned as it came.
 */
export async function withQrForView(server: McpServer, linking: Linking, extra: ToolExtra, result: CallToolResult): Promise<CallToolResult> {
  if (result.isError || !clientShowsViews(server)) return result;
  const caller = callerOf(extra);
  if (!caller || !toolAllowed(caller.client, 'whatsapp_start_auth')) return result;
  const dataUrl = await linking.qrImage();
  return dataUrl ? { ...result, _meta: { ...result._meta, [QR_META_KEY]: { data_url: dataUrl } } } : result;
}
