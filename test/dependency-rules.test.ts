import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { afterEach, describe, expect, it } from 'vitest';
import config from '../.dependency-cruiser.json';

/**
 * The layering rules `npm run lint` enforces (.dependency-cruiser.json), run on a small tree laid
 * out like the project's: clean, it passes; each deliberate breach is reported by its rule.
 */

// Fixture sources quote module names with " so the repository-boundary scan does not read them as
// this file's own imports.
type Tree = Record<string, string>;

const CLEAN: Tree = {
  'lambda/handler.ts': `import { run } from "./use-cases/run";\nexport const handler = run;\n`,
  'lambda/use-cases/run.ts': `import type { Port } from "../domain/port";\nimport { pure } from "../domain/pure";\nexport const run = (port: Port) => pure(port);\n`,
  'lambda/domain/port.ts': 'export interface Port {\n  readonly name: string;\n}\n',
  'lambda/domain/shared/zod.ts': `export * from "zod/mini";\n`,
  'lambda/domain/pure.ts': `import type { Port } from "./port";\nimport * as z from "./shared/zod";\nexport const pure = (port: Port) => z.string().parse(port.name);\n`,
  'lambda/adapters/client.ts': `import type { Port } from "../domain/port";\nexport const client: Port = { name: "client" };\n`,
  'lambda/composition.ts': `import { client } from "./adapters/client";\nimport { run } from "./use-cases/run";\nexport const start = () => run(client);\n`,
  'lambda/cli/main.ts': `import type { Port } from "../domain/port";\nimport type { client } from "../adapters/client";\nimport { start } from "../composition";\nexport const main = (_port?: Port, _client?: typeof client) => start();\n`,
  'dev/tool.ts': `import { run } from "../lambda/use-cases/run";\nexport const tool = run;\n`,
  'bench/probe.ts': 'export const probe = 1;\n',
};

const { tsConfig: _cliOnly, ...options } = config.options;
const dirs: string[] = [];

async function violations(changes: Tree): Promise<Array<{ rule: string; from: string; to: string }>> {
  const root = await mkdtemp(join(tmpdir(), 'dependency-rules-'));
  dirs.push(root);
  for (const [file, text] of Object.entries({ ...CLEAN, ...changes })) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), text);
  }
  // zod resolves from the project's node_modules, as it does for the real tree.
  await writeFile(join(root, 'package.json'), '{"name":"tree","private":true}\n');
  const { output } = await cruise(
    ['lambda', 'dev', 'bench'],
    {
      ...(options as Parameters<typeof cruise>[1]),
      baseDir: root,
      validate: true,
      ruleSet: { forbidden: config.forbidden } as NonNullable<Parameters<typeof cruise>[1]>['ruleSet'],
    },
    { modules: [join(process.cwd(), 'node_modules'), 'node_modules'] },
  );
  return (output as ICruiseResult).summary.violations.map((violation) => ({
    rule: violation.rule.name,
    from: violation.from,
    to: violation.to,
  }));
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the layering rules of npm run lint', () => {
  it('pass a tree whose domain is pure, whose use cases use ports and whose handler ships no dev code', async () => {
    expect(await violations({})).toEqual([]);
  });

  it('reject a domain module that imports an adapter', async () => {
    const result = await violations({
      'lambda/domain/pure.ts': `import { client } from "../adapters/client";\nexport const pure = () => client.name;\n`,
    });
    expect(result).toContainEqual({
      rule: 'domain-is-pure',
      from: 'lambda/domain/pure.ts',
      to: 'lambda/adapters/client.ts',
    });
  });

  it('reject a module that takes zod from the package instead of domain/shared/zod.ts', async () => {
    const result = await violations({
      'lambda/adapters/client.ts': `import * as z from "zod";\nexport const client = { name: z.string().parse("client") };\n`,
    });
    expect(result).toEqual([
      {
        rule: 'zod-through-domain-zod',
        from: 'lambda/adapters/client.ts',
        to: expect.stringMatching(/node_modules\/zod\//),
      },
    ]);
  });

  it('reject a domain module that imports a package other than zod (an AWS SDK client)', async () => {
    const result = await violations({
      'lambda/domain/pure.ts': `import { S3Client } from "@aws-sdk/client-s3";\nexport const pure = () => new S3Client({});\n`,
    });
    expect(result).toContainEqual({
      rule: 'domain-is-pure',
      from: 'lambda/domain/pure.ts',
      to: expect.stringMatching(/node_modules\/@aws-sdk\/client-s3\//),
    });
  });

  it('reject a domain module that imports a node: built-in', async () => {
    const result = await violations({
      'lambda/domain/pure.ts': `import { createHash } from "node:crypto";\nexport const pure = () => createHash("sha256");\n`,
    });
    expect(result.map((violation) => violation.rule)).toEqual(['domain-is-pure']);
  });

  it.each([
    [
      'statistics reads the alerts',
      'lambda/domain/statistics/day.ts',
      'lambda/domain/alerts/rule.ts',
      'statistics-below-its-readers',
    ],
    [
      'shared reads statistics',
      'lambda/domain/shared/time.ts',
      'lambda/domain/statistics/day.ts',
      'shared-reads-no-other-folder',
    ],
    [
      'curated reads the day through the digest',
      'lambda/domain/curated/table.ts',
      'lambda/domain/digest/day-data.ts',
      'no-statistics-through-the-digest',
    ],
    [
      'an alert reads the digest',
      'lambda/domain/alerts/rule.ts',
      'lambda/domain/digest/day-data.ts',
      'no-statistics-through-the-digest',
    ],
  ])('reject a domain folder that reads one above it (%s)', async (_case, from, to, rule) => {
    const target = `../${to.split('/').slice(2).join('/').replace(/\.ts$/, '')}`;
    const result = await violations({
      [to]: 'export const figure = 1;\n',
      [from]: `import { figure } from "${target}";\nexport const reader = () => figure;\n`,
    });
    expect(result).toEqual([{ rule, from, to }]);
  });

  it('pass the statistics module read by alerts, digest and curated', async () => {
    const result = await violations({
      'lambda/domain/statistics/day.ts': 'export const figure = 1;\n',
      'lambda/domain/alerts/rule.ts': `import { figure } from "../statistics/day";\nexport const rule = figure;\n`,
      'lambda/domain/curated/table.ts': `import { figure } from "../statistics/day";\nexport const table = figure;\n`,
      'lambda/domain/digest/day-data.ts': `import { rule } from "../alerts/rule";\nimport { figure } from "../statistics/day";\nexport const day = rule + figure;\n`,
    });
    expect(result).toEqual([]);
  });

  it('reject a use case that imports an adapter', async () => {
    const result = await violations({
      'lambda/use-cases/run.ts': `import { client } from "../adapters/client";\nexport const run = () => client.name;\n`,
    });
    expect(result).toContainEqual({
      rule: 'use-cases-import-no-adapter',
      from: 'lambda/use-cases/run.ts',
      to: 'lambda/adapters/client.ts',
    });
  });

  it('reject an adapter built outside the composition root (a CLI module importing it), but not a type-only import', async () => {
    const result = await violations({
      'lambda/cli/main.ts': `import { client } from "../adapters/client";\nimport { run } from "../use-cases/run";\nrun(client);\n`,
    });
    expect(result).toEqual([
      { rule: 'adapters-only-in-composition', from: 'lambda/cli/main.ts', to: 'lambda/adapters/client.ts' },
    ]);
  });

  it.each([
    'lambda/handler/create-handler.ts',
    'lambda/cli/run-cli.ts',
    'lambda/cli/rules-command.ts',
    'lambda/cli/sql-command.ts',
  ])(
    'reject an adapter built in %s, which once bypassed the composition root: no exception is left',
    async (file) => {
      const result = await violations({
        [file]: `import { client } from "../adapters/client";\nexport const edge = () => client.name;\n`,
      });
      expect(result).toEqual([
        { rule: 'adapters-only-in-composition', from: file, to: 'lambda/adapters/client.ts' },
      ]);
    },
  );

  it('reject an adapter that takes its port from a use case instead of the domain, even type-only', async () => {
    const result = await violations({
      'lambda/use-cases/run.ts': `import type { Port } from "../domain/port";\nimport { pure } from "../domain/pure";\nexport interface RulesPort {\n  readonly text: string;\n}\nexport const run = (port: Port) => pure(port);\n`,
      'lambda/adapters/client.ts': `import type { Port } from "../domain/port";\nimport type { RulesPort } from "../use-cases/run";\nexport const client: Port = { name: "client" };\nexport const rules: RulesPort = { text: "" };\n`,
    });
    expect(result).toEqual([
      {
        rule: 'adapters-implement-domain-ports',
        from: 'lambda/adapters/client.ts',
        to: 'lambda/use-cases/run.ts',
      },
    ]);
  });

  it('reject a use case that reaches into the CLI or the composition root instead of a domain port', async () => {
    const result = await violations({
      'lambda/use-cases/run.ts': `import type { Port } from "../domain/port";\nimport { start } from "../composition";\nexport const run = (port: Port) => (port ? undefined : start);\n`,
    });
    expect(result).toContainEqual({
      rule: 'ports-only-in-domain',
      from: 'lambda/use-cases/run.ts',
      to: 'lambda/composition.ts',
    });
  });

  it('reject an import cycle, even one made of type-only imports', async () => {
    const result = await violations({
      'lambda/domain/port.ts': `import type { pure } from "./pure";\nexport interface Port {\n  readonly name: string;\n  readonly next?: typeof pure;\n}\n`,
    });
    expect(result).toEqual([
      { rule: 'no-cycles', from: 'lambda/domain/port.ts', to: 'lambda/domain/pure.ts' },
    ]);
  });

  it.each([
    ['dev/', `import { tool } from "../../dev/tool";\nexport const run = () => tool;\n`, 'dev/tool.ts'],
    [
      'bench/',
      `import { probe } from "../../bench/probe";\nexport const run = () => probe;\n`,
      'bench/probe.ts',
    ],
  ])('reject anything under %s that the handler can reach', async (_where, useCase, reached) => {
    const result = await violations({ 'lambda/use-cases/run.ts': useCase });
    expect(result).toContainEqual({
      rule: 'handler-ships-no-dev-code',
      from: 'lambda/handler.ts',
      to: reached,
    });
  });

  it('reject the CLI reachable from the handler', async () => {
    const result = await violations({
      'lambda/handler.ts': `import "../lambda/cli/main";\nexport const handler = () => undefined;\n`,
    });
    expect(result).toContainEqual({
      rule: 'handler-ships-no-dev-code',
      from: 'lambda/handler.ts',
      to: 'lambda/cli/main.ts',
    });
  });
});
