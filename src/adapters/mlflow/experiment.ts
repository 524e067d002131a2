/**
 * Experiment get-or-create by name, as a real server behaves: a deleted experiment with the name is
 * restored (the name stays taken after deletion), and RESOURCE_ALREADY_EXISTS on create means another
 * process created it in the meantime, so we read it again.
 */
import { mlflowErrorCode, type MlflowClient, type MlflowExperiment } from './client.js';

async function findByName(client: MlflowClient, name: string): Promise<MlflowExperiment | undefined> {
  try {
    return (await client.getExperimentByName(name)).experiment;
  } catch (e) {
    if (mlflowErrorCode(e) === 'RESOURCE_DOES_NOT_EXIST') return undefined;
    throw e;
  }
}

/** Returns the id of the active experiment called `name`, creating or restoring it as needed. */
export async function getOrCreateExperiment(client: MlflowClient, name: string): Promise<string> {
  let found = await findByName(client, name);
  if (!found) {
    try {
      return (await client.createExperiment(name)).experiment_id;
    } catch (e) {
      if (mlflowErrorCode(e) !== 'RESOURCE_ALREADY_EXISTS') throw e;
      found = await findByName(client, name);
      if (!found) throw e;
    }
  }
  if (found.lifecycle_stage === 'deleted') await client.restoreExperiment(found.experiment_id);
  return found.experiment_id;
}
