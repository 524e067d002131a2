/**
 * Configuration from the environment (the original project's variable names kept), validated once at
 * start-up; a wrong value stops the program with one line naming the variable.
 */
import { z } from 'zod';
import { NsError } from '../core/errors.js';

const optionalUrl = z.string().trim().min(1).optional();

const schema = z.object({
  NS_HOME: z.string().default('.networksecurity'),
  NS_DATA_DIR: z.string().optional(),
  NS_ARTIFACTS_DIR: z.string().optional(),
  /** Empty means the schema shipped with the package. */
  NS_SCHEMA: z.string().optional(),
  NS_HOST: z.string().default('127.0.0.1'),
  NS_PORT: z.coerce.number().int().min(0).max(65535).default(8501),
  NS_API_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  NS_SEED: z.coerce.number().int().default(42),
  /** Training plan of runs started from the web UI / API. */
  NS_TRAIN_PRESET: z.enum(['default', 'original', 'quick']).default('default'),
  MONGO_DB_URL: optionalUrl,
  MONGO_DB_NAME: z.string().default('networksecurity'),
  MONGO_COLLECTION: z.string().default('phishingdata'),
  /**
   * Shape of the record documents written to MongoDB: packed (default) or flat (the original's).
   * Checked by parseRecordFormat when MONGO_DB_URL selects MongoDB (the driver is loaded only then).
   */
  MONGO_RECORD_FORMAT: z.string().trim().optional(),
  S3_BUCKET: z.string().optional(),
  S3_PREFIX: z.string().default(''),
  S3_ENDPOINT: optionalUrl,
  AWS_REGION: z.string().default('us-east-1'),
  MLFLOW_TRACKING_URI: optionalUrl,
  MLFLOW_EXPERIMENT_NAME: z.string().default('networksecurity'),
  /** Registered model name in MLflow's model registry. */
  MLFLOW_REGISTERED_MODEL: z.string().default('networksecurity'),
  MLFLOW_TRACKING_USERNAME: z.string().optional(),
  MLFLOW_TRACKING_PASSWORD: z.string().optional(),
  MLFLOW_TRACKING_TOKEN: z.string().optional(),
  REDIS_URL: optionalUrl,
  /** Prefix of every Redis key (queues, run lock, champion channel): one per installation sharing a Redis. */
  /**
   * Lifetime of a queued job's lock and of the run lock in Redis: a worker that dies stops renewing
   * them, and its job is retaken (its run resumed) after about this long.
   */
  NS_JOB_LOCK_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  /** How often `serve` re-reads the champion alias (a move announced on Redis is picked up at once). */
  NS_MODEL_POLL_MS: z.coerce.number().int().min(100).max(86_400_000).default(5000),
  NS_QUEUE_PREFIX: z.string().trim().regex(/^[\w.-]+$/, 'letters, digits, _ . - only').default('ns'),
  NS_TRACKING: z.enum(['on', 'off']).default('on'),
});

export type Config = z.infer<typeof schema>;

/** Parses the environment; throws NsError CONFIG_INVALID naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'configuration');
    throw new NsError('CONFIG_INVALID', `Environment variable ${name} is invalid: ${issue.message}.`, {
      kind: 'config',
      hint: `Fix or unset ${name} and run again.`,
    });
  }
  return result.data;
}
