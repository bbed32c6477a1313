export { startFakeGcsServer, type FakeGcsServer } from './lib/fake-gcs-server';
export { startMlflowServer, type MlflowServer } from './lib/mlflow-server';
export { freePort, startProcess, stopProcess, waitForHttp } from './lib/processes';
export { runMlflowPython } from './lib/python';
export { requireTool, toolPaths, workspaceRoot } from './lib/tool-paths';
