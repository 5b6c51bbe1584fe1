import { describe, expect, it } from 'vitest';
import { archiveEnvironment, extractGlobalFlags } from '../../../lambda/cli/global-flags';

describe('extractGlobalFlags', () => {
  it.each([
    [['--from', 'x', '--archive', 's3://b/p', '--verbose'], ['--from', 'x'], 's3://b/p', true],
    [['--archive=./folder', '--json'], ['--json'], './folder', false],
    [['SELECT 1', '--', '--archive', 'x'], ['SELECT 1', '--', '--archive', 'x'], undefined, false],
  ])('takes the global flags out of %j, leaving the command its own', (args, rest, archive, verbose) => {
    expect(extractGlobalFlags(args)).toEqual({ args: rest, archive, verbose });
  });

  it.each([
    [['--archive'], /--archive: expected s3:\/\/BUCKET\[\/PREFIX\] or a folder/],
    [['--archive', '--json'], /--archive: expected/],
    [['--archive', 'a', '--archive', 'b'], /--archive: given twice/],
  ])('refuses %j with a usage error naming the flag', (args, message) => {
    expect(() => extractGlobalFlags(args)).toThrow(message);
  });
});

describe('archiveEnvironment', () => {
  it.each([
    ['s3://team-archive', { ARCHIVE_BUCKET: 'team-archive', ARCHIVE_PREFIX: '', ARCHIVE_DIR: undefined }],
    [
      's3://team-archive/monitors/jakarta/',
      { ARCHIVE_BUCKET: 'team-archive', ARCHIVE_PREFIX: 'monitors/jakarta/', ARCHIVE_DIR: undefined },
    ],
    ['./archive', { ARCHIVE_DIR: './archive', ARCHIVE_PREFIX: '', ARCHIVE_BUCKET: undefined }],
  ])('%s stands for its bucket and prefix, or its folder, and clears the other', (location, env) => {
    expect(archiveEnvironment(location)).toEqual(env);
  });

  it.each([
    ['s3://', /does not name an S3 bucket/],
    ['s3://Team_Archive/x', /does not name an S3 bucket/],
    ['s3:/bucket', /does not name an S3 bucket/],
    ['https://bucket.s3.amazonaws.com', /only s3:\/\/ locations and folders/],
  ])('refuses %s', (location, message) => {
    expect(() => archiveEnvironment(location)).toThrow(message);
  });
});
