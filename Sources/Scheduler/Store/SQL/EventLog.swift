/// The event log notifications are delivered from (schema 15, ``StoreEvent``).
///
/// `events` is written by a trigger on `builds` (SQLite: a trigger body; PostgreSQL: a
/// SECURITY DEFINER function, since a worker role has no privilege on the table, whose
/// `search_path` ``WorkerFunctions/pinAndRevoke`` pins like the worker functions'), one
/// row per kind whose condition the update meets, with the build's columns as they are
/// after it. The text is written out here, not made from ``StoreEvent/Kind``: a released
/// migration never changes, and a new kind is a later migration's `CREATE OR REPLACE`.
///
/// `id` is unique but, on PostgreSQL, not in commit order: a transaction that took id 10
/// may commit after one that took 11. A cursor over ids would then skip 10 for good.
/// Events are therefore numbered (`seq`) by the reader, under a lock, in the order they
/// become visible (``SQLBackedStore/numberNewEvents()``); cursors count `seq`.
///
/// A later migration that copies `builds` into a new table (as SQLite's migration 9 did)
/// drops the trigger with the old table and must create it again.
///
/// `notify_cursors`: each target's last delivered `seq`, and who delivers to it now
/// (`holder` until `held_until`, the store's clock in ms), so two notifiers (`serve` and
/// a cron `pacbuild notify --once`) never send one event to one target twice at once.
enum EventLog {
    static func migration15(_ dialect: SQLDialect) -> [String] {
        let tables = [
            """
            CREATE TABLE events (
                id \(dialect.serialPrimaryKey), seq BIGINT,
                at BIGINT NOT NULL, kind TEXT NOT NULL, build_id BIGINT NOT NULL,
                repo TEXT NOT NULL, pkgbase TEXT NOT NULL, version TEXT NOT NULL, arch TEXT NOT NULL, pass INTEGER NOT NULL,
                state TEXT NOT NULL, failure_class TEXT, reason TEXT, worker TEXT)
            """,
            "CREATE UNIQUE INDEX events_seq ON events (seq)",
            "CREATE INDEX events_unnumbered ON events (id) WHERE seq IS NULL",
            "CREATE TABLE notify_cursors (target TEXT PRIMARY KEY, delivered BIGINT NOT NULL, holder TEXT, held_until BIGINT)",
        ]
        let conditions = [
            ("build.failed", "NEW.state = 'failed' AND OLD.state <> 'failed'"),
            ("worker.lost", "OLD.state = 'building' AND NEW.attempts > OLD.attempts"),
            ("review.waiting", "NEW.state = 'built' AND OLD.state <> 'built' "
                + "AND NOT EXISTS (SELECT 1 FROM repo_settings r WHERE r.repo = NEW.repo AND r.review = 'auto')"),
            ("build.staged", "NEW.staged_at IS NOT NULL AND OLD.staged_at IS NULL"),
            ("build.accepted", "NEW.state = 'accepted' AND OLD.state <> 'accepted'"),
            ("build.rejected", "NEW.state = 'rejected' AND OLD.state <> 'rejected'"),
        ]
        let inserts = conditions.map { kind, condition in
            "INSERT INTO events (at, kind, build_id, repo, pkgbase, version, arch, pass, state, failure_class, reason, worker) "
                + "SELECT NEW.updated_at, '\(kind)', NEW.id, NEW.repo, NEW.pkgbase, NEW.version, NEW.arch, NEW.pass, "
                + "NEW.state, NEW.failure_class, NEW.reason, COALESCE(OLD.worker, NEW.worker) WHERE \(condition);"
        }.joined(separator: "\n")
        let columns = "state, attempts, staged_at"
        guard dialect.hasRoles else {
            return tables + ["CREATE TRIGGER builds_events AFTER UPDATE OF \(columns) ON builds\nBEGIN\n\(inserts)\nEND"]
        }
        return tables + [
            """
            CREATE FUNCTION pacbuild_private_builds_events() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
            BEGIN
            \(inserts)
            RETURN NEW;
            END $$
            """,
            "CREATE TRIGGER builds_events AFTER UPDATE OF \(columns) ON builds FOR EACH ROW EXECUTE FUNCTION pacbuild_private_builds_events()",
            WorkerFunctions.pinAndRevoke,
        ]
    }

    /// Migration 17: `set.published`, one event when a rebuild set is published (its
    /// state becomes `published`, in the transaction that publishes or drops its last
    /// live member). The event's build columns are the set's library (its first member
    /// when the library row is missing), `set_id` the set: its members are read with the
    /// event (``SQLBackedStore/publishedSet(_:_:)``), and a published set never changes.
    static func migration17(_ dialect: SQLDialect) -> [String] {
        let insert = """
            INSERT INTO events (at, kind, build_id, repo, pkgbase, version, arch, pass, state, failure_class, reason, worker, set_id)
            SELECT COALESCE(NEW.closed_at, NEW.created_at), 'set.published', b.id, b.repo, b.pkgbase, b.version, b.arch, b.pass,
                   b.state, NULL, NULL, NULL, NEW.id
            FROM rebuild_set_members m JOIN builds b ON b.id = m.build_id
            WHERE m.set_id = NEW.id AND NEW.state = 'published' AND OLD.state <> 'published'
            ORDER BY CASE WHEN m.role = 'library' THEN 0 ELSE 1 END, m.build_id LIMIT 1;
            """
        let column = "ALTER TABLE events ADD COLUMN set_id BIGINT"
        guard dialect.hasRoles else {
            return [column, "CREATE TRIGGER rebuild_sets_events AFTER UPDATE OF state ON rebuild_sets\nBEGIN\n\(insert)\nEND"]
        }
        return [
            column,
            """
            CREATE FUNCTION pacbuild_private_rebuild_sets_events() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
            BEGIN
            \(insert)
            RETURN NEW;
            END $$
            """,
            "CREATE TRIGGER rebuild_sets_events AFTER UPDATE OF state ON rebuild_sets FOR EACH ROW "
                + "EXECUTE FUNCTION pacbuild_private_rebuild_sets_events()",
            WorkerFunctions.pinAndRevoke,
        ]
    }

    /// Taken before numbering: PostgreSQL's readers number one at a time (SQLite's
    /// immediate transaction already excludes other writers).
    static func numberingLock(_ dialect: SQLDialect) -> String? {
        dialect.hasRoles ? "SELECT pg_advisory_xact_lock(7261015)" : nil
    }
}
