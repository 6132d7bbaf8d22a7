import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import type { InboundMessage, MediaRef } from "../session-protocol/inbound.ts";
import { TranscriptionError, transcribeAudio } from "./transcribe.ts";
import { workspacePathOf } from "../workspace/workspace-keys.ts";

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

export const isAudio = (ref: MediaRef) => ref.mimeType.toLowerCase().startsWith("audio/");

/** The path file tools use for a stored attachment (`workspaces/<id>/media/x` → `media/x`). */

/**
 * One note per audio attachment for the model: the transcript with the file's workspace path, or that it could
 * not be transcribed and why. Runs in the session's turn (not the webhook, which must answer within the
 * platform's few seconds); a failure never drops the message, the model is told instead.
 */
export async function transcribeAttachments(message: InboundMessage, env: Env, config: Config): Promise<string[]> {
  const notes: string[] = [];
  for (const ref of (message.media ?? []).filter(isAudio)) {
    const path = workspacePathOf(ref.key);
    const started = Date.now();
    try {
      const object = await env.WORKSPACE.get(ref.key);
      if (!object) throw new TranscriptionError("the file is no longer in storage");
      const text = await transcribeAudio({ bytes: new Uint8Array(await object.arrayBuffer()), mimeType: ref.mimeType, name: ref.name ?? path.split("/").pop() ?? "audio", durationS: ref.durationS }, config, env);
      notes.push(text ? `[Transcription of ${path}]\n${text}` : `[${path} was transcribed but contains no speech.]`);
      log({ event: "transcription", channel: message.channel, provider: config.transcription.provider, chars: text.length, ms: Date.now() - started });
    } catch (err) {
      const reason = err instanceof TranscriptionError ? err.message : "an unexpected error";
      notes.push(`[The audio ${path} could not be transcribed: ${reason}.]`);
      log({ event: "transcription_failed", channel: message.channel, provider: config.transcription.provider, error: String(err).slice(0, 200), ms: Date.now() - started });
    }
  }
  return notes;
}
