/**
 * The extension's IndexedDB database (Dexie). Extension pages and the background share one origin, so the popup and
 * options page open the same database — but only the background writes to it; pages only read.
 *
 * Data model and versions: docs/DATA_MODEL.md. Every schema change adds a `version(n)` with its upgrade and a
 * migration test in tests/unit/db.test.ts.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { PageSeenRecord } from './records';

export const databaseName = 'smarttags';

export class SmartTagsDatabase extends Dexie {
  pagesSeen!: EntityTable<PageSeenRecord, 'id'>;

  constructor(name: string = databaseName) {
    super(name);
    this.version(1).stores({
      pagesSeen: '++id, seenAt',
    });
  }
}
