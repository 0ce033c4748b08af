import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/**
 * Tool input schemas that say what the words say (issue 15): every tool's arguments are a
 * strict object (an unknown argument is refused, not silently dropped: a misspelt
 * "phone_numer" must not send to nobody or the wrong chat), and a tool that takes a
 * recipient declares "exactly one of phone_number / group_id" as a JSON Schema `oneOf`.
 * Applies to every tool registered on the session after it, like the other wrappers.
 */
export function strictInputs(server: McpServer): void {
  const register = server.registerTool.bind(server);
  server.registerTool = ((name: string, config: { inputSchema?: unknown }, callback: unknown) =>
    register(name, (config.inputSchema === undefined ? config : { ...config, inputSchema: strictSchema(config.inputSchema) }) as Parameters<typeof register>[1], callback as Parameters<typeof register>[2])) as McpServer['registerTool'];
}

/**
 * A raw shape as a strict object; an object schema made strict; anything else as it is. A
 * tool without arguments keeps none: the SDK calls such a tool's callback without them.
 */
export function strictSchema(input: unknown): unknown {
  if (input === undefined) return undefined;
  const shape = isRawShape(input) ? input : input instanceof z.ZodObject ? (input.shape as z.ZodRawShape) : null;
  if (!shape) return input;
  const strict = z.strictObject(shape);
  return 'phone_number' in shape && 'group_id' in shape ? strict.meta({ oneOf: [exactly('phone_number'), exactly('group_id')] }) : strict;
}

/** A oneOf branch "this field is given", as strict validators want it (its type and the property named). */
export const exactly = (field: string) => ({ type: 'object', properties: { [field]: {} }, required: [field] });

function isRawShape(v: unknown): v is z.ZodRawShape {
  return typeof v === 'object' && v !== null && !(v instanceof z.ZodType) && Object.values(v).every((s) => s instanceof z.ZodType);
}
