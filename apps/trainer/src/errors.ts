import { ConfigError } from '@mnist-mlops/config';
import { DatasetError, IdxFormatError } from '@mnist-mlops/data';
import { ModelLoadError, ModelSaveError, ModelSourceError } from '@mnist-mlops/model';
import { BackendUnavailableError } from '@mnist-mlops/compute';
import { BlobNotFoundError, UnsupportedLocationError } from '@mnist-mlops/storage';
import {
  ModelNotFoundError,
  TrackingRequestError,
  TrackingUnavailableError,
  UnsupportedTrackingUriError,
} from '@mnist-mlops/tracking';
import { ReplayNotApplicableError } from './use-cases/replay-spool';
import { SweepFailedError } from './use-cases/run-sweep';
import { SweepFileError } from './sweeps/sweep-plan';

/** Exit code for bad usage or configuration (as with sysexits' EX_USAGE family). */
export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

/** Errors whose message alone tells the user what to fix: printed without a stack trace. */
const EXPECTED = [
  ConfigError,
  DatasetError,
  IdxFormatError,
  BackendUnavailableError,
  ModelLoadError,
  ModelSaveError,
  ModelSourceError,
  ModelNotFoundError,
  BlobNotFoundError,
  UnsupportedLocationError,
  TrackingRequestError,
  TrackingUnavailableError,
  UnsupportedTrackingUriError,
  ReplayNotApplicableError,
  SweepFileError,
  SweepFailedError,
];

export function describeFailure(error: unknown): {
  message: string;
  exitCode: number;
  expected: boolean;
} {
  if (error instanceof ConfigError) {
    return {
      message: `invalid configuration: ${error.message.split('\n').join('; ')}`,
      exitCode: EXIT_USAGE,
      expected: true,
    };
  }
  const expected = EXPECTED.some((type) => error instanceof type);
  const message = error instanceof Error ? error.message : String(error);
  return { message, exitCode: EXIT_FAILURE, expected };
}
