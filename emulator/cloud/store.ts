// State plus its journal. A service validates against `state`, then calls `commit` in the same tick: the record is
// applied in memory at once (so a concurrent request already sees it and cannot, say, claim the same device into
// another tenant) and the returned promise resolves once the record is on disk.
import { join } from 'node:path';
import { Journal, replayJournal } from './journal';
import { State, type JournalRecord } from './model';

export class Store {
  readonly state = new State();

  private constructor(
    private readonly journal: Journal,
    /** The state folder: what does not belong in the journal (uploaded image packages) is kept beside it. */
    readonly stateDir: string,
  ) {}

  static async open(stateDir: string): Promise<Store> {
    const path = join(stateDir, 'journal.log');
    const records = replayJournal(path) as JournalRecord[];
    const store = new Store(await Journal.open(path), stateDir);
    for (const r of records) store.state.apply(r);
    return store;
  }

  commit(record: JournalRecord): Promise<void> {
    this.state.apply(record);
    return this.journal.append(record);
  }

  /** Resolves when everything committed so far is durable; responses wait for it so no reply shows unsaved state. */
  durable(): Promise<void> {
    return this.journal.durable();
  }

  journalStats(): { records: number; flushes: number } {
    return { ...this.journal.stats };
  }

  close(): Promise<void> {
    return this.journal.close();
  }
}
