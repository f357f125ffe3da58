import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

export type LiveResult<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

/**
 * Subscribes a component to a Dexie query and re-renders when the background writes to the tables it read.
 * (dexie-react-hooks targets React; this is the few lines Preact needs.)
 */
export function useLiveQuery<T>(query: () => Promise<T>, dependencies: readonly unknown[] = []): LiveResult<T> {
  const [result, setResult] = useState<LiveResult<T>>({ state: 'loading' });
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => setResult({ state: 'ready', value }),
      error: (error: unknown) =>
        setResult({ state: 'failed', message: error instanceof Error ? error.message : String(error) }),
    });
    return () => subscription.unsubscribe();
  }, dependencies);
  return result;
}
