import { S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';

/** fauxqs on a free loopback port: a real S3 wire protocol for byte-level and metadata tests. */
export async function startS3Emulator(bucket = 'archive') {
  const server = await startFauxqs({ port: 0, logger: false });
  server.createBucket(bucket);
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = loopbackS3Client(endpoint);
  return {
    bucket,
    endpoint,
    client,
    async close() {
      client.destroy();
      await server.stop();
    },
  };
}

/** A real S3Client for a loopback S3-compatible endpoint (path-style, test credentials). */
export function loopbackS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}
