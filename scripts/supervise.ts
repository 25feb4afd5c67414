import type { ChildProcess } from 'node:child_process';

export interface Death {
  part: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Watches the processes a stack started. The first one to end while nobody asked it to is
 * reported (which one, its exit code or signal) so the caller can stop everything, rather than
 * go on with the API up and the web dead, saying nothing. `release()` before stopping them on
 * purpose.
 */
export function superviseParts(parts: Record<string, ChildProcess>, onDeath: (death: Death) => void): { release(): void } {
  let watching = true;
  const listeners = Object.entries(parts).map(([part, child]) => {
    const listener = (code: number | null, signal: NodeJS.Signals | null) => {
      if (!watching) return;
      watching = false;
      onDeath({ part, code, signal });
    };
    child.once('exit', listener);
    return () => child.off('exit', listener);
  });
  return {
    release() {
      watching = false;
      for (const off of listeners) off();
    },
  };
}

export function describeDeath({ part, code, signal }: Death): string {
  return `The ${part} server stopped (${signal ? `signal ${signal}` : `exit code ${code}`}).`;
}
