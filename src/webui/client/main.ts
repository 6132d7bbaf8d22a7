import { apiKey, AuthError, fetchPresets, setApiKey, uploadFile, type MediaRef } from "./api.ts";
import { ChatView, type HistoryEntry } from "./chat-view.ts";
import { Connection, type ServerEvent } from "./connection.ts";
import { renderSettings } from "./settings-view.ts";

interface ChatSummary {
  chat_id: string;
  title: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const loginForm = $<HTMLFormElement>("login");
const appRoot = $("app");
const input = $<HTMLTextAreaElement>("input");
const stopButton = $<HTMLButtonElement>("stop");
const chatList = $<HTMLUListElement>("chat-list");
const messagesRoot = $("messages");
const settingsRoot = $("settings");
const view = new ChatView(messagesRoot);

let chats: ChatSummary[] = [];
let current: string | null = null;
let attachments: MediaRef[] = [];
const busy = new Set<string>();

const connection = new Connection({
  onEvent: handleEvent,
  onStatus: (status) => {
    $("status").textContent = status === "online" ? "" : status === "connecting" ? "connecting…" : "offline";
    document.body.dataset.connection = status;
  },
  onAuthError: (message) => showLogin(message),
});

/** Frames are nanobot's (keyed `event`); `chats` and `history` are this server's additions. */
function handleEvent(event: ServerEvent): void {
  if (event.event === "ready") {
    renderChatList((chats = event.chats ?? []));
    // Re-open the chat the user had open before a reconnect if it still exists, else the newest; with no
    // chats yet, start one (ready's own default chat is only stored once a message uses it).
    const reopen = current && chats.some((c) => c.chat_id === current) ? current : (chats[0]?.chat_id ?? null);
    current = reopen;
    attach(reopen);
    return;
  }
  if (event.event === "session_updated") {
    chats = event.chats;
    renderChatList(chats);
    if (current && !chats.some((c) => c.chat_id === current)) attach(chats[0]?.chat_id ?? null);
    return;
  }
  if (event.event === "attached") {
    current = event.chat_id!;
    showChat();
    view.reset(event.history as HistoryEntry[]);
    renderChatList(chats);
    updateBusy();
    return;
  }
  // A slash command's own turn_end (e.g. /stop's) must not end the answer it interrupted.
  const commandEnd = event.event === "turn_end" && event.stop_reason === "command";
  if (event.event === "turn_end" && event.chat_id && !commandEnd) busy.delete(event.chat_id);
  if (event.event === "goal_status" && event.chat_id) event.status === "running" ? busy.add(event.chat_id) : busy.delete(event.chat_id);
  if (event.event === "delta" && event.chat_id) busy.add(event.chat_id);
  updateBusy();
  if (event.chat_id !== current) return;
  switch (event.event) {
    case "user_message":
      view.addUser(event.text, event.media);
      busy.add(event.chat_id!);
      updateBusy();
      break;
    case "delta":
      view.delta(event.text);
      break;
    case "reasoning_delta":
      view.reasoning(event.text);
      break;
    case "reasoning_end":
      view.reasoningEnd();
      break;
    case "message":
      // nanobot's tool progress: `tool_hint` carries the calls as they start, `progress` their ends.
      for (const tool of event.tool_events ?? []) {
        if (tool.phase === "start") view.toolStart(tool.call_id, tool.name, tool.arguments);
        else view.toolEnd(tool.call_id, tool.duration_ms ?? 0, tool.phase === "error");
      }
      if (!event.kind) view.message(event.text);
      break;
    case "stream_end":
      // `resuming`: a tool call split the answer; the same answer continues after it.
      if (!event.resuming) view.end();
      break;
    case "turn_end":
      if (!commandEnd) view.end();
      break;
    case "error":
      view.addError(event.detail);
      break;
  }
}

function attach(chatId: string | null): void {
  if (!chatId) return connection.send({ type: "new_chat" });
  connection.send({ type: "attach", chat_id: chatId });
}

function renderChatList(list: ChatSummary[]): void {
  chatList.replaceChildren(
    ...list.map((chat) => {
      const li = document.createElement("li");
      li.className = chat.chat_id === current ? "active" : "";
      li.dataset.chatId = chat.chat_id;
      const open = document.createElement("button");
      open.className = "chat-open";
      open.textContent = chat.title;
      open.onclick = () => {
        attach(chat.chat_id);
        document.body.classList.remove("sidebar-open");
      };
      const rename = document.createElement("button");
      rename.className = "icon";
      rename.title = "Rename";
      rename.textContent = "✎";
      rename.onclick = () => {
        const title = prompt("Rename chat", chat.title)?.trim();
        if (title) connection.send({ type: "rename_chat", chat_id: chat.chat_id, title });
      };
      const remove = document.createElement("button");
      remove.className = "icon";
      remove.title = "Delete";
      remove.textContent = "×";
      remove.onclick = () => confirm(`Delete “${chat.title}”?`) && connection.send({ type: "delete_chat", chat_id: chat.chat_id });
      li.append(open, rename, remove);
      return li;
    }),
  );
  $("chat-title").textContent = list.find((c) => c.chat_id === current)?.title ?? "nanobot";
}

function updateBusy(): void {
  const running = current !== null && busy.has(current);
  stopButton.hidden = !running;
}

function send(): void {
  const text = input.value;
  if (!text.trim() && !attachments.length) return;
  if (!current) return;
  // `webui` + `turn_id` as nanobot's WebUI sends them: the server acknowledges with message_accepted and
  // mirrors the message to the chat's other tabs as user_message.
  const turnId = `t-${crypto.randomUUID().slice(0, 8)}`;
  connection.send({ type: "message", chat_id: current, content: text, webui: true, turn_id: turnId, ...(attachments.length ? { media: attachments } : {}) });
  view.addUser(text, attachments);
  if (!text.trim().startsWith("/")) busy.add(current);
  updateBusy();
  input.value = "";
  attachments = [];
  $("attachments").replaceChildren();
  autosize();
}

function autosize(): void {
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight, 240)}px`;
}

function showChat(): void {
  settingsRoot.hidden = true;
  messagesRoot.hidden = false;
  $("composer").hidden = false;
}

function showLogin(message = ""): void {
  connection.close();
  appRoot.hidden = true;
  loginForm.hidden = false;
  $("login-error").textContent = message;
  $<HTMLInputElement>("api-key").focus();
}

async function start(): Promise<void> {
  loginForm.hidden = true;
  appRoot.hidden = false;
  await connection.open();
  fetchPresets()
    .then((presets) => {
      const select = $<HTMLSelectElement>("preset");
      select.replaceChildren(...presets.map((p) => Object.assign(document.createElement("option"), { value: p, textContent: p })));
    })
    .catch((err) => err instanceof AuthError && showLogin(err.message));
}

function bind(): void {
  loginForm.onsubmit = (e) => {
    e.preventDefault();
    setApiKey($<HTMLInputElement>("api-key").value.trim());
    void start();
  };
  $("composer").onsubmit = (e) => {
    e.preventDefault();
    send();
  };
  // Keyboard first: Enter sends, Shift+Enter is a new line, Escape stops a running answer.
  input.onkeydown = (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === "Escape" && !stopButton.hidden) stopButton.click();
  };
  input.oninput = autosize;
  stopButton.onclick = () => current && connection.send({ type: "message", chat_id: current, content: "/stop" });
  $("new-chat").onclick = () => connection.send({ type: "new_chat" });
  $<HTMLSelectElement>("preset").onchange = (e) => current && connection.send({ type: "message", chat_id: current, content: `/model ${(e.target as HTMLSelectElement).value}` });
  $("open-settings").onclick = () => {
    messagesRoot.hidden = true;
    $("composer").hidden = true;
    settingsRoot.hidden = false;
    document.body.classList.remove("sidebar-open");
    void renderSettings(settingsRoot);
  };
  $("toggle-sidebar").onclick = () => document.body.classList.toggle("sidebar-open");
  $("theme").onclick = () => {
    const root = document.documentElement;
    const dark = root.dataset.theme === "dark" || (root.dataset.theme !== "light" && matchMedia("(prefers-color-scheme: dark)").matches);
    root.dataset.theme = dark ? "light" : "dark";
    localStorage.setItem("nanobot.theme", root.dataset.theme);
  };
  $("logout").onclick = () => {
    setApiKey(null);
    showLogin();
  };
  $<HTMLInputElement>("file").onchange = async (e) => {
    const files = [...((e.target as HTMLInputElement).files ?? [])];
    (e.target as HTMLInputElement).value = "";
    for (const file of files) {
      const chip = Object.assign(document.createElement("span"), { className: "chip", textContent: `uploading ${file.name}…` });
      $("attachments").append(chip);
      try {
        const ref = await uploadFile(file);
        attachments.push(ref);
        chip.textContent = `[file] ${file.name}`;
        chip.dataset.key = ref.key;
      } catch (err) {
        chip.textContent = `failed ${file.name}: ${(err as Error).message}`;
        chip.classList.add("failed");
      }
    }
  };
}

const theme = localStorage.getItem("nanobot.theme");
if (theme) document.documentElement.dataset.theme = theme;
bind();
if (apiKey()) void start();
else showLogin();
