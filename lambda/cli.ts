import { runCli } from './cli/run-cli';

// The CLI entry: everything else is in runCli, which tests call directly.
runCli(process.argv.slice(2), {
  env: process.env,
  io: {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    isTTY: process.stdout.isTTY === true,
    write: (text) => process.stdout.write(text),
    columns: () => process.stdout.columns,
  },
}).then((code) => {
  process.exitCode = code;
});
