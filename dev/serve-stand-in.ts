import { INCIDENT_FORM, parseServeArgs, ServeUsageError, serveStandIn } from './stand-in/serve';

/** `npm run stand-in [-- --incident "transfer 08:00-14:00"] [--zone Z] [--port N] [--archive DIR]`. */
async function main(): Promise<number> {
  let options: ReturnType<typeof parseServeArgs>;
  try {
    options = parseServeArgs(process.argv.slice(2), process.env, new Date());
  } catch (error) {
    if (!(error instanceof ServeUsageError)) throw error;
    process.stderr.write(
      `${error.message}\n\nUsage: npm run stand-in -- [--incident ${INCIDENT_FORM}]… [--zone IANA-zone] [--port N] [--archive DIR]\n`,
    );
    return 2;
  }
  const { standIn } = await serveStandIn(options, (text) => process.stdout.write(`${text}\n`));
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await standIn.close();
  return 0;
}

main().then((code) => {
  process.exitCode = code;
});
