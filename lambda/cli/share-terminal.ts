import type { CliIo } from './cli-types';

/** Back to the start of the line, and erase it. */
export const CLEAR_LINE = '\r\x1b[K';

/**
 * A progress line redrawn on stdout and log lines on stderr share one terminal. Written as they
 * come, a log line would start in the middle of the progress line and leave its half behind. Here
 * every line printed while a progress line stands clears it first and draws it again after, so the
 * log (or a failure) scrolls up above an intact progress line.
 */
export function shareTerminal(io: CliIo): CliIo {
  const write = io.write;
  if (!io.isTTY || write === undefined) return io;
  /** What the progress line shows now: the text after the last \r or \n written. */
  let standing = '';
  const above =
    (print: (text: string) => void) =>
    (text: string): void => {
      if (standing === '') {
        print(text);
        return;
      }
      const line = standing;
      write(CLEAR_LINE);
      print(text);
      write(line);
    };
  return {
    ...io,
    stdout: above(io.stdout),
    stderr: above(io.stderr),
    write(text) {
      write(text);
      const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
      standing = lastBreak === -1 ? standing + text : text.slice(lastBreak + 1);
      if (standing === '\x1b[K') standing = '';
    },
  };
}
