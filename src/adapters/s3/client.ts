/**
 * The S3 client of the project: one place that turns our options (endpoint, region, credentials) into
 * an S3Client. Region and credentials come from the standard AWS variables and chain unless given.
 * A custom endpoint (MinIO, moto, Ceph …) gets path-style addressing, which they all understand.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3ClientOptions {
  /** e.g. "http://127.0.0.1:9000"; unset for AWS itself. */
  endpoint?: string;
  /** Default: AWS_REGION, then AWS_DEFAULT_REGION, then "us-east-1". */
  region?: string;
  /** Default: the AWS credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, roles). */
  credentials?: S3Credentials;
  /** Default: true when an endpoint is given. */
  forcePathStyle?: boolean;
  /** Attempts per request, including the first (the SDK retries transient errors); default 3. */
  maxAttempts?: number;
  /** Connection and request timeouts (ms); default 5000 and 60000. */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** Builds the client for the options. */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const config: S3ClientConfig = {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    maxAttempts: options.maxAttempts ?? 3,
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? 5000,
      requestTimeout: options.requestTimeoutMs ?? 60_000,
    },
  };
  if (options.endpoint) config.endpoint = options.endpoint;
  if (options.credentials) config.credentials = options.credentials;
  return new S3Client(config);
}

/** The secrets to keep out of every message: the given secret key and session token, and the env ones. */
export function s3Secrets(options: S3ClientOptions = {}): string[] {
  const out = [options.credentials?.secretAccessKey, options.credentials?.sessionToken, process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN];
  return out.filter((s): s is string => typeof s === 'string' && s.length >= 4);
}
