import { z } from "zod";

const textPart = z.looseObject({ type: z.enum(["input_text", "output_text", "text"]), text: z.string() });
const imagePart = z.looseObject({ type: z.literal("input_image"), image_url: z.string().optional(), file_id: z.string().optional() });
const otherPart = z.looseObject({ type: z.string() });

const messageItem = z.looseObject({
  type: z.literal("message").optional(),
  role: z.enum(["user", "system", "developer", "assistant"]),
  content: z.union([z.string(), z.array(z.union([textPart, imagePart, otherPart]))]),
  id: z.string().optional(),
});
const functionCallItem = z.looseObject({
  type: z.literal("function_call"),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string(),
  id: z.string().optional(),
});
const functionCallOutputItem = z.looseObject({
  type: z.literal("function_call_output"),
  call_id: z.string(),
  output: z.union([z.string(), z.array(z.union([textPart, otherPart]))]),
});
const itemReference = z.looseObject({ type: z.literal("item_reference"), id: z.string() });
/** Reasoning items carry encrypted provider state this gateway does not keep; they are accepted and skipped. */
const reasoningItem = z.looseObject({ type: z.literal("reasoning") });

export const inputItemSchema = z.union([messageItem, functionCallItem, functionCallOutputItem, itemReference, reasoningItem]);

const toolSchema = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  description: z.string().nullish().transform((d) => d ?? undefined),
  parameters: z.record(z.string(), z.unknown()).nullish().transform((p) => p ?? undefined),
});

/** The subset of OpenAI's Responses API request we honour; unknown fields are accepted and ignored. */
export const responsesRequestSchema = z.looseObject({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(inputItemSchema).min(1, "input must contain at least one item")]),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().nullish(),
  tools: z.array(toolSchema).nullish(),
  tool_choice: z.union([z.string(), z.looseObject({ type: z.string(), name: z.string().optional() })]).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
export type InputItem = z.infer<typeof inputItemSchema>;
