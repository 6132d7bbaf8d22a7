import { spawn, type ChildProcess } from "node:child_process";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { killTree } from "../kill-tree.ts";
import type { Launch } from "./sandboxed-launch.ts";

export interface StdioSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface StdioProcessOptions {
  /** The program, argv and environment as launchFor (sandboxed-launch.ts) built them. */
  launch: Launch;
  /** Run as this uid/gid (the runner is root in its container); undefined = the runner's own user. */
  uid?: number;
}

const STDERR_TAIL_BYTES = 2000;

/**
 * An MCP server's stdin/stdout as an SDK Transport. The SDK's own StdioClientTransport cannot drop privileges
 * or start a process group, so the child is spawned here and only the framing (ReadBuffer/serializeMessage)
 * comes from the SDK.
 */
export class StdioProcessTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  private child: ChildProcess | null = null;
  private readonly buffer = new ReadBuffer();
  private stderrTail = "";
  private closed = false;
  private readonly options: StdioProcessOptions;

  // No parameter properties: Node runs the runner's .ts files by stripping types, which cannot rewrite them.
  constructor(options: StdioProcessOptions) {
    this.options = options;
  }

  /** The last lines the server wrote to stderr: what a user needs when it fails to start. */
  get stderr(): string {
    return this.stderrTail.trim();
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    const { launch, uid } = this.options;
    return new Promise((resolve, reject) => {
      const child = spawn(launch.file, launch.args, {
        cwd: launch.cwd,
        // The runner's own variables (RUNNER_SECRET above all) never reach the server.
        env: launch.env,
        stdio: ["pipe", "pipe", "pipe"],
        detached: true, // its own process group, so closing kills everything it started
        ...(uid !== undefined ? { uid, gid: uid } : {}),
      });
      this.child = child;
      child.once("spawn", () => resolve());
      child.once("error", (err) => {
        if (this.closed) return;
        reject(err);
        this.onerror?.(err);
        this.finish();
      });
      child.once("exit", () => this.finish());
      child.stdout!.on("data", (chunk: Buffer) => {
        this.buffer.append(chunk);
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = this.buffer.readMessage();
          } catch (err) {
            this.onerror?.(err as Error);
            continue;
          }
          if (!message) break;
          this.onmessage?.(message);
        }
      });
      child.stderr!.on("data", (chunk: Buffer) => {
        this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL_BYTES);
      });
      child.stdin!.on("error", (err) => this.onerror?.(err));
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed) return Promise.reject(new Error("The MCP server process is not running."));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once("drain", () => resolve());
    });
  }

  async close(): Promise<void> {
    // Also after the leader exited: whatever it started may still hold the group.
    const pid = this.child?.pid;
    if (pid !== undefined) killTree(pid);
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer.clear();
    this.onclose?.();
  }
}
