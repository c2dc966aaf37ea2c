// Imported first by each component test: jsdom lacks a few browser APIs Ant Design relies on.
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { resetCatalog } from '../catalog/catalogCache';

// findBy…/waitFor wait up to 1 s by default; on a shared 2-core machine running the whole suite,
// an antd form round trip can take longer. This is a ceiling on waiting, not a timing expectation.
configure({ asyncUtilTimeout: 10_000 });

if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

if (!('ResizeObserver' in window)) {
  Object.defineProperty(window, 'ResizeObserver', {
    writable: true,
    value: class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  });
}

// jsdom does not implement pseudo-element styles and logs for every call antd makes.
const computed = window.getComputedStyle.bind(window);
window.getComputedStyle = (elt: Element) => computed(elt);

afterEach(() => {
  cleanup();
  resetCatalog();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
