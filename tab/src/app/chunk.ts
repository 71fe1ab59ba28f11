import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** A component that lives in a chunk of its own. */
export interface Chunk<P> {
  /** Renders under a Suspense boundary; does not suspend once the chunk is loaded. */
  Component: LazyExoticComponent<ComponentType<P>>;
  /** Downloads the chunk (once; again after a failure), e.g. alongside the API call that needs it. */
  load(): Promise<void>;
}

/**
 * A lazily loaded component that can be fetched ahead of its first render. Plain `React.lazy`
 * suspends on every first render, even when the chunk is already in memory, and React then holds
 * the fallback on screen for at least 300 ms; here a loaded chunk renders at once.
 */
export function chunk<P>(importComponent: () => Promise<ComponentType<P>>): Chunk<P> {
  let loaded: { default: ComponentType<P> } | null = null;
  let pending: Promise<{ default: ComponentType<P> }> | null = null;
  const load = () =>
    (pending ??= importComponent().then(
      (component) => (loaded = { default: component }),
      (error: unknown) => {
        pending = null;
        throw error;
      },
    ));
  const Component = lazy(() => {
    const module = loaded;
    // React.lazy accepts any thenable: one that resolves synchronously is rendered without suspending.
    if (module) return { then: (resolve: (value: typeof module) => void) => resolve(module) } as Promise<typeof module>;
    return load();
  });
  return { Component, load: () => load().then(() => undefined) };
}
