export { startFakeGcsServer, type FakeGcsServer } from './lib/fake-gcs-server';
export { startMlflowServer, type MlflowServer } from './lib/mlflow-server';
export { freePort, startProcess, stopProcess, waitForHttp } from './lib/processes';
export { runMlflowPython } from './lib/python';
export { PATIENCE_MS, waitUntil } from './lib/wait';
export { requireTool, toolPaths, workspaceRoot } from './lib/tool-paths';
export { checkProperty, propertyParameters } from './lib/properties';
export { startFaultProxy, type FaultProxy, type FaultTrigger } from './lib/fault-proxy';
export { centreLine, redrawWithPen } from './lib/pen-strokes';
