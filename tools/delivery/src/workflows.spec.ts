import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { workspaceRoot } from '@mnist-mlops/testing';

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { permissions?: Record<string, string>; environment?: string; steps: Step[] };
type Workflow = {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};

const dir = join(workspaceRoot, '.github/workflows');
const workflows = Object.fromEntries(
  readdirSync(dir).map((file) => [file, parse(readFileSync(join(dir, file), 'utf8')) as Workflow]),
);

describe('GitHub workflows', () => {
  it.each(Object.keys(workflows))('%s pins every action to a full commit SHA', (file) => {
    for (const job of Object.values(workflows[file].jobs)) {
      for (const step of job.steps.filter((s) => s.uses))
        expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
    }
  });

  it.each(Object.keys(workflows))(
    '%s grants read-only contents by default and never interpolates event data into scripts',
    (file) => {
      expect(workflows[file].permissions).toEqual({ contents: 'read' });
      for (const job of Object.values(workflows[file].jobs)) {
        for (const step of job.steps.filter((s) => s.run)) expect(step.run).not.toContain('${{');
      }
    },
  );

  it('gives pull requests no cloud credentials', () => {
    const ci = workflows['ci.yml'];
    expect(Object.keys(ci.on)).toContain('pull_request');
    for (const job of Object.values(ci.jobs)) {
      expect(job.permissions?.['id-token']).toBeUndefined();
      expect(job.steps.some((s) => s.uses?.startsWith('google-github-actions/auth'))).toBe(false);
    }
  });

  it('CI checks formatting and runs lint, tests and builds of affected projects only', () => {
    const runs = workflows['ci.yml'].jobs['checks'].steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('nx format:check');
    expect(runs).toMatch(/nx affected -t lint typecheck --base="\$NX_BASE"/);
    expect(runs).toMatch(/nx affected -t test --base="\$NX_BASE"/);
    expect(runs).toMatch(/nx affected -t build --base="\$NX_BASE"/);
  });

  it('CD applies Terraform and deploys only from the protected environment', () => {
    const cd = workflows['cd.yml'];
    expect(cd.jobs['terraform'].environment).toBe('production');
    expect(cd.jobs['deploy'].environment).toBe('production');
    expect(cd.jobs['terraform'].steps.map((s) => s.run ?? '').join('\n')).toContain(
      'terraform apply -input=false tfplan',
    );
  });
});

describe('MLproject', () => {
  it('keeps the original entry points, each calling an Nx target', () => {
    const project = parse(readFileSync(join(workspaceRoot, 'MLproject'), 'utf8')) as {
      entry_points: Record<string, { command: string }>;
    };
    expect(Object.keys(project.entry_points)).toEqual(['main', 'validate', 'deploy']);
    expect(project.entry_points['main'].command).toMatch(/^npx nx run trainer:main /);
    expect(project.entry_points['validate'].command).toMatch(/^npx nx run trainer:validate /);
  });
});
