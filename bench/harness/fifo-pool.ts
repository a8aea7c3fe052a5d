/**
 * The pool a hand-written DuckDB server would use: a fixed set of connections, callers
 * served first come, first served. Shared by the peers and the in-process floor, so both
 * queue the way they would in a server.
 */
export interface FifoPool<T> {
  readonly members: readonly T[];
  acquire(): Promise<T>;
  release(member: T): void;
}

export function fifoPool<T>(members: readonly T[]): FifoPool<T> {
  const idle = [...members];
  const waiting: Array<(member: T) => void> = [];
  return {
    members,
    acquire() {
      const member = idle.pop();
      return member !== undefined ? Promise.resolve(member) : new Promise((resolve) => waiting.push(resolve));
    },
    release(member) {
      const next = waiting.shift();
      if (next) next(member);
      else idle.push(member);
    },
  };
}
