import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../helpers/electron-mock.js'));
const { rendererFileFor } = await import('../../../src/main/protocol.js');

describe('app:// protocol', () => {
  it.each([
    ['app://desktop/', 'index.html'],
    ['app://desktop/index.html', 'index.html'],
    ['app://desktop/#pair', 'index.html'],
    ['app://desktop/ui/app.js', 'app.js'],
    ['app://desktop/ui/styles.css', 'styles.css'],
  ])('serves %s from renderer/%s', (url, file) => {
    expect(rendererFileFor(url)).toBe(file);
  });

  it.each(['app://desktop/ui/../../package.json', 'app://desktop/ui/%2e%2e%2fsrc%2fmain.ts', 'app://desktop/ui/tsconfig.json', 'app://other/ui/app.js', 'app://desktop/src/main/main.ts'])(
    'serves nothing for %s',
    (url) => {
      expect(rendererFileFor(url)).toBeNull();
    },
  );
});
