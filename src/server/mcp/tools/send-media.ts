import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { MediaSendResult, SendControls, SendMediaInput } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { approveInClient } from '../approval.js';
import { mcpContext, runTool } from '../result.js';

export function registerSendMediaTool(server: McpServer, services: AppServices): void {
  server.registerTool(
    'whatsapp_send_media',
    {
      title: 'Send WhatsApp media',
      description:
        'Send photos (up to 10), videos (5), audio (5) or documents (5) to a phone number or group (exactly one). Each file is base64 in `data`, or an absolute `path` inside a folder the user allowed with WHATSAPP_MEDIA_DIRS (none by default). Options: caption (with the first photo/video/document), view_once (photos/videos), as_voice (audio as a voice note), as_gif (video), as_document (any file, original name kept), reply_to. Each file goes out as its own message; with a progressToken, a progress notification comes as each file is sent.',
      inputSchema: { ...SendMediaInput.shape, ...SendControls },
      outputSchema: MediaSendResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ idempotency_key, wait, ...input }, extra) =>
      runTool(async () => {
        const token = extra._meta?.progressToken;
        const ctx = {
          ...mcpContext(extra, { idempotency_key, wait }),
          // One notification per file as it goes out (or fails), when the client asked for them.
          ...(token !== undefined
            ? { progress: (progress: number, total: number, message: string) => void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total, message } }).catch(() => undefined) }
            : {}),
        };
        return approveInClient(server, services, ctx, await services.sending.media(ctx, input), extra);
      }),
  );
}
