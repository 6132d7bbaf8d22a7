import type { MediaRef } from "./api.ts";
import { renderMarkdown } from "./markdown.ts";

export interface HistoryEntry {
  role: "user" | "assistant";
  text: string;
  media?: MediaRef[];
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

/**
 * The message list of the open chat. One assistant bubble is "live" while a turn streams: deltas append to
 * its text (re-rendered as Markdown at most once per frame), reasoning and tool calls go into its collapsible
 * timeline.
 */
export class ChatView {
  private live: { bubble: HTMLElement; body: HTMLElement; text: string; timeline: HTMLDetailsElement; steps: HTMLElement; tools: Map<string, HTMLElement>; reasoning: HTMLElement | null; started: number } | null = null;
  private pending = false;

  constructor(private readonly root: HTMLElement) {}

  get streaming(): boolean {
    return this.live !== null;
  }

  reset(history: HistoryEntry[]): void {
    this.root.replaceChildren();
    this.live = null;
    for (const entry of history) {
      if (entry.role === "user") this.addUser(entry.text, entry.media);
      else this.addAssistant(entry.text);
    }
  }

  addUser(text: string, media?: MediaRef[]): void {
    const bubble = el("div", "msg user");
    bubble.append(el("div", "body plain", text));
    for (const m of media ?? []) bubble.append(el("div", "media-chip", `[file] ${m.name ?? m.key.split("/").pop()}`));
    this.append(bubble);
  }

  addAssistant(text: string, className = ""): void {
    const bubble = el("div", `msg assistant ${className}`.trim());
    const body = el("div", "body md");
    body.innerHTML = renderMarkdown(text);
    bubble.append(body);
    this.append(bubble);
  }

  addError(text: string): void {
    this.append(el("div", "msg error", text));
  }

  delta(text: string): void {
    const live = this.ensureLive();
    live.text += text;
    // Markdown is re-rendered once per animation frame, not per delta, so long answers stay cheap.
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        if (this.live) this.live.body.innerHTML = renderMarkdown(this.live.text);
        this.scroll();
      });
    }
  }

  reasoning(text: string): void {
    const live = this.ensureLive();
    if (!live.reasoning) {
      live.reasoning = el("div", "step reasoning");
      live.steps.append(live.reasoning);
    }
    live.reasoning.textContent += text;
    this.updateSummary();
  }

  reasoningEnd(): void {
    if (this.live) this.live.reasoning = null;
  }

  toolStart(id: string, name: string, args: unknown): void {
    const live = this.ensureLive();
    const step = el("div", "step tool running");
    step.append(el("span", "tool-name", name), el("span", "tool-ms", "running…"), el("pre", "tool-args", JSON.stringify(args, null, 2)));
    live.tools.set(id, step);
    live.steps.append(step);
    this.updateSummary();
  }

  toolEnd(id: string, ms: number, isError: boolean): void {
    const step = this.live?.tools.get(id);
    if (!step) return;
    step.classList.remove("running");
    if (isError) step.classList.add("failed");
    step.querySelector(".tool-ms")!.textContent = `${ms} ms${isError ? " · error" : ""}`;
  }

  /** A whole answer that was not streamed (slash commands), or the end of a streamed one. */
  message(text: string): void {
    if (this.live && !this.live.text) {
      this.live.text = text;
      this.live.body.innerHTML = renderMarkdown(text);
    } else this.addAssistant(text, "note");
  }

  end(): void {
    if (!this.live) return;
    this.live.body.innerHTML = renderMarkdown(this.live.text);
    this.live.bubble.classList.remove("streaming");
    if (!this.live.steps.childElementCount) this.live.timeline.remove();
    this.live = null;
    this.scroll();
  }

  private ensureLive() {
    if (this.live) return this.live;
    const bubble = el("div", "msg assistant streaming");
    const timeline = el("details", "timeline") as HTMLDetailsElement;
    timeline.append(el("summary", "", "Thinking…"));
    const steps = el("div", "steps");
    timeline.append(steps);
    const body = el("div", "body md");
    bubble.append(timeline, body);
    this.append(bubble);
    this.live = { bubble, body, text: "", timeline, steps, tools: new Map(), reasoning: null, started: Date.now() };
    return this.live;
  }

  private updateSummary(): void {
    if (!this.live) return;
    const tools = this.live.tools.size;
    const seconds = ((Date.now() - this.live.started) / 1000).toFixed(1);
    this.live.timeline.querySelector("summary")!.textContent = `Thinking${tools ? ` · ${tools} tool${tools > 1 ? "s" : ""}` : ""} · ${seconds} s`;
  }

  private append(node: HTMLElement): void {
    this.root.append(node);
    this.scroll();
  }

  private scroll(): void {
    this.root.scrollTop = this.root.scrollHeight;
  }
}
