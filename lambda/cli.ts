import { createInterface } from 'node:readline/promises';
import { runCli } from './cli/run-cli';

/** y/yes (any case) is yes; anything else, or end of input, is no. */
async function confirm(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}

// The AWS SDK warns on every process about Node versions it will stop supporting: noise to an
// operator running a command (the package's `engines` is the support statement). Left as set if set.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// The CLI entry: everything else is in runCli, which tests call directly.
runCli(process.argv.slice(2), {
  env: process.env,
  io: {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    isTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    write: (text) => process.stdout.write(text),
    columns: () => process.stdout.columns,
  },
  ...(process.stdin.isTTY ? { confirm } : {}),
}).then((code) => {
  process.exitCode = code;
});
