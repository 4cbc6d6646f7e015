/**
 * Live data without reloads: calls `load` now and every `intervalMs` while the page is visible,
 * keeps the last good value while a refresh is in flight, and never overlaps two requests.
 * `intervalMs = 0` loads once (e.g. a finished execution, which no longer changes).
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again now (after an action), without waiting for the next tick. */
  refresh: () => Promise<void>;
}

export function usePoll<T>(load: () => Promise<T>, deps: unknown[], intervalMs = 2000): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);
  const inFlight = useRef(false);

  const refresh = useCallback(async () => {
    const mine = generation.current;
    inFlight.current = true;
    try {
      const value = await loadRef.current();
      if (mine === generation.current) {
        setData(value);
        setError(undefined);
      }
    } catch (failure) {
      if (mine === generation.current) setError(failure);
    } finally {
      inFlight.current = false;
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  // New inputs: start over (the caller's deps decide when).
  useEffect(() => {
    generation.current += 1;
    setLoading(true);
    setData(undefined);
    void refresh();
    return () => {
      generation.current += 1;
    };
  }, deps);

  useEffect(() => {
    if (intervalMs <= 0) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && !inFlight.current) void refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, refresh]);

  return { data, error, loading, refresh };
}
