/** A one-line spinner on stderr while waiting for the first reply text; does nothing unless stderr is a TTY. */
export interface Spinner {
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function startSpinner(label: string, stream: NodeJS.WriteStream = process.stderr): Spinner {
  if (!stream.isTTY) return { stop() {} };
  let frame = 0;
  const draw = () => stream.write(`\r\x1b[2K\x1b[36m${FRAMES[frame++ % FRAMES.length]}\x1b[39m ${label}`);
  draw();
  const timer = setInterval(draw, 80);
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write("\r\x1b[2K");
    },
  };
}
