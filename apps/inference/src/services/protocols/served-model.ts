import { ApiError } from '../../api/api-error';
import type { LoadedModel } from '../model-service';

/**
 * The model a protocol route names, which must be the one served: one name, one version at a
 * time. No model yet is 503; another name or version is 404.
 */
export function servedModel(
  current: LoadedModel | undefined,
  name: string,
  version?: string,
): LoadedModel {
  if (!current)
    throw new ApiError(503, 'MODEL_NOT_READY', 'no model is loaded yet; try again shortly');
  if (name !== current.name)
    throw new ApiError(
      404,
      'MODEL_NOT_FOUND',
      `model ${JSON.stringify(name)} is not served here; this server serves ${JSON.stringify(current.name)}`,
    );
  if (version !== undefined && version !== current.version)
    throw new ApiError(
      404,
      'MODEL_NOT_FOUND',
      `version ${JSON.stringify(version)} of model ${JSON.stringify(name)} is not served; version ${JSON.stringify(current.version)} is`,
    );
  return current;
}
