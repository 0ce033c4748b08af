// tsc compiles src/ to dist/src/; the files it does not compile (the simulator's page
// sources, templates) are read at run time next to the compiled modules, so they are copied.
import { cpSync } from 'node:fs';

cpSync('src', 'dist/src', {
  recursive: true,
  filter: (src) => !/\.(c|m)?ts$/.test(src) || src.endsWith('.d.ts'),
});
