import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '../../../core/errors.js';
import { DownloadMeta, MESSAGE_ID } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { toolError } from '../result.js';

/** Larger files are better fetched over REST than carried inside a tool result. */
export const MCP_MEDIA_MAX_BYTES = 16 * 1024 * 1024;

export function registerDownloadMediaTool(server: McpServer, { reading }: AppServices): void {
  server.registerTool(
    'whatsapp_download_media',
    {
      title: 'Download the file of a WhatsApp message',
      description:
        'Download the photo, video, voice note, audio or document of a message (has_media: true). Photos come back as image content, audio as audio content, anything else as an embedded resource; always with a summary (type, name, size). Files over 16 MiB: use GET /api/messages/{id}/media instead.',
      inputSchema: { message_id: MESSAGE_ID.describe('Id of a message with has_media: true') },
      outputSchema: DownloadMeta.shape,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    async ({ message_id }): Promise<CallToolResult> => {
      try {
        const file = await reading.downloadMedia(message_id);
        if (file.data.length > MCP_MEDIA_MAX_BYTES) {
          throw new AppError('PAYLOAD_TOO_LARGE', `The file is ${Math.round(file.data.length / 1024 / 1024)} MiB; download it with GET /api/messages/${message_id}/media instead.`);
        }
        const meta = { ok: true as const, message_id, mimetype: file.mimetype, filename: file.filename, size: file.data.length };
        const data = file.data.toString('base64');
        const kind = file.mimetype.split('/')[0];
        const payload =
          kind === 'image'
            ? { type: 'image' as const, data, mimeType: file.mimetype }
            : kind === 'audio'
              ? { type: 'audio' as const, data, mimeType: file.mimetype }
              : { type: 'resource' as const, resource: { uri: `whatsapp://messages/${encodeURIComponent(message_id)}/media`, mimeType: file.mimetype, blob: data } };
        return { content: [{ type: 'text', text: JSON.stringify(meta, null, 2) }, payload], structuredContent: meta };
      } catch (err) {
        return toolError(err);
      }
    },
  );
}
