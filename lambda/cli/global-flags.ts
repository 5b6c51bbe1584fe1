import { UsageError } from './usage-error';

/**
 * The flags every command accepts, wherever they stand after the command's name: they are taken out
 * before the command parses its own flags. `--archive` says where the archive is without exporting
 * ARCHIVE_BUCKET or ARCHIVE_DIR (an operator's laptop has no monitor environment); `--verbose`
 * shows INFO logs on a terminal, which otherwise shows warnings and errors only.
 */

export interface GlobalFlags {
  /** The command's own arguments, global flags removed. */
  readonly args: readonly string[];
  /** `--archive s3://bucket/prefix` or `--archive FOLDER`. */
  readonly archive: string | undefined;
  readonly verbose: boolean;
}

export const ARCHIVE_FLAG = {
  flag: '--archive s3://BUCKET[/PREFIX] | FOLDER',
  description: 'the archive, instead of ARCHIVE_BUCKET/ARCHIVE_DIR and ARCHIVE_PREFIX',
};
export const VERBOSE_FLAG = {
  flag: '--verbose',
  description: 'log at INFO on a terminal too (default there: WARN; LOG_LEVEL wins)',
};

/** Takes --archive and --verbose out of `args`; everything after `--` belongs to the command. */
export function extractGlobalFlags(args: ReadonlyArray<string>): GlobalFlags {
  const rest: string[] = [];
  let archive: string | undefined;
  let verbose = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--') {
      rest.push(...args.slice(index));
      break;
    }
    if (arg === '--verbose') {
      verbose = true;
    } else if (arg === '--archive' || arg.startsWith('--archive=')) {
      const value = arg === '--archive' ? args[++index] : arg.slice('--archive='.length);
      if (value === undefined || value.trim() === '' || value.startsWith('--')) {
        throw new UsageError('--archive: expected s3://BUCKET[/PREFIX] or a folder');
      }
      if (archive !== undefined) throw new UsageError('--archive: given twice');
      archive = value;
    } else {
      rest.push(arg);
    }
  }
  return { args: rest, archive, verbose };
}

/** S3's rules for a bucket name (general purpose buckets): 3–63 of a-z 0-9 . -, starting and ending alphanumeric. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The environment --archive stands for: `s3://bucket/prefix` sets ARCHIVE_BUCKET and ARCHIVE_PREFIX,
 * a folder ARCHIVE_DIR; the other location variables are cleared so the flag alone decides.
 */
export function archiveEnvironment(archive: string): Record<string, string | undefined> {
  if (/^s3:/i.test(archive)) {
    const match = /^s3:\/\/([^/]*)\/?(.*)$/.exec(archive);
    const bucket = match?.[1] ?? '';
    if (!BUCKET_NAME.test(bucket)) {
      throw new UsageError(
        `--archive: "${archive}" does not name an S3 bucket; expected s3://BUCKET or s3://BUCKET/PREFIX`,
      );
    }
    return { ARCHIVE_BUCKET: bucket, ARCHIVE_PREFIX: match?.[2] ?? '', ARCHIVE_DIR: undefined };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(archive)) {
    throw new UsageError(`--archive: only s3:// locations and folders are supported, got "${archive}"`);
  }
  return { ARCHIVE_DIR: archive, ARCHIVE_PREFIX: '', ARCHIVE_BUCKET: undefined };
}

/** As --help lists them, after each command's own flags. */
export const GLOBAL_FLAGS = [ARCHIVE_FLAG, VERBOSE_FLAG] as const;
