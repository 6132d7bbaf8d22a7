import { z } from "zod";
import { generateImages } from "../media/image-provider.ts";
import { ToolError, defineTool } from "./types.ts";
import { workspaceKey, workspacePathOf } from "../workspace/workspace-keys.ts";

/** nanobot's max_images_per_turn: generated images are slow and paid for; a loop must not run up a bill. */
const MAX_IMAGES_PER_TURN = 4;
const EXTENSIONS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif" };

/**
 * `generate_image(prompt, reference_images?, aspect_ratio?, image_size?, count?)` (nanobot's name and
 * parameters): images are saved under `generated/` in the workspace and sent to the user with the reply
 * (Telegram photo, Slack file, inline in the WebUI/API). On when `tools.imageGeneration.enabled`.
 */
export const generateImageTool = defineTool({
  name: "generate_image",
  description:
    "Generate or edit images. They are saved in the workspace (generated/) and sent to the user with your reply. For edits, pass earlier generated paths or the user's image paths as reference_images.",
  parameters: z.object({
    prompt: z.string().min(1).describe("Detailed image prompt: subject, style, composition, colors, constraints."),
    reference_images: z.array(z.string().min(1)).max(4).optional().describe("Workspace paths of images to edit from (earlier generated/ files or the user's media/ files)."),
    aspect_ratio: z.string().optional().describe("Output aspect ratio, e.g. 1:1, 16:9, 9:16, 4:3."),
    image_size: z.string().optional().describe("Size hint the provider supports, e.g. 1K, 2K or 1024x1024."),
    count: z.number().int().min(1).max(MAX_IMAGES_PER_TURN).optional().describe("Number of images (default 1)."),
  }),
  async execute(args, ctx) {
    const outbox = ctx.outbox ?? [];
    const count = args.count ?? 1;
    const generatedSoFar = outbox.filter((m) => m.key.includes("/generated/")).length;
    if (generatedSoFar + count > MAX_IMAGES_PER_TURN) throw new ToolError(`at most ${MAX_IMAGES_PER_TURN} images per turn; ${generatedSoFar} already generated.`);
    const references = [];
    for (const raw of args.reference_images ?? []) {
      // Attachments are listed by their storage key (`workspaces/<id>/media/…`); file tools take `media/…`.
      const path = raw.startsWith(workspaceKey(ctx.workspace.id, "")) ? workspacePathOf(raw) : raw;
      const file = await ctx.workspace.readFile(path);
      if (!file) throw new ToolError(`reference image not found: ${raw}`);
      const mimeType = file.contentType ?? "image/png";
      if (!mimeType.startsWith("image/")) throw new ToolError(`reference ${raw} is not an image (${mimeType}).`);
      references.push({ bytes: new Uint8Array(file.body), mimeType, name: path.split("/").pop() ?? "image.png" });
    }
    const images = await generateImages({ prompt: args.prompt, count, aspectRatio: args.aspect_ratio, imageSize: args.image_size, references }, ctx.config, ctx.env, ctx.signal);
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
    const id = crypto.randomUUID().slice(0, 6);
    const paths: string[] = [];
    for (const [i, image] of images.entries()) {
      const path = `generated/${stamp}-${id}${images.length > 1 ? `-${i + 1}` : ""}.${EXTENSIONS[image.mimeType] ?? "png"}`;
      await ctx.workspace.writeFile(path, image.bytes, image.mimeType);
      outbox.push({ key: workspaceKey(ctx.workspace.id, path), mimeType: image.mimeType, name: path.split("/").pop() });
      paths.push(path);
    }
    ctx.emit({ event: "image_generated", detail: `${paths.length} image(s)` });
    // Stateless API turns have no outbox: nothing would carry the image to the caller.
    const delivery = ctx.outbox ? "They will be sent to the user with your reply." : "This conversation cannot show images; tell the user the paths.";
    return `Generated ${paths.length} image(s): ${paths.join(", ")}. ${delivery}`;
  },
});
