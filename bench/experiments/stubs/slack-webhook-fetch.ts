/**
 * Size probe, substituted for @slack/webhook when bundling a variant: the one POST the notifier
 * needs, over the injected fetch, with the same error classes (the notifier keeps its own retries).
 */

export type FetchFunction = typeof fetch;

export class IncomingWebhookHTTPError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: string,
  ) {
    super(`An HTTP protocol error occurred: statusCode = ${statusCode}`);
    this.name = 'IncomingWebhookHTTPError';
  }
}

export class IncomingWebhookRequestError extends Error {
  constructor(readonly original: unknown) {
    super('A request error occurred');
    this.name = 'IncomingWebhookRequestError';
  }
}

export class IncomingWebhook {
  constructor(
    private readonly url: string,
    private readonly options: { timeout: number; fetch?: FetchFunction },
  ) {}

  async send(payload: object): Promise<{ text: string }> {
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.timeout),
        redirect: 'manual',
      });
    } catch (error) {
      throw new IncomingWebhookRequestError(error);
    }
    const text = await response.text();
    if (!response.ok) throw new IncomingWebhookHTTPError(response.status, text);
    return { text };
  }
}
