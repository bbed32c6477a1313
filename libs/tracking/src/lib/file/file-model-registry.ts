import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalStore } from '@mnist-mlops/storage';
import { stringify } from 'yaml';
import type { LoggedModel, ModelVersion, RunInfo } from '../entities';
import { ModelNotFoundError } from '../errors';
import type { ModelRegistry } from '../model-registry';
import { checkKey, readYaml, sortKeys } from './mlruns-files';

/**
 * The model registry of an `mlruns/` folder, as MLflow's FileStore for the registry lays it
 * out: `models/<name>/meta.yaml`, `version-<n>/meta.yaml` and `aliases/<alias>`.
 */
export class FileModelRegistry implements ModelRegistry {
  readonly location: string;
  private readonly root: string;
  private readonly files = new LocalStore();

  constructor(rootUri: string) {
    this.root = rootUri.startsWith('file:') ? fileURLToPath(rootUri) : resolve(rootUri);
    this.location = this.root;
  }

  async createModelVersion(
    name: string,
    run: RunInfo,
    from: { artifactPath: string } | { model: LoggedModel },
  ): Promise<ModelVersion> {
    const modelDir = join(this.root, 'models', checkKey(name));
    const now = Date.now();
    const existing = await readYaml(join(modelDir, 'meta.yaml'));
    if (!existing) {
      await this.files.write(
        join(modelDir, 'meta.yaml'),
        stringify(
          sortKeys({
            creation_timestamp: now,
            deployment_job_id: null,
            deployment_job_state: null,
            description: null,
            last_updated_timestamp: now,
            name,
            workspace: 'default',
          }),
        ),
      );
    }
    const versions = (await readdir(modelDir).catch(() => []))
      .filter((d) => /^version-\d+$/.test(d))
      .map((d) => Number(d.slice(8)));
    const version = String(Math.max(0, ...versions) + 1);
    const model = 'model' in from ? from.model : undefined;
    const source =
      'model' in from ? `models:/${from.model.modelId}` : `runs:/${run.runId}/${from.artifactPath}`;
    await this.files.write(
      join(modelDir, `version-${version}`, 'meta.yaml'),
      stringify(
        sortKeys({
          creation_timestamp: now,
          current_stage: 'None',
          deployment_job_state: null,
          description: null,
          last_updated_timestamp: now,
          model_id: model?.modelId ?? null,
          name,
          run_id: run.runId,
          run_link: null,
          source,
          status: 'READY',
          status_message: null,
          storage_location: model?.artifactUri ?? source,
          user_id: null,
          version: Number(version),
          workspace: 'default',
        }),
      ),
    );
    await this.touchModel(modelDir, now);
    return {
      name,
      version,
      source,
      runId: run.runId,
      status: 'READY',
      ...(model ? { modelId: model.modelId } : {}),
    };
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    const modelDir = join(this.root, 'models', checkKey(name));
    await this.files.write(join(modelDir, 'aliases', checkKey(alias)), version);
    await this.touchModel(modelDir, Date.now());
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const modelDir = join(this.root, 'models', checkKey(name));
    const version = await readFile(join(modelDir, 'aliases', checkKey(alias)), 'utf8').catch(
      () => undefined,
    );
    if (version === undefined)
      throw new ModelNotFoundError(
        `registered model ${name} has no alias "${alias}" in ${this.root}`,
      );
    return this.getModelVersion(name, version.trim());
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const meta = await readYaml(
      join(this.root, 'models', checkKey(name), `version-${checkKey(version)}`, 'meta.yaml'),
    );
    if (!meta)
      throw new ModelNotFoundError(
        `registered model ${name} has no version ${version} in ${this.root}`,
      );
    return {
      name,
      version: String(meta['version']),
      source: String(meta['source']),
      runId: String(meta['run_id']),
      status: String(meta['status']),
      ...(meta['model_id'] ? { modelId: String(meta['model_id']) } : {}),
    };
  }

  private async touchModel(modelDir: string, now: number): Promise<void> {
    const meta = (await readYaml(join(modelDir, 'meta.yaml'))) ?? {};
    meta['last_updated_timestamp'] = now;
    const aliases: Record<string, string> = {};
    for (const alias of await readdir(join(modelDir, 'aliases')).catch(() => [] as string[])) {
      aliases[alias] = await readFile(join(modelDir, 'aliases', alias), 'utf8');
    }
    if (Object.keys(aliases).length) meta['aliases'] = aliases;
    await this.files.write(join(modelDir, 'meta.yaml'), stringify(sortKeys(meta)));
  }

  async findModelVersions(name: string, runId: string): Promise<ModelVersion[]> {
    const modelDir = join(this.root, 'models', checkKey(name));
    const numbers = (await readdir(modelDir).catch(() => [] as string[]))
      .filter((d) => /^version-\d+$/.test(d))
      .map((d) => Number(d.slice(8)))
      .sort((a, b) => a - b);
    const versions = await Promise.all(numbers.map((n) => this.getModelVersion(name, String(n))));
    return versions.filter((v) => v.runId === runId);
  }
}
