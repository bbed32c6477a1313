import { injectable } from 'tsyringe';

/** Whether the service is shutting down: readiness turns false first, so traffic moves away. */
@injectable()
export class Lifecycle {
  draining = false;
}
