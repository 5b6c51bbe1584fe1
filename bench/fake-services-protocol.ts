/** Messages between the benchmark and its fake-services child process. */
import type { ExternalCall } from './external-calls';

export interface FakeServicesOptions {
  readonly credentials: { readonly appKey: string; readonly appSecret: string };
  readonly timeZone: string;
  /** The stand-in's clock (ISO): every hour before it has data. */
  readonly standInNow: string;
  readonly bucket: string;
  /** The SecretString the Secrets Manager fake answers with. */
  readonly secretString: string;
}

/** Every URL is a latency proxy in front of the fake (see latency-proxy.ts), except `s3Direct`. */
export interface FakeServicesReady {
  readonly ready: true;
  readonly standInUrl: string;
  readonly slackUrl: string;
  readonly s3Endpoint: string;
  readonly secretsEndpoint: string;
  /** fauxqs itself, for seeding without latency and without being logged. */
  readonly s3Direct: string;
}

export type ServiceRequest =
  | { readonly id: number; readonly op: 'latency'; readonly ms: number }
  | { readonly id: number; readonly op: 'calls' }
  | { readonly id: number; readonly op: 'counts' }
  | { readonly id: number; readonly op: 'stop' };

export type ServiceReply = { readonly id: number; readonly result?: unknown; readonly error?: string };

/** What the fakes saw: their own request counts, to cross-check the proxies' log. */
export interface ServiceCounts {
  readonly airudderRequests: number;
  readonly slackPosts: number;
  readonly slackAccepted: number;
  /** CPU time (user + system) the fakes process has used so far, in ms. */
  readonly cpuMs: number;
}

export type { ExternalCall };
