import { existsSync } from 'node:fs';
import { join } from 'node:path';

interface ToolPaths {
  root: string;
  /** ~/.cache/mnist-mlops (or under XDG_CACHE_HOME): installed tools and kept artefacts. */
  cacheRoot: string;
  pythonVenv(name: string): { dir: string; bin(tool: string): string };
  goTool(name: string): { bin: string; module: string };
  /** The command line of the local MLflow server, its data under `dir`. */
  mlflowServerArgs(dir: string, port: number): string[];
}

// The same module `npm run setup` uses, so tests find exactly what it installed.
export const toolPaths: ToolPaths = require(
  join(__dirname, '../../../../tools/setup/tool-paths.js'),
);

/** Path of an installed tool, or an error that says to run the setup. */
export function requireTool(kind: 'python' | 'go', name: string, tool = name): string {
  const bin = kind === 'python' ? toolPaths.pythonVenv(name).bin(tool) : toolPaths.goTool(name).bin;
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run setup\` first`);
  return bin;
}

export const workspaceRoot = toolPaths.root;
