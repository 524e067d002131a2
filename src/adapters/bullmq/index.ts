/** BullMQ on Redis: the production JobQueue, its workers, the cross-machine run lock and the champion channel. */
export { BullJobQueue, defaultJobOptions } from './job-queue.js';
export { startWorkers, type WorkerRuntime, type WorkerSettings } from './workers.js';
export { RedisRunLock, type RunLease } from './run-lock.js';
export { publishChampion, subscribeChampion, championChannel } from './champion-channel.js';
export { bullConnection, redisClient, watchRedis, type RedisTarget } from './connection.js';
export { listJobs, jobCounts, retryJob, removeJob, type JobView } from './admin.js';
