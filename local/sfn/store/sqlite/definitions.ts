/**
 * Definition texts stored once, by content hash (`definitions`): every execution row names the
 * text it ran instead of copying it. Hashing and reading back are cached, since a few definitions
 * start nearly every execution.
 */
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { StoreCorruptError } from "../../errors.ts";
import { Lru } from "../../lru.ts";

/** The content hash that names a definition text. */
export function definitionHash(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

export class Definitions {
  private readonly hashes = new Lru<string, string>(256);
  private readonly texts = new Lru<string, string>(256);
  /** Hashes known to be committed, and those written by the open transaction. */
  private readonly stored = new Set<string>();
  private readonly written = new Set<string>();
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insert: db.prepare("INSERT OR IGNORE INTO definitions (hash, text) VALUES (?, ?)"),
      get: db.prepare<[string], { text: string }>("SELECT text FROM definitions WHERE hash = ?"),
    };
  }

  /** Inside a transaction: stores `text` unless it is known to be, and returns its hash. */
  store(text: string): string {
    let hash = this.hashes.get(text);
    if (hash === undefined) {
      hash = definitionHash(text);
      this.hashes.set(text, hash);
      this.texts.set(hash, text);
    }
    if (!this.stored.has(hash) && !this.written.has(hash)) {
      this.s.insert.run(hash, text);
      this.written.add(hash);
    }
    return hash;
  }

  /** The text named by `hash`. */
  text(hash: string): string {
    let text = this.texts.get(hash);
    if (text === undefined) {
      text = this.s.get.get(hash)?.text;
      if (text === undefined) {
        throw new StoreCorruptError(`the definition ${hash} is missing from the store`);
      }
      this.texts.set(hash, text);
    }
    return text;
  }

  /** The transaction committed: what it wrote is stored. */
  committed(): void {
    for (const hash of this.written) this.stored.add(hash);
    this.written.clear();
  }

  /** The transaction rolled back: what it wrote is not (the next insert writes it again). */
  rolledBack(): void {
    this.written.clear();
  }
}
