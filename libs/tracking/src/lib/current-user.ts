import { userInfo } from 'node:os';

/** The OS user running the process, as MLflow's Python client records it. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
