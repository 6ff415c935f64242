import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import madge from 'madge';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * What counts as an import: static imports and re-exports of values. Type-only imports are left
 * out (TypeScript erases them: they cannot change the order modules are evaluated in, and module
 * manifests name types of i18n, ui and transparency on purpose). Dynamic `import()` is left out too:
 * it runs after every module has been evaluated; modules/registry.ts is the one use (the search
 * indexer reaching MODULES), documented there and in docs/adr/0005.
 */
const DETECTIVE = { skipTypeImports: true, skipAsyncImports: true };

function graphOf(dir: string, tsConfig?: string) {
  return madge(dir, {
    baseDir: dir,
    fileExtensions: ['ts', 'tsx'],
    ...(tsConfig ? { tsConfig } : {}),
    detectiveOptions: { ts: DETECTIVE, tsx: DETECTIVE, es6: DETECTIVE },
  });
}

describe('import circles', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'besa-circles-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('src/ has none', async () => {
    const result = await graphOf(join(root, 'src'), join(root, 'tsconfig.json'));
    const graph = result.obj();
    // madge must really see the graph: `.js` specifiers resolved to the `.ts` and `.tsx` files.
    assert.ok(Object.keys(graph).length > 100, `madge found ${Object.keys(graph).length} files`);
    assert.ok(graph['app.ts']?.includes('modules/index.ts'), 'app.ts imports modules/index.ts');
    assert.ok(graph['modules/index.ts']?.includes('modules/commitments/index.ts'), 'MODULES imports the commitments module');
    assert.ok(graph['modules/transparency/views.tsx']?.includes('modules/transparency/describe.tsx'), 'a .tsx file imports a .tsx file');
    assert.deepEqual(
      result.circular().map((circle) => circle.join(' → ')),
      [],
      'no module imports itself through others (docs/ARCHITECTURE.md, "Import circles")',
    );
  });

  test('the check finds a circle made of `.js` specifiers, and not one through a type-only import', async () => {
    writeFileSync(join(scratch, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
    writeFileSync(join(scratch, 'b.ts'), "import { a } from './a.js';\nimport type { C } from './c.js';\nexport const b = () => a;\nexport type B = C;\n");
    writeFileSync(join(scratch, 'c.ts'), "import type { B } from './b.js';\nexport type C = { b?: B };\n");
    const result = await graphOf(scratch);
    assert.deepEqual(result.circular(), [['a.ts', 'b.ts']]);
  });
});
