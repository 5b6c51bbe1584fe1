import { describe, expect, it } from 'vitest';
import { createRedactor, urlSecretParts } from '../../../lambda/shared/redact';

const WEBHOOK = 'https://hooks.slack.com/services/T0AB12CD3/B0EF45GH6/abcDEF123ghiJKL456m';

describe('createRedactor', () => {
  it('blanks a registered value and its URL-encoded form', () => {
    const redactor = createRedactor(['AS/test+secret==Xw7']);
    expect(redactor.redact('x AS/test+secret==Xw7 y AS%2Ftest%2Bsecret%3D%3DXw7')).toBe(
      'x [REDACTED] y [REDACTED]',
    );
  });

  it('blanks every part of a webhook URL after the host, wherever it appears on its own', () => {
    const redactor = createRedactor([WEBHOOK]);
    const echoed = [
      `posting to ${WEBHOOK} failed`,
      'proxy: no route for /services/T0AB12CD3/B0EF45GH6/abcDEF123ghiJKL456m',
      'invalid_token abcDEF123ghiJKL456m',
      'team T0AB12CD3, channel hook B0EF45GH6',
    ].map((line) => redactor.redact(line));
    for (const line of echoed) {
      for (const part of ['T0AB12CD3', 'B0EF45GH6', 'abcDEF123ghiJKL456m']) expect(line).not.toContain(part);
      expect(line).toContain('[REDACTED]');
    }
    expect(redactor.redact('hooks.slack.com answered 404')).toBe('hooks.slack.com answered 404');
  });

  it('blanks a secret added later (a token just issued), and regular-expression characters literally', () => {
    const redactor = createRedactor(['key.with*regex(chars)']);
    expect(redactor.redact('token t0k3n-later, key key.with*regex(chars)')).toBe(
      'token t0k3n-later, key [REDACTED]',
    );
    redactor.add('t0k3n-later');
    expect(redactor.redact('token t0k3n-later, key keyXwith*regex(chars)')).toBe(
      'token [REDACTED], key keyXwith*regex(chars)',
    );
  });

  it('leaves text alone while no secret is known, and ignores values too short to be secrets', () => {
    const redactor = createRedactor([undefined, '', 'abc']);
    expect(redactor.redact('abc is not a secret')).toBe('abc is not a secret');
  });

  it('treats a proxy URL with a query token the same way', () => {
    expect(urlSecretParts('https://proxy.example/relay/k3y-9?token=s3cr3t-value')).toEqual(
      expect.arrayContaining(['/relay/k3y-9?token=s3cr3t-value', 'relay', 'k3y-9', 's3cr3t-value']),
    );
    expect(urlSecretParts('not a url')).toEqual([]);
  });
});
