/** Messages between the benchmark and its fake-services child process. */

export interface FakeServicesOptions {
  readonly credentials: { readonly appKey: string; readonly appSecret: string };
  readonly timeZone: string;
  /** The stand-in's clock (ISO): every hour before it has data. */
  readonly standInNow: string;
  readonly bucket: string;
}

export interface FakeServicesReady {
  readonly ready: true;
  readonly standInUrl: string;
  readonly slackUrl: string;
  readonly s3Endpoint: string;
}

export type ServiceRequest =
  | { readonly id: number; readonly op: 'latency'; readonly ms: number }
  | { readonly id: number; readonly op: 'counts' }
  | { readonly id: number; readonly op: 'stop' };

export type ServiceReply = { readonly id: number; readonly result?: unknown; readonly error?: string };

/** What the fakes saw: their own request counts, to cross-check the client-side instrumentation. */
export interface ServiceCounts {
  readonly airudderRequests: number;
  readonly slackPosts: number;
  readonly slackAccepted: number;
  /** CPU time (user + system) the fakes process has used so far, in ms. */
  readonly cpuMs: number;
}
