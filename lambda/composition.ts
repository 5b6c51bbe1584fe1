import { S3Client } from '@aws-sdk/client-s3';
import { createAirudderClient } from './adapters/airudder/airudder-client';
import { TokenCache } from './adapters/airudder/token-cache';
import { createFolderObjectStore } from './adapters/archive/folder-object-store';
import { createS3ObjectStore } from './adapters/archive/s3-object-store';
import type { FetchFn } from './adapters/http/http-request';
import type { AirudderCredentials, Config } from './config';
import type { ObjectStore } from './domain/object-store';
import type { StatsSource } from './domain/stats-source';
import type { Logger } from './shared/logger';
import type { Redactor } from './shared/redact';

/**
 * Builds the adapters a run needs from the one Config. Shared by the CLI and the Lambda handler, so
 * both run exactly the same code; tests pass their own fetch or S3 client.
 */

/** Tokens survive across runs of a warm Lambda (and across commands of one CLI process). */
const sharedTokenCache = new TokenCache();

export function createArchiveStore(config: Config, s3Client?: S3Client): ObjectStore {
  const location = config.archive;
  if (location.kind === 'folder') return createFolderObjectStore(location.dir, location.prefix);
  return createS3ObjectStore(s3Client ?? new S3Client({}), location.bucket, location.prefix);
}

export interface StatsSourceDeps {
  readonly credentials: AirudderCredentials;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly fetch?: FetchFn;
  readonly tokenCache?: TokenCache;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function createStatsSource(config: Config, deps: StatsSourceDeps): StatsSource {
  return createAirudderClient({
    baseUrl: config.airudder.baseUrl,
    timeoutMs: config.airudder.timeoutMs,
    maxAttempts: config.airudder.maxAttempts,
    tokenTtlMs: config.airudder.tokenTtlMs,
    tokenCache: deps.tokenCache ?? sharedTokenCache,
    ...deps,
  });
}
