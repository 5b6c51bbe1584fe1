import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ARCHIVE, runDemo } from '../../dev/demo';

describe('npm start (the demo)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'demo-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes only to its own folder whatever ARCHIVE_DIR and ARCHIVE_BUCKET say, and says where', async () => {
    // Prepare: a "real" archive the user configured, with one object in it
    const real = join(dir, 'real-archive');
    await mkdir(join(real, 'raw'), { recursive: true });
    await writeFile(join(real, 'raw', 'keep.json'), '{}');
    const demoDir = join(dir, 'demo-archive');
    const out: string[] = [];
    // Act
    const wrote = await runDemo({
      env: { ARCHIVE_DIR: real, ARCHIVE_BUCKET: 'production-audit', AIRUDDER_TIMEZONE: 'Asia/Jakarta' },
      io: { stdout: (text) => out.push(text), stderr: (text) => out.push(text) },
      archiveDir: demoDir,
    });
    // Assess
    expect(wrote).toBe(demoDir);
    expect(await readdir(real, { recursive: true })).toEqual(['raw', join('raw', 'keep.json')]);
    expect((await readdir(join(demoDir, 'raw'), { recursive: true })).length).toBeGreaterThan(10);
    const text = out.join('\n');
    expect(text).toContain(`demo archive in ${demoDir}`);
    expect(text).toMatch(/ARCHIVE_DIR and ARCHIVE_BUCKET ignored: the demo never writes to a real archive/);
    expect(text).toContain(`The demo wrote to ${demoDir} only`);
  });

  it('plays the story in Slack app mode with --slack-app: one message for the incident, edited, its thread, and the digest linking to it', async () => {
    const out: string[] = [];
    await runDemo({
      env: { AIRUDDER_TIMEZONE: 'Asia/Jakarta', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X' },
      io: { stdout: (text) => out.push(text), stderr: (text) => out.push(text) },
      archiveDir: join(dir, 'demo-app'),
      slackApp: true,
    });
    const text = out.join('\n');
    const alertChannel = text.slice(text.indexOf('#C0ALERTS00'), text.indexOf('## 3.'));
    expect(alertChannel.match(/#C0ALERTS00 · message /g)).toHaveLength(1);
    expect(alertChannel).toMatch(/\(edited \d+×\):\n {2}✅ Resolved · Demo call centre — lasted /);
    expect(alertChannel).toMatch(/Thread \(\d+ repl(y|ies)\):/);
    expect(text).toMatch(/Transfer success rate \(http:\/\/127\.0\.0\.1:\d+\/archives\/C0ALERTS00\/p\d+\)/);
  }, 120_000);

  it.each([
    ['a Sunday (the quietest day)', '2026-12-07T01:00:00Z'],
    ['a Wednesday', '2026-12-10T01:00:00Z'],
  ])(
    'plays the same story when yesterday was %s: the transfer alert fires and resolves',
    async (_day, now) => {
      const out: string[] = [];
      await runDemo({
        env: { AIRUDDER_TIMEZONE: 'Asia/Jakarta' },
        io: { stdout: (text) => out.push(text), stderr: (text) => out.push(text) },
        archiveDir: join(dir, `demo-${now.slice(0, 10)}`),
        now: () => new Date(now),
      });
      const text = out.join('\n');
      expect(text).toMatch(/^Sent: 🟠 Transfer success rate /m);
      expect(text).toMatch(/^Sent: ✅ Resolved: Transfer success rate /m);
    },
    120_000,
  );

  it('keeps its default folder inside the repository', () => {
    expect(DEMO_ARCHIVE).toBe(join(__dirname, '..', '..', '.data', 'demo-archive'));
  });
});
