import { z } from "zod";

const textPart = z.object({ type: z.literal("text"), text: z.string() });
const imagePart = z.object({
  type: z.literal("image_url"),
  image_url: z.union([z.string(), z.object({ url: z.string(), detail: z.string().optional() })]),
});
const contentSchema = z.union([z.string(), z.array(z.union([textPart, imagePart]))]).nullable();

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal("function").optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const messageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: contentSchema.optional(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
});

/** A client-side tool: `{type: "function", function: {name, description, parameters}}`. */
const toolSchema = z.looseObject({
  type: z.string(),
  function: z.looseObject({ name: z.string(), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }).optional(),
});

const toolChoiceSchema = z.union([
  z.string(),
  z.looseObject({ type: z.string(), function: z.object({ name: z.string() }).optional(), name: z.string().optional() }),
]);

/** The subset of OpenAI's chat-completions request we honour; unknown fields are accepted and ignored. */
export const chatRequestSchema = z.looseObject({
  model: z.string().optional(),
  messages: z.array(messageSchema).min(1, "messages must contain at least one message"),
  stream: z.boolean().optional().default(false),
  session_id: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, "session_id may only contain letters, digits, '_', '.', ':' and '-' (max 128)")
    .optional(),
  user: z.string().optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
});

export type ChatRequestBody = z.infer<typeof chatRequestSchema>;
export type ChatRequestMessage = z.infer<typeof messageSchema>;
