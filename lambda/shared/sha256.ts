import { createHash } from 'node:crypto';

/** The SHA-256 of `bytes`, as lowercase hex: what the raw archive records and verify recomputes. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
