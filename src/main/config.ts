/**
 * Configuration from the environment (the original project's variable names kept), validated once at
 * start-up; a wrong value stops the program with one line naming the variable.
 */
import { z } from 'zod';
import { NsError } from '../core/errors.js';

/** A URL with one of `schemes` (e.g. `http:`); an empty or unparsable value names the variable. */
const urlOf = (schemes: readonly string[]) => z.string().trim().refine((v) => {
  try {
    return schemes.includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, `must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}`).optional();
const httpUrl = urlOf(['http:', 'https:']);
/**
 * A MongoDB URL: the scheme and a host are checked here; the rest (several hosts of a replica set,
 * options) is the driver's to parse, which refuses a bad one with MONGO_URL_INVALID.
 */
const mongoUrl = z.string().trim().regex(/^mongodb(\+srv)?:\/\/([^@/\s]*@)?[^/?\s,]+(,[^/?\s,]+)*([/?][^\s]*)?$/i, 'must be a URL starting with mongodb:// or mongodb+srv://').optional();

/** A whole decimal number in a range: no empty string (which Number() reads as 0), hex, exponent or sign. */
const wholeNumber = (min: number, max: number, fallback: number) => z.string().trim()
  .regex(/^\d{1,10}$/, `must be a whole number from ${min} to ${max}`)
  .transform(Number)
  .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max}`)
  .default(fallback);

/** A host name, an IPv4 address or an IPv6 address (what `listen` takes). */
const hostPattern = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/;

const schema = z.object({
  NS_HOME: z.string().trim().min(1, 'must name a folder (unset it for .networksecurity)').default('.networksecurity'),
  NS_DATA_DIR: z.string().optional(),
  NS_ARTIFACTS_DIR: z.string().optional(),
  /** Empty means the schema shipped with the package. */
  NS_SCHEMA: z.string().optional(),
  NS_HOST: z.string().trim().regex(hostPattern, 'must be a host name or an IP address such as 127.0.0.1').default('127.0.0.1'),
  NS_PORT: wholeNumber(0, 65535, 8501),
  NS_API_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  /** Host names (comma-separated) the server answers to besides IP literals and localhost; `*` = any. */
  NS_ALLOWED_HOSTS: z.string().optional(),
  /** Requests per minute per client address to each scoring route. */
  NS_RATE_LIMIT_PER_MINUTE: wholeNumber(1, 1_000_000, 600),
  NS_SEED: wholeNumber(0, 2 ** 32 - 1, 42),
  /** Training plan of runs started from the web UI / API. */
  NS_TRAIN_PRESET: z.enum(['default', 'original', 'quick']).default('default'),
  MONGO_DB_URL: mongoUrl,
  MONGO_DB_NAME: z.string().default('networksecurity'),
  MONGO_COLLECTION: z.string().default('phishingdata'),
  /**
   * Shape of the record documents written to MongoDB: packed (default) or flat (the original's).
   * Checked by parseRecordFormat when MONGO_DB_URL selects MongoDB (the driver is loaded only then).
   */
  MONGO_RECORD_FORMAT: z.string().trim().optional(),
  /**
   * The installation's shared state (run index, registry, run lock) in MongoDB instead of each home's
   * state.db, so processes on machines with separate NS_HOMEs form one installation. Unset = state.db.
   */
  NS_STATE_URL: mongoUrl,
  S3_BUCKET: z.string().optional(),
  S3_PREFIX: z.string().default(''),
  S3_ENDPOINT: httpUrl,
  AWS_REGION: z.string().default('us-east-1'),
  MLFLOW_TRACKING_URI: httpUrl,
  MLFLOW_EXPERIMENT_NAME: z.string().default('networksecurity'),
  /** Registered model name in MLflow's model registry. */
  MLFLOW_REGISTERED_MODEL: z.string().default('networksecurity'),
  MLFLOW_TRACKING_USERNAME: z.string().optional(),
  MLFLOW_TRACKING_PASSWORD: z.string().optional(),
  MLFLOW_TRACKING_TOKEN: z.string().optional(),
  REDIS_URL: urlOf(['redis:', 'rediss:']),
  /**
   * Lifetime of a queued job's lock and of the run lock in Redis: a worker that dies stops renewing
   * them, and its job is retaken (its run resumed) after about this long.
   */
  NS_JOB_LOCK_MS: wholeNumber(1000, 3_600_000, 30_000),
  /** How often `serve` re-reads the champion alias (a move announced on Redis is picked up at once). */
  NS_MODEL_POLL_MS: wholeNumber(100, 86_400_000, 5000),
  /** Prefix of every Redis key (queues, run lock, champion channel): one per installation sharing a Redis. */
  NS_QUEUE_PREFIX: z.string().trim().regex(/^[\w.-]+$/, 'letters, digits, _ . - only').default('ns'),
  NS_TRACKING: z.enum(['on', 'off']).default('on'),
  /** CIDRs a URL check may fetch although they are not public (comma-separated); empty = public addresses only. */
  NS_FETCH_ALLOW: z.string().default(''),
  NS_FETCH_TIMEOUT_MS: wholeNumber(100, 120_000, 10_000),
  NS_FETCH_MAX_BYTES: wholeNumber(1024, 50 * 1024 * 1024, 2 * 1024 * 1024),
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
