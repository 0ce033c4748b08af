// tsc compiles src/ to dist/src/; the files it does not compile (the simulator's page
// sources, templates) are read at run time next to the compiled modules, so they are copied.
// It runs last in every build, so it also stamps the build for scripts/run.mjs.
import { cpSync, writeFileSync } from 'node:fs';

cpSync('src', 'dist/src', {
  recursive: true,
  filter: (src) => !/\.(c|m)?ts$/.test(src) || src.endsWith('.d.ts'),
});
writeFileSync('dist/.build-stamp', `${new Date().toISOString()}\n`);
