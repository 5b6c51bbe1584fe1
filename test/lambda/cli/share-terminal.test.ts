import { describe, expect, it } from 'vitest';
import { CLEAR_LINE, shareTerminal } from '../../../lambda/cli/share-terminal';

/** One terminal: stdout and stderr land in the same stream, in order. */
function terminal() {
  let screen = '';
  const io = shareTerminal({
    stdout: (text) => {
      screen += `${text}\n`;
    },
    stderr: (text) => {
      screen += `${text}\n`;
    },
    isTTY: true,
    write: (text) => {
      screen += text;
    },
  });
  /** What the terminal shows: each \r (and CLEAR_LINE) erases the line it is on. */
  const shown = () =>
    screen
      .split('\n')
      .map((line) => line.split('\r').at(-1)?.replace('\x1b[K', '') ?? '')
      .join('\n');
  return { io, shown };
}

describe('shareTerminal', () => {
  it('prints a log line above the progress line and draws the progress line again below it', () => {
    // Prepare
    const { io, shown } = terminal();
    io.write?.(`${CLEAR_LINE}[███░░░] 1/2 days`);
    // Act
    io.stderr('{"level":"WARN","message":"slow response"}');
    io.write?.(`${CLEAR_LINE}[██████] 2/2 days`);
    io.write?.('\n');
    io.stdout('Done.');
    // Assess
    expect(shown()).toBe('{"level":"WARN","message":"slow response"}\n[██████] 2/2 days\nDone.\n');
  });

  it('writes lines as they come when no progress line stands', () => {
    const { io, shown } = terminal();
    io.stderr('one');
    io.stdout('two');
    expect(shown()).toBe('one\ntwo\n');
  });
});
