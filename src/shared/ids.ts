import { randomUUID } from 'node:crypto';

/** Ids are injected so that tests can predict them where a response must be compared whole. */
export interface Ids {
  uuid(): string;
}

export const randomIds: Ids = { uuid: () => randomUUID() };

/** Deterministic v4-shaped uuids: 00000000-0000-4000-8000-000000000001, ...002, ... */
export class SequentialIds implements Ids {
  #next = 1;

  uuid(): string {
    const n = (this.#next++).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${n}`;
  }
}
