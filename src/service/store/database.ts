/**
 * Opens the SQLite database of the service: WAL (readers never wait for the writer, and a commit
 * survives a killed process), a busy timeout (a second process waits for the lock instead of
 * failing), foreign keys on, then the migrations.
 */
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type { Database } from 'better-sqlite3';

/** Opens (creating if needed) and migrates the database at `path` (`:memory:` for tests). */
export function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    // In WAL mode NORMAL loses no committed transaction when the process dies (only on power loss).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
