/**
 * What a caller can do next after an error, as an identifier: the layers below the
 * transports know the step, not its address. Each transport words it in its own terms
 * (a REST route, an MCP tool, a button in the window).
 */
export const NEXT_STEPS = ['start_auth', 'link', 'status', 'list_chats', 'list_groups', 'chat_messages', 'outbox'] as const;
export type NextStep = (typeof NEXT_STEPS)[number];
