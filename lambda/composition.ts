import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createAirudderClient } from './adapters/airudder/airudder-client';
import { TokenCache } from './adapters/airudder/token-cache';
import { createFolderObjectStore } from './adapters/archive/folder-object-store';
import {
  createKnownDocuments,
  type KnownDocuments,
  rememberingStore,
} from './adapters/archive/known-documents';
import { createS3ObjectStore } from './adapters/archive/s3-object-store';
import type { FetchFn } from './adapters/http/http-request';
import { bundledRules, rulesSourceFor } from './adapters/rules/load-rules';
import { loadMonitorSecret, type MonitorSecret } from './adapters/secrets/monitor-secret';
import { failureCallsForFreshSecret, SecretCache } from './adapters/secrets/secret-cache';
import { createConsoleNotifier } from './adapters/slack/console-notifier';
import { createSlackAppChannel } from './adapters/slack/slack-app-channel';
import { createSlackWebApi } from './adapters/slack/slack-web-api';
import { createWebhookNotifier } from './adapters/slack/webhook-notifier';
import { createDuckDbCuratedSql } from './adapters/sql/duckdb-curated';
import { type AirudderCredentials, type Config, ConfigError, missingCredentialsError } from './config';
import type { RuleSet } from './domain/alerts/rules';
import type { ActiveRules, BundledRules, RulesCache } from './domain/alerts/rules-source';
import type { ObjectStore } from './domain/archive/object-store';
import type { CuratedSql } from './domain/curated/curated-sql';
import type { SlackAppChannel } from './domain/slack/slack-app';
import type { Notifier, SlackMessage } from './domain/slack/slack-message';
import type { StatsSource } from './domain/statistics/stats-source';
import type { InteractionsEdges } from './handler/interactions-handler';
import type { Logger } from './shared/logger';
import type { Redactor } from './shared/redact';
import { defaultSleep } from './shared/retry';
import { describeActiveRules, loadActiveRules, recordRulesHealth } from './use-cases/active-rules';
import type { BackfillDeps } from './use-cases/backfill';
import type { CurateDeps } from './use-cases/curate';
import { curateAlertEpisodes } from './use-cases/curate-alert-episodes';
import type { FetchDeps } from './use-cases/fetch-and-archive';
import { readDayAlerts } from './use-cases/fired-alerts';
import type { IncidentNotesDeps } from './use-cases/incident-notes';
import type { ReplayDeps } from './use-cases/replay';
import type { CheckDeps } from './use-cases/run-check';
import type { DigestDeps } from './use-cases/run-digest';
import type { VerifyDeps } from './use-cases/verify-archive';

/**
 * The composition root: the one place that turns a Config and a run (its id, clock and deadline)
 * into the dependencies of each use case. The Lambda handler and the CLI both call it, so a check or
 * a digest is wired the same way wherever it runs; tests pass their own fetch, S3 client or secret
 * loader.
 */

/** Everything a run brings: the config, its identity and clock, its edges. */
export interface RunContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly redactor: Redactor;
  /** Identifies the run in claims (the Lambda request id, or a random id for the CLI). */
  readonly runId: string;
  /** The run's clock: claim ages, and the CLI's default instant. The Lambda's is the real one. */
  readonly now: () => Date;
  /** Epoch ms by which the run must be done: bounds every retry. */
  readonly deadline: number;
  /** Where messages go when no webhook is configured. */
  readonly writeMessage: (text: string) => void;
  /**
   * AIRUDDER tokens, owned by whoever outlives the run: the handler's closure (a warm Lambda reuses
   * it across invocations) or the CLI invocation.
   */
  readonly tokenCache: TokenCache;
  /** The rules object last read, owned like the token cache: a warm Lambda re-reads it with a 304. */
  readonly rulesCache?: RulesCache;
  /**
   * The state documents as last read or written, owned like the token cache: a warm Lambda's check
   * starts its compare-and-swap from the alert state it wrote last (adapters/archive/known-documents.ts).
   */
  readonly knownDocuments?: KnownDocuments;
  readonly fetch?: FetchFn;
  readonly s3Client?: S3Client;
  /** Reads the monitor's secret; the Lambda passes one that caches it per container. */
  readonly loadSecret?: (secretId: string) => Promise<MonitorSecret>;
  /**
   * Reads the secret afresh (past any cache), after Slack refused the bot token; the Lambda passes
   * one that drops its cached copy first. Default: `loadSecret` again.
   */
  readonly reloadSecret?: (secretId: string) => Promise<MonitorSecret>;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Opens the folder archive of ARCHIVE_DIR. The CLI passes `createCliFolderStore`; the Lambda
   * archives to S3 only, so its bundle carries no folder store.
   */
  readonly folderStore?: (dir: string, prefix: string) => ObjectStore;
}

/** The adapters every run that calls AIRUDDER or Slack shares. */
export interface RunAdapters {
  readonly source: StatsSource;
  readonly store: ObjectStore;
  readonly logger: Logger;
  /** Alerts: SLACK_WEBHOOK_URL, else the console. */
  readonly alertNotifier: Notifier;
  /** Digests: SLACK_DIGEST_WEBHOOK_URL, else SLACK_WEBHOOK_URL, else the console. */
  readonly digestNotifier: Notifier;
  /** Digests go to the console: a reader there gets the full table (no phone screen to fit). */
  readonly digestToConsole: boolean;
  /** Slack app mode (SLACK_ALERT_CHANNEL): the alert and digest channels over the Web API. */
  readonly slackApp?: { readonly alerts: SlackAppChannel; readonly digest: SlackAppChannel };
}

/** One wiring per use case. Adapters (and the secret read) are built once, on first use. */
export interface Wiring {
  /** The archive alone, for runs that never call AIRUDDER or Slack (no secret is read). */
  archive(): ObjectStore;
  /**
   * The alert rules in use, read once per run: RULES_FILE, else config/rules.json in the archive,
   * else the bundled defaults; an invalid rules object gives the last rules that validated.
   */
  rules(): Promise<ActiveRules>;
  fetch(): Promise<FetchDeps>;
  /**
   * For a check at `at`: the rules in use, after recording what the run saw of the rules object and
   * sending the "rules invalid" (or "valid again") notice owed. Never fails on the rules: when they
   * cannot be read (the object or state/rules.json unreadable), `rulesFailure` says why and the
   * check archives, then counts the run as failed.
   */
  check(at?: Date): Promise<CheckDeps>;
  digest(): Promise<DigestDeps>;
  backfill(): Promise<BackfillDeps>;
  /** Replays `rules`; with `post`, through the same notifiers the live runs use. */
  replay(ruleSet: RuleSet, options: { readonly post: boolean }): Promise<ReplayDeps>;
  verify(): VerifyDeps;
  /** Reads raw/ from the archive; writes curated/ there, or into the folder `toDir`. */
  curate(toDir?: string): CurateDeps;
  /** The rules shipped with the function, as text: what `rules push` compares with when none is stored. */
  bundledRules(): BundledRules;
  /** The Slack interactions endpoint's edges (Slack app mode), for `serve-interactions`. */
  interactions(): InteractionsEdges;
  /**
   * Slack app mode: what delivers the thread notes a command-line `snooze`/`unsnooze` owes the open
   * incident (its head edited, one reply); undefined without app mode. Reads the bot token
   * (SLACK_BOT_TOKEN, else the monitor's secret), no AIRUDDER credentials.
   */
  incidentNotes(): Promise<IncidentNotesDeps | undefined>;
}

export function createWiring(run: RunContext): Wiring {
  const { config } = run;
  const timeZone = config.airudder.timeZone;
  let adapters: Promise<RunAdapters> | undefined;
  const runAdapters = () => {
    adapters ??= buildRunAdapters(run, archive());
    return adapters;
  };
  // One S3 client per run, made on first use (the CLI passes none; the Lambda passes its container's).
  let s3Client = run.s3Client;
  const s3 = () => {
    s3Client ??= new S3Client({ followRegionRedirects: true });
    return s3Client;
  };
  const archive = () => {
    const store = createArchiveStore(
      config,
      config.archive.kind === 's3' ? s3() : undefined,
      run.deadline,
      run.logger,
      run.folderStore,
    );
    return run.knownDocuments === undefined ? store : rememberingStore(store, run.knownDocuments);
  };
  let activeRules: Promise<ActiveRules> | undefined;
  const rules = () => {
    activeRules ??= loadActiveRules(rulesSourceFor(config, archive(), run.rulesCache)).then((active) => {
      const facts = describeActiveRules(active);
      if (active.invalid)
        run.logger.warn('Rules object invalid; evaluating with the last rules that validated', facts);
      else run.logger.info('Rules in use', facts);
      return active;
    });
    return activeRules;
  };
  return {
    archive,
    rules,
    async fetch() {
      const { source, store, logger } = await runAdapters();
      return { source, store, logger };
    },
    async check(at) {
      const { source, store, logger, alertNotifier, slackApp } = await runAdapters();
      let active: ActiveRules | undefined;
      let rulesFailure: unknown;
      let rulesNotices: readonly string[] = [];
      try {
        active = await rules();
        if (at !== undefined) {
          const health = {
            store,
            logger,
            notifier: alertNotifier,
            cache: run.rulesCache,
            runId: run.runId,
            now: run.now,
            deadline: run.deadline,
            monitorName: config.monitorName,
            timeZone: config.airudder.timeZone,
          };
          rulesNotices = await recordRulesHealth(health, active, at);
        }
      } catch (error) {
        // RULES_FILE is this command line's own file: a bad one is a usage error, as before any run.
        if (config.rulesFile) throw error;
        // Archive first: the check still fetches and archives, then counts this as a failed run.
        rulesFailure = error;
      }
      return {
        source,
        store,
        logger,
        notifier: alertNotifier,
        ...(slackApp === undefined ? {} : { slackApp: slackApp.alerts }),
        rules: rulesFailure === undefined ? (active?.rules ?? []) : [],
        ...(active === undefined || rulesFailure !== undefined ? {} : { activeRules: active }),
        ...(rulesFailure === undefined ? {} : { rulesFailure }),
        rulesNotices,
        reminders: active?.reminders,
        monitorName: config.monitorName,
        timeZone,
        lineCapacity: config.lineCapacity,
        failureThreshold: config.failureThreshold,
        runId: run.runId,
        now: run.now,
      };
    },
    async digest() {
      const { rules: digestRules } = await rules();
      const { source, store, logger, digestNotifier, digestToConsole, slackApp } = await runAdapters();
      return {
        source,
        store,
        logger,
        notifier: digestNotifier,
        fullTable: digestToConsole,
        timeZone,
        topN: config.digestTopN,
        monitorName: config.monitorName,
        runId: run.runId,
        now: run.now,
        dayAlerts: (date) =>
          readDayAlerts(
            store,
            digestRules,
            date,
            timeZone,
            slackApp && ((ref) => slackApp.digest.permalink(ref)),
            logger,
          ),
        curateAlertEpisodes: () => curateAlertEpisodes({ store }, { rules: digestRules, timeZone }),
        ...(run.sleep ? { sleep: run.sleep } : {}),
      };
    },
    async backfill() {
      const { source, store, logger } = await runAdapters();
      // Pacing is real time: the rate limiter sleeps, so it reads the real clock, not the run's.
      return { source, store, logger, timeZone, now: Date.now, sleep: run.sleep ?? defaultSleep };
    },
    async replay(ruleSet, options) {
      const post = options.post ? await runAdapters() : undefined;
      return {
        store: archive(),
        rules: ruleSet.rules,
        reminders: ruleSet.reminders,
        monitorName: config.monitorName,
        timeZone,
        lineCapacity: config.lineCapacity,
        topN: config.digestTopN,
        ...(post ? { post: { alertNotifier: post.alertNotifier, digestNotifier: post.digestNotifier } } : {}),
      };
    },
    verify: () => ({ store: archive(), timeZone }),
    interactions: () =>
      createInteractionsEdges({
        config,
        logger: run.logger,
        redactor: run.redactor,
        now: run.now,
        ...(run.fetch ? { fetch: run.fetch } : {}),
        ...(run.s3Client ? { s3Client: run.s3Client } : {}),
        ...(run.loadSecret ? { loadSecret: run.loadSecret } : {}),
        ...(run.folderStore ? { folderStore: run.folderStore } : {}),
      }),
    async incidentNotes() {
      const app = config.slack.app;
      if (app === undefined) return undefined;
      let botToken = app.botToken;
      run.redactor.add(botToken);
      if (!botToken && config.secretArn) {
        const secret = await (run.loadSecret ?? defaultSecretLoader)(config.secretArn, run.logger);
        for (const value of Object.values(secret)) run.redactor.add(value);
        botToken = secret.SLACK_BOT_TOKEN;
      }
      const slackApp = slackAppChannels(run, botToken).alerts;
      const active = await rules();
      return {
        store: archive(),
        slackApp,
        logger: run.logger,
        rules: active.rules,
        reminders: active.reminders,
        timeZone,
        monitorName: config.monitorName,
        runId: run.runId,
        now: run.now,
        deadline: run.deadline,
      };
    },
    curate: (toDir) => ({
      store: archive(),
      ...(toDir === undefined ? {} : { target: folderStoreOf(run)(toDir, '') }),
    }),
    bundledRules,
  };
}

/** The folder store the run was given (the CLI); the function has none. */
function folderStoreOf(run: RunContext): (dir: string, prefix: string) => ObjectStore {
  if (run.folderStore === undefined) {
    throw new ConfigError('a folder archive is for the CLI: the function archives to S3 only');
  }
  return run.folderStore;
}

/**
 * What outlives a run, built here like every other edge: the AIRUDDER token cache, the rules cache,
 * the state documents last read or written, the S3 client and the monitor's secret. A warm Lambda container keeps one set for all its
 * invocations (built during init); a CLI command makes its own.
 */
export interface RunEdges {
  readonly tokenCache: TokenCache;
  readonly rulesCache: RulesCache;
  readonly knownDocuments: KnownDocuments;
  readonly s3Client: S3Client | undefined;
  readonly secrets: MonitorSecrets;
}

/** The monitor's secret (MONITOR_SECRET_ARN), read at most once per MONITOR_SECRET_TTL_MINUTES. */
export interface MonitorSecrets {
  get(secretId: string): Promise<MonitorSecret>;
  /** Reads it again at once, past the cache (Slack refused the bot token: a rotated one). */
  reload(secretId: string): Promise<MonitorSecret>;
  /**
   * After a failed run: when a rotated secret explains the failure (AIRUDDER refused the
   * credentials, Slack 403/404/410 to the webhook), the next read goes to Secrets Manager at once.
   * True when it will.
   */
  refreshAfter(error: unknown): boolean;
}

export interface RunEdgesOptions {
  readonly logger: Logger;
  /** Tests pass their own; else an S3 client when the archive is in S3. */
  readonly s3Client?: S3Client;
  /** Tests pass their own; else Secrets Manager, through one client made on first use. */
  readonly loadSecret?: (secretId: string) => Promise<MonitorSecret>;
  /** The clock of the secret's TTL (tests move it). */
  readonly now?: () => number;
}

export function createRunEdges(config: Config, options: RunEdgesOptions): RunEdges {
  let secretsClient: SecretsManagerClient | undefined;
  const readSecret =
    options.loadSecret ??
    ((secretId: string) => {
      secretsClient ??= new SecretsManagerClient({});
      return loadMonitorSecret(secretsClient, secretId, options.logger);
    });
  const cache = new SecretCache(readSecret, config.secretTtlMs, options.now);
  return {
    tokenCache: new TokenCache(),
    rulesCache: {},
    knownDocuments: createKnownDocuments(),
    s3Client: options.s3Client ?? (config.archive.kind === 's3' ? new S3Client({}) : undefined),
    secrets: {
      get: (secretId) => cache.get(secretId),
      reload(secretId) {
        cache.invalidate();
        return cache.get(secretId);
      },
      refreshAfter(error) {
        if (!failureCallsForFreshSecret(error)) return false;
        cache.invalidate();
        return true;
      },
    },
  };
}

/**
 * SQL over the curated tables of a folder (`sql`): DuckDB, offline. The CLI's alone, and not part of
 * the Wiring, so the Lambda bundle (which imports this file) drops it.
 */
export const createCuratedSql = (): CuratedSql => createDuckDbCuratedSql();

/**
 * The folder archive (ARCHIVE_DIR, `curate --to`): the CLI's alone. The CLI passes it in its
 * RunContext; the Lambda bundle (which imports this file) never references it, so it drops it.
 */
export const createCliFolderStore = (dir: string, prefix: string): ObjectStore =>
  createFolderObjectStore(dir, prefix);

/** One CLI command: its AIRUDDER token lives as long as the command. */
export const createTokenCache = (): TokenCache => new TokenCache();

/** Thrown while the monitor's secret holds no value yet (deployed before it was put): not a failure. */
export { MonitorSecretNotSetError } from './adapters/secrets/monitor-secret';

export function createArchiveStore(
  config: Config,
  s3Client?: S3Client,
  deadline?: number,
  logger?: Logger,
  folderStore?: (dir: string, prefix: string) => ObjectStore,
): ObjectStore {
  const location = config.archive;
  if (location.kind === 'folder') {
    if (folderStore === undefined) {
      throw new ConfigError(
        'ARCHIVE_DIR is for the CLI: the function archives to S3 only (set ARCHIVE_BUCKET)',
      );
    }
    return folderStore(location.dir, location.prefix);
  }
  // followRegionRedirects: an operator's profile may name another region than the bucket's.
  return createS3ObjectStore(
    s3Client ?? new S3Client({ followRegionRedirects: true }),
    location.bucket,
    location.prefix,
    { timeoutMs: location.timeoutMs, deadline, ...(logger ? { logger } : {}) },
  );
}

export const defaultSecretLoader = (secretId: string, logger?: Logger) =>
  loadMonitorSecret(new SecretsManagerClient({}), secretId, logger);

/** Credentials and webhooks come from the environment, or from the monitor's secret (MONITOR_SECRET_ARN). */
async function buildRunAdapters(run: RunContext, store: ObjectStore): Promise<RunAdapters> {
  const { config, logger, redactor } = run;
  let credentials: AirudderCredentials | undefined = config.airudder.credentials;
  let alertWebhookUrl = config.slack.alertWebhookUrl;
  let digestWebhookUrl = config.slack.digestWebhookUrl;
  let botToken = config.slack.app?.botToken;
  redactor.add(botToken);
  redactor.add(config.slack.app?.signingSecret);
  if (config.secretArn) {
    const secret = await (run.loadSecret ?? defaultSecretLoader)(config.secretArn, logger);
    for (const value of Object.values(secret)) redactor.add(value);
    credentials ??= { appKey: secret.AIRUDDER_APP_KEY, appSecret: secret.AIRUDDER_APP_SECRET };
    alertWebhookUrl ??= secret.SLACK_WEBHOOK_URL;
    digestWebhookUrl ??= secret.SLACK_DIGEST_WEBHOOK_URL;
    botToken ??= secret.SLACK_BOT_TOKEN;
  }
  if (!credentials) throw missingCredentialsError();
  const slackApp = config.slack.app && slackAppChannels(run, botToken);
  if (slackApp) {
    return {
      source: airudderSource(run, credentials),
      store,
      logger,
      alertNotifier: slackApp.alerts,
      digestNotifier: slackApp.digest,
      digestToConsole: false,
      slackApp,
    };
  }
  const notifierFor = (url: string | undefined): Notifier =>
    url
      ? createWebhookNotifier({
          url,
          timeoutMs: config.slack.timeoutMs,
          maxAttempts: config.slack.maxAttempts,
          deadline: run.deadline,
          logger,
          fetch: run.fetch,
          sleep: run.sleep,
        })
      : createConsoleNotifier(run.writeMessage);
  return {
    source: airudderSource(run, credentials),
    store,
    logger,
    alertNotifier: notifierFor(alertWebhookUrl),
    digestNotifier: notifierFor(digestWebhookUrl ?? alertWebhookUrl),
    digestToConsole: !(digestWebhookUrl ?? alertWebhookUrl),
  };
}

function airudderSource(run: RunContext, credentials: AirudderCredentials): StatsSource {
  const { config } = run;
  return createAirudderClient({
    baseUrl: config.airudder.baseUrl,
    credentials,
    timeoutMs: config.airudder.timeoutMs,
    maxAttempts: config.airudder.maxAttempts,
    maxResponseBytes: config.airudder.maxResponseBytes,
    tokenTtlMs: config.airudder.tokenTtlMs,
    tokenCache: run.tokenCache,
    logger: run.logger,
    redactor: run.redactor,
    fetch: run.fetch,
    sleep: run.sleep,
  });
}

/**
 * Slack app mode's channels over one Web API client. The token comes from SLACK_BOT_TOKEN or the
 * monitor's secret; when Slack refuses it, the secret is read once more (a rotated token).
 */
function slackAppChannels(
  run: RunContext,
  botToken: string | undefined,
): { alerts: SlackAppChannel & Notifier; digest: SlackAppChannel & Notifier } {
  const { config, logger, redactor } = run;
  const app = config.slack.app;
  if (app === undefined) throw new RangeError('slackAppChannels: app mode is not configured');
  if (!botToken) {
    throw new ConfigError(
      'Invalid configuration: SLACK_BOT_TOKEN is not set, in the environment nor in the monitor secret (Slack app mode: SLACK_ALERT_CHANNEL is set)',
      {
        problems: [
          {
            variable: 'SLACK_BOT_TOKEN',
            problem: 'is not set, in the environment nor in the monitor secret (SLACK_ALERT_CHANNEL is set)',
          },
        ],
      },
    );
  }
  const secretArn = config.secretArn;
  const reload = run.reloadSecret ?? run.loadSecret ?? ((id: string) => defaultSecretLoader(id, logger));
  const api = createSlackWebApi({
    apiUrl: app.apiUrl,
    token: async () => botToken,
    ...(secretArn === undefined
      ? {}
      : { reloadToken: async () => (await reload(secretArn)).SLACK_BOT_TOKEN }),
    timeoutMs: config.slack.timeoutMs,
    maxAttempts: config.slack.maxAttempts,
    deadline: run.deadline,
    logger,
    redactor,
    ...(run.fetch ? { fetch: run.fetch } : {}),
    ...(run.sleep ? { sleep: run.sleep } : {}),
  });
  return {
    alerts: createSlackAppChannel(api, app.alertChannel),
    digest: createSlackAppChannel(api, app.digestChannel),
  };
}

/** What the interactions endpoint brings: its config and edges, built once per container. */
export interface InteractionsContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly now: () => Date;
  readonly fetch?: FetchFn;
  readonly s3Client?: S3Client;
  /** Reads the monitor's secret (cached per container by the caller). */
  readonly loadSecret?: (secretId: string) => Promise<MonitorSecret>;
  /** Reads it past any cache, after Slack refused the token. */
  readonly reloadSecret?: (secretId: string) => Promise<MonitorSecret>;
  /** The CLI's folder archive (`serve-interactions` on ARCHIVE_DIR); the function has none. */
  readonly folderStore?: (dir: string, prefix: string) => ObjectStore;
}

/** Thrown when the interactions endpoint runs without Slack app mode configured. */
export const appModeMissingError = () =>
  new ConfigError(
    'Invalid configuration: SLACK_ALERT_CHANNEL is not set (the interactions endpoint serves Slack app mode)',
    { problems: [{ variable: 'SLACK_ALERT_CHANNEL', problem: 'is not set (Slack app mode)' }] },
  );

/**
 * The Slack interactions endpoint's edges: the signing secret and bot token (the environment, else
 * the monitor's secret), the archive (the alert state), the rules' reminder cadence, and the Web
 * API, with one client per click bounded by the click's answer budget.
 */
export function createInteractionsEdges(context: InteractionsContext): InteractionsEdges {
  const { config, logger, redactor } = context;
  const app = config.slack.app;
  if (app === undefined) throw appModeMissingError();
  const secretArn = config.secretArn;
  // One read per MONITOR_SECRET_TTL_MINUTES for a warm container, as the monitor function does.
  const cache = new SecretCache((id: string) => defaultSecretLoader(id, logger), config.secretTtlMs);
  const loadSecret = context.loadSecret ?? ((id: string) => cache.get(id));
  const secret = async () => {
    if (secretArn === undefined) return undefined;
    const value = await loadSecret(secretArn);
    for (const part of Object.values(value)) redactor.add(part);
    return value;
  };
  redactor.add(app.botToken);
  redactor.add(app.signingSecret);
  const token = async () => {
    const value = app.botToken ?? (await secret())?.SLACK_BOT_TOKEN;
    if (!value)
      throw new ConfigError(
        'Invalid configuration: SLACK_BOT_TOKEN is not set, in the environment nor in the monitor secret',
      );
    return value;
  };
  const reload =
    context.reloadSecret ??
    (context.loadSecret
      ? context.loadSecret
      : (id: string) => {
          cache.invalidate();
          return cache.get(id);
        });
  const api = (options: { readonly deadline?: number; readonly maxAttempts: number }) =>
    createSlackWebApi({
      apiUrl: app.apiUrl,
      token,
      ...(secretArn === undefined
        ? {}
        : { reloadToken: async () => (await reload(secretArn)).SLACK_BOT_TOKEN }),
      timeoutMs: config.slack.timeoutMs,
      maxAttempts: options.maxAttempts,
      ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
      // A click's budget is 2 s: a short first backoff, or a retry would never fit.
      baseDelayMs: 100,
      logger,
      redactor,
      ...(context.fetch ? { fetch: context.fetch } : {}),
    });
  const container = api({ maxAttempts: config.slack.maxAttempts });
  // Every click reads the rules object: while it stays absent, one listing instead of a refused GET
  // and a listing (known-documents.ts); the state documents are read afresh, as before.
  const store = rememberingStore(
    createArchiveStore(config, context.s3Client, undefined, logger, context.folderStore),
    createKnownDocuments(),
    () => false,
  );
  const rulesCache: RulesCache = {};
  return {
    signingSecret: async () => app.signingSecret ?? (await secret())?.SLACK_SIGNING_SECRET,
    store,
    api: {
      authTest: () => container.authTest(),
      userGroupMembers: (groupId) => container.userGroupMembers(groupId),
    },
    incidentSlack: (deadline) => {
      const click = api({ deadline, maxAttempts: 2 });
      return {
        update: async (head, message) => {
          await click.update(head, message);
        },
        reply: async (head, text) => {
          await click.postMessage({ channel: head.channel, threadTs: head.ts, message: plainMessage(text) });
        },
        tell: (head, user, text) => click.postEphemeral({ channel: head.channel, user, text }),
      };
    },
    reminders: async () => (await loadActiveRules(rulesSourceFor(config, store, rulesCache))).reminders,
    logger,
    redactor,
    timeZone: config.airudder.timeZone,
    operators: app.operators,
    now: context.now,
  };
}

/** A one-line message: a thread reply saying who did what. */
const plainMessage = (text: string): SlackMessage => ({
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});
