import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import type { TurnRequest } from "../session-protocol/inbound.ts";
import type { ChannelAdapter } from "./types.ts";

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

/**
 * Downloads the files a message only named (`request.files`) into R2 and returns the request with them as
 * media. Runs in the session's alarm, before the turn. A file that cannot be fetched does not lose the
 * message: the model is told it is missing.
 */
export async function downloadPendingFiles(env: Env, config: Config, request: TurnRequest, channels: readonly ChannelAdapter[]): Promise<TurnRequest> {
  const { files, ...rest } = request;
  if (!files?.length) return request;
  const { message } = request;
  const adapter = channels.find((c) => c.name === message.channel);
  try {
    if (!adapter?.downloadFiles) throw new Error(`channel ${message.channel} cannot download files`);
    const refs = await adapter.downloadFiles({ env, config, files, workspaceId: request.workspaceId });
    return { ...rest, message: { ...message, media: [...(message.media ?? []), ...refs] } };
  } catch (err) {
    log({ event: "channel_file_failed", channel: message.channel, chat: message.chatId, error: String(err).slice(0, 200) });
    const note = `[The user attached ${files.length} file(s) that could not be downloaded.]`;
    return { ...rest, message: { ...message, text: `${message.text}\n\n${note}`.trim() } };
  }
}
