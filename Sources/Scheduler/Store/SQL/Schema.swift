/// The store's schema as numbered migrations, applied in order on open and recorded in
/// `schema_version`. A migration is never edited once released: a change is a new one,
/// so a store written by any older pacbuild can be brought up to date.
enum Schema {
    struct Migration: Sendable {
        let version: Int
        let statements: @Sendable (SQLDialect) -> [String]
    }

    static var latest: Int { migrations.last!.version }

    static let migrations: [Migration] = [
        Migration(version: 1) { dialect in [
            """
            CREATE TABLE builds (
                id \(dialect.serialPrimaryKey),
                repo TEXT NOT NULL, pkgbase TEXT NOT NULL, version TEXT NOT NULL, arch TEXT NOT NULL,
                state TEXT NOT NULL, failure_class TEXT, blocked_by BIGINT,
                priority DOUBLE PRECISION NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
                worker TEXT, lease_expires BIGINT,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                started_at BIGINT, finished_at BIGINT, reviewed_at BIGINT,
                log_ref TEXT, artifacts TEXT, reason TEXT,
                UNIQUE (repo, pkgbase, version))
            """,
            "CREATE INDEX builds_claim ON builds (state, priority DESC, id)",
            "CREATE INDEX builds_lease ON builds (state, lease_expires)",
            "CREATE INDEX builds_package ON builds (repo, pkgbase)",
            """
            CREATE TABLE build_edges (
                build_id BIGINT NOT NULL REFERENCES builds (id),
                depends_on BIGINT NOT NULL REFERENCES builds (id),
                PRIMARY KEY (build_id, depends_on))
            """,
            "CREATE INDEX build_edges_reverse ON build_edges (depends_on)",
            "CREATE TABLE workers (name TEXT PRIMARY KEY, host TEXT NOT NULL, arches TEXT NOT NULL, last_heartbeat BIGINT)",
            """
            CREATE TABLE marks (
                repo TEXT NOT NULL, pkgbase TEXT NOT NULL, version TEXT NOT NULL,
                reason TEXT NOT NULL, marked_at BIGINT NOT NULL,
                PRIMARY KEY (repo, pkgbase, version))
            """,
        ] },
        // Version 2: build history for the planner's priorities; worker tags and slots.
        Migration(version: 2) { dialect in [
            """
            CREATE TABLE history (
                id \(dialect.serialPrimaryKey),
                repo TEXT NOT NULL, pkgbase TEXT NOT NULL, version TEXT NOT NULL,
                seconds DOUBLE PRECISION NOT NULL, finished_at BIGINT NOT NULL)
            """,
            "CREATE INDEX history_package ON history (repo, pkgbase, id)",
            "ALTER TABLE workers ADD COLUMN tags TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE workers ADD COLUMN slots INTEGER NOT NULL DEFAULT 1",
        ] },
        // Version 3: the sha256 of each package file a build reported, so accept can
        // prove it publishes the file that was built.
        Migration(version: 3) { _ in [
            """
            CREATE TABLE artifact_checksums (
                build_id BIGINT NOT NULL REFERENCES builds (id),
                path TEXT NOT NULL, sha256 TEXT NOT NULL,
                PRIMARY KEY (build_id, path))
            """,
        ] },
        // Version 4: files kept with a build, so a waka needs nothing but the store: the
        // PKGBUILD directory as a tar archive (kind 'source', recorded at catchup), and the
        // log and packages a waka uploads (kinds 'log', 'package'). Contents are split in
        // chunks of at most 1 MiB (rows of build_file_chunks, in order of seq); size and
        // sha256 are checked when a file is read back.
        Migration(version: 4) { dialect in [
            """
            CREATE TABLE build_files (
                build_id BIGINT NOT NULL REFERENCES builds (id),
                kind TEXT NOT NULL, name TEXT NOT NULL,
                size BIGINT NOT NULL, sha256 TEXT NOT NULL, chunks INTEGER NOT NULL,
                PRIMARY KEY (build_id, kind, name))
            """,
            """
            CREATE TABLE build_file_chunks (
                build_id BIGINT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, seq INTEGER NOT NULL,
                data \(dialect.blobType) NOT NULL,
                PRIMARY KEY (build_id, kind, name, seq),
                FOREIGN KEY (build_id, kind, name) REFERENCES build_files (build_id, kind, name))
            """,
        ] },
        // Version 5: the tags a worker must have to claim a build (repo `tags` and
        // `[package_tags]`), sorted and comma-joined, '' for none: every build queued
        // before needs no tags and stays claimable by every worker.
        Migration(version: 5) { _ in [
            "ALTER TABLE builds ADD COLUMN required_tags TEXT NOT NULL DEFAULT ''",
        ] },
        // Version 6: when a built build of a `staging = true`
        // repo was published to the repo's staging database. A staged build satisfies its
        // dependents as an accepted one does; every state change clears it, since a build
        // leaves the staging database when it is accepted, rejected, cancelled or blocked.
        Migration(version: 6) { _ in [
            "ALTER TABLE builds ADD COLUMN staged_at BIGINT",
        ] },
        // Version 7: each repo's build settings, recorded at catchup, so a waka needs no
        // configuration directory (docs/distributed.md). makepkg_conf holds the file's
        // contents (NULL: the build root's own), depends_on the repo names separated by
        // spaces, network 0 or 1.
        Migration(version: 7) { _ in [
            """
            CREATE TABLE repo_settings (
                repo TEXT PRIMARY KEY, arch TEXT NOT NULL, sandbox TEXT NOT NULL, makepkg_conf TEXT,
                network INTEGER NOT NULL, depends_on TEXT NOT NULL, review TEXT NOT NULL, updated_at BIGINT NOT NULL)
            """,
        ] },
        // Version 8: where each repo is served
        // (`server`, a pacman.conf Server URL; NULL: nowhere), so a waka without the
        // repo's database fetches the packages older than the plan from there.
        Migration(version: 8) { _ in [
            "ALTER TABLE repo_settings ADD COLUMN server TEXT",
        ] },
        // Version 9: the pass of a build. A member of a dependency cycle is built twice,
        // pass 1 against what is there and pass 2 against pass 1 of every member, so one
        // version of a pkgbase has up to two builds: the identity becomes (repo, pkgbase,
        // version, pass), a unique index `builds_identity`. PostgreSQL drops the old
        // constraint in place; SQLite cannot, so it copies `builds` into a new table
        // without it (ids kept, foreign keys switched off around the migration and
        // checked before it commits: `SQLBackedStore.migrate`).
        Migration(version: 9) { dialect in
            let identity = "CREATE UNIQUE INDEX builds_identity ON builds (repo, pkgbase, version, pass)"
            guard !dialect.canDropConstraints else {
                return [
                    "ALTER TABLE builds ADD COLUMN pass INTEGER NOT NULL DEFAULT 1",
                    "ALTER TABLE builds DROP CONSTRAINT builds_repo_pkgbase_version_key",
                    identity,
                ]
            }
            // the table as migrations 1, 5 and 6 left it, written out again (not shared with
            // migration 1: a released migration never changes), plus pass
            let columns = "id, repo, pkgbase, version, arch, state, failure_class, blocked_by, priority, attempts, worker, "
                + "lease_expires, created_at, updated_at, started_at, finished_at, reviewed_at, log_ref, artifacts, reason, "
                + "required_tags, staged_at"
            return [
                """
                CREATE TABLE builds_v9 (
                    id \(dialect.serialPrimaryKey),
                    repo TEXT NOT NULL, pkgbase TEXT NOT NULL, version TEXT NOT NULL, arch TEXT NOT NULL,
                    state TEXT NOT NULL, failure_class TEXT, blocked_by BIGINT,
                    priority DOUBLE PRECISION NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
                    worker TEXT, lease_expires BIGINT,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                    started_at BIGINT, finished_at BIGINT, reviewed_at BIGINT,
                    log_ref TEXT, artifacts TEXT, reason TEXT,
                    required_tags TEXT NOT NULL DEFAULT '', staged_at BIGINT, pass INTEGER NOT NULL DEFAULT 1)
                """,
                "INSERT INTO builds_v9 (\(columns)) SELECT \(columns) FROM builds",
                "DROP TABLE builds",
                "ALTER TABLE builds_v9 RENAME TO builds",
                "CREATE INDEX builds_claim ON builds (state, priority DESC, id)",
                "CREATE INDEX builds_lease ON builds (state, lease_expires)",
                "CREATE INDEX builds_package ON builds (repo, pkgbase)",
                identity,
            ]
        },
        // Version 10: each package file's `.PKGINFO` facts, as the waka that built it read
        // them, recorded with its report (`PackageFacts` as JSON text: the same column
        // type on both backends, and a field added later needs no migration). Review
        // reads them instead of the package file, which may be on another machine.
        // Builds reported before have none; review then reads their files as before.
        Migration(version: 10) { _ in [
            """
            CREATE TABLE package_facts (
                build_id BIGINT NOT NULL REFERENCES builds (id),
                filename TEXT NOT NULL, facts TEXT NOT NULL,
                PRIMARY KEY (build_id, filename))
            """,
        ] },
        // Version 11: review belongs to the owner alone. A worker name is bound to the
        // login role that registered it (`workers.login_role`; NULL on SQLite, which has
        // no roles, and for names registered before). On PostgreSQL a worker role writes
        // only through SECURITY DEFINER functions that check it holds the build
        // (`WorkerFunctions`), and loses every write privilege it had on the tables.
        Migration(version: 11) { dialect in
            ["ALTER TABLE workers ADD COLUMN login_role TEXT"] + (dialect.hasRoles ? WorkerFunctions.migration11 : [])
        },
        // Version 12: the audit log of what people and scripts did to builds through the
        // web face, its API and the CLI's review commands. Worker roles get no privilege
        // on it (they have none on tables created after version 11).
        Migration(version: 12) { dialect in [
            """
            CREATE TABLE audit_log (
                id \(dialect.serialPrimaryKey),
                at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                build_id BIGINT NOT NULL, detail TEXT NOT NULL)
            """,
            "CREATE INDEX audit_log_build ON audit_log (build_id, id)",
        ] },
        // Version 13: sources the fetch stage downloaded, kept with the build whose waka
        // downloaded them (build_files kind 'download', named after the strongest PKGBUILD
        // sum) and found by that name or by sha256 from any build: a source is
        // downloaded once per farm. A worker role may upload them (`WorkerFunctions.migration13`).
        Migration(version: 13) { dialect in
            ["CREATE INDEX build_files_lookup_sha256 ON build_files (kind, sha256)",
             "CREATE INDEX build_files_lookup_name ON build_files (kind, name)"]
                + (dialect.hasRoles ? WorkerFunctions.migration13 : [])
        },
        // Version 14: the failure class `arch` (the architecture check of built packages);
        // on PostgreSQL the worker's report function accepts it.
        Migration(version: 14) { dialect in dialect.hasRoles ? WorkerFunctions.migration14 : [] },
        // Version 15: the event log notifications are delivered from (`EventLog`).
        Migration(version: 15, statements: EventLog.migration15),
        // Version 16: rebuild sets (docs/review.md#rebuild-sets). A library whose build
        // drops a soname and the rebuilds of its consumers are published together: a set
        // and its members, each with when a maintainer (or auto review) approved it, when
        // it was dropped from the set and when it was published. Members are built builds
        // held back until the set is published. Worker roles get no privilege on these
        // tables (none on tables created after version 11).
        Migration(version: 16) { dialect in [
            """
            CREATE TABLE rebuild_sets (
                id \(dialect.serialPrimaryKey),
                reason TEXT NOT NULL, state TEXT NOT NULL,
                created_at BIGINT NOT NULL, closed_at BIGINT)
            """,
            """
            CREATE TABLE rebuild_set_members (
                set_id BIGINT NOT NULL REFERENCES rebuild_sets (id),
                build_id BIGINT NOT NULL REFERENCES builds (id),
                role TEXT NOT NULL, approved_at BIGINT, dropped_at BIGINT, published_at BIGINT,
                PRIMARY KEY (set_id, build_id))
            """,
            "CREATE INDEX rebuild_set_members_build ON rebuild_set_members (build_id)",
        ] },
        // Version 17: the event `set.published` (`EventLog.migration17`), from a trigger on
        // rebuild_sets, and the set an event is about (`events.set_id`).
        Migration(version: 17, statements: EventLog.migration17),
    ]
}
