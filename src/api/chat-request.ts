import { z } from "zod";

const textPart = z.object({ type: z.literal("text"), text: z.string() });
const imagePart = z.object({
  type: z.literal("image_url"),
  image_url: z.union([z.string(), z.object({ url: z.string(), detail: z.string().optional() })]),
});
const contentSchema = z.union([z.string(), z.array(z.union([textPart, imagePart]))]).nullable();

const messageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: contentSchema.optional(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
});

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
});

export type ChatRequestBody = z.infer<typeof chatRequestSchema>;
export type ChatRequestMessage = z.infer<typeof messageSchema>;
