import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

export type LiveResult<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

const loading = { state: 'loading' } as const;

function sameDependencies(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, index) => Object.is(value, b[index]));
}

/**
 * Subscribes a component to a Dexie query and re-renders when the background writes to the tables it read.
 * (dexie-react-hooks targets React; this is the few lines Preact needs.) A result belongs to the dependencies it was
 * read for: when they change (another period, another tag) the hook says `loading` until the new result arrives,
 * rather than showing the old figures under the new choice.
 */
export function useLiveQuery<T>(query: () => Promise<T>, dependencies: readonly unknown[] = []): LiveResult<T> {
  const [entry, setEntry] = useState<{ dependencies: readonly unknown[]; result: LiveResult<T> }>({
    dependencies,
    result: loading,
  });
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => setEntry({ dependencies, result: { state: 'ready', value } }),
      error: (error: unknown) =>
        setEntry({
          dependencies,
          result: { state: 'failed', message: error instanceof Error ? error.message : String(error) },
        }),
    });
    return () => subscription.unsubscribe();
  }, dependencies);
  return sameDependencies(entry.dependencies, dependencies) ? entry.result : loading;
}
