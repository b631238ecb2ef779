/// What a worker role may change in a PostgreSQL store, as the store's own functions
/// (migration 11, docs/distributed.md): a worker role has no INSERT, UPDATE, DELETE or
/// TRUNCATE on any table. It reads, and it writes only by calling these SECURITY DEFINER
/// functions, which run as the store's owner with `search_path` pinned to the store's
/// schema (then `pg_temp`, so a temporary table of the caller's cannot stand in for a
/// store table) and check the claim themselves:
///
/// - a worker name belongs to the login role (`session_user`) that registered it
///   (`workers.login_role`); every call naming a worker fails unless the name is the
///   caller's;
/// - renew, release, report and upload act only on a build that is `building` under
///   that name, and only as the lifecycle allows: `ready → building` (claim),
///   `building → ready` (release), `building → built | failed` (report; a worker's
///   failure classes exclude `lost`); uploads are `log` and `package` files only;
/// - the dependents' states a failure changes are computed here from the store
///   (`pacbuild_private_reevaluate`, the SQL twin of `SQLBackedStore.reevaluate`), so a
///   worker cannot make any build ready: only the owner's accept or staging does;
/// - lease expiry moves only builds whose lease ran out by the database server's
///   clock as well as the caller's.
///
/// Authority failures raise SQLSTATE 42501 (insufficient_privilege), like a refused
/// privilege. Functions named `pacbuild_worker_*` are the ones `grant-worker` grants
/// (``entryPoints``); `pacbuild_private_*` are their helpers, executable by no role but
/// the owner. EXECUTE is revoked from PUBLIC (PostgreSQL grants it by default).
///
/// A released migration never changes: these statements are migration 11's, and a
/// change to a function is a later migration's `CREATE OR REPLACE`.
enum WorkerFunctions {
    /// The functions a worker role may execute, with their argument types (GRANT names
    /// a function by its signature).
    static let entryPoints = [
        "pacbuild_worker_register(text, text, text, text, integer, bigint)",
        "pacbuild_worker_heartbeat(text, bigint, bigint)",
        "pacbuild_worker_claim(text, json, json, bigint, bigint)",
        "pacbuild_worker_renew(bigint, text, bigint)",
        "pacbuild_worker_release(bigint, text, bigint)",
        "pacbuild_worker_report_built(bigint, text, bigint, text, text, json, json)",
        "pacbuild_worker_report_failed(bigint, text, bigint, text, text, text)",
        "pacbuild_worker_expire_leases(bigint, integer)",
        "pacbuild_worker_begin_file(bigint, text, text, text, text)",
        "pacbuild_worker_put_chunk(bigint, text, text, text, integer, bytea)",
    ]

    /// Every table of the store (schema 11), for grants and revokes.
    static let tables = ["schema_version", "builds", "build_edges", "workers", "marks", "history", "artifact_checksums",
                         "build_files", "build_file_chunks", "repo_settings", "package_facts"]

    /// Migration 11 on PostgreSQL, after `workers.login_role` is added.
    static let migration11: [String] = dropTriggerGuards + helpers + entryPointDefinitions + [pinAndRevoke, convertOldGrants]

    /// Migration 14 on PostgreSQL: a worker may report the failure class `arch` (the
    /// architecture check); the function is otherwise migration 11's. `CREATE OR REPLACE`
    /// keeps its grants; its pinned `search_path` is set again (``pinAndRevoke``).
    static var migration14: [String] {
        let old = "'limits', 'verification', 'sandbox')"
        guard let definition = entryPointDefinitions.first(where: { $0.contains("pacbuild_worker_report_failed(") && $0.contains(old) }) else {
            preconditionFailure("migration 11's pacbuild_worker_report_failed is not where migration 14 expects it")
        }
        return [definition.replacingOccurrences(of: "CREATE FUNCTION", with: "CREATE OR REPLACE FUNCTION")
            .replacingOccurrences(of: old, with: "'limits', 'verification', 'arch', 'sandbox')"), pinAndRevoke]
    }

    /// The triggers `grant-worker` installed before schema 11: the functions replace them.
    private static let dropTriggerGuards = [
        "DROP TRIGGER IF EXISTS builds_worker_transitions ON builds",
        "DROP TRIGGER IF EXISTS build_files_worker_kinds ON build_files",
        "DROP TRIGGER IF EXISTS build_file_chunks_worker_kinds ON build_file_chunks",
        "DROP FUNCTION IF EXISTS pacbuild_worker_transition_guard()",
        "DROP FUNCTION IF EXISTS pacbuild_worker_file_guard()",
    ]

    /// A failure's cause among a build's dependencies, as `DependencyStatus` combines it:
    /// the lowest id of a failed, rejected or cancelled dependency or of a blocked one's
    /// root cause (`d` is the dependency's row).
    private static let failureCause = """
        min(CASE WHEN d.state IN ('failed', 'rejected', 'cancelled') THEN d.id
                 WHEN d.state = 'blocked' THEN coalesce(d.blocked_by, d.id) END)
        """

    private static let helpers = [
        // The caller's own worker name, or 42501.
        """
        CREATE FUNCTION pacbuild_private_own(p_worker text) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM workers WHERE name = p_worker AND login_role = session_user) THEN
                RAISE EXCEPTION 'worker % is not registered by role %', p_worker, session_user
                    USING ERRCODE = 'insufficient_privilege',
                          HINT = 'a waka registers its name before it claims; a name another role registered is not yours';
            END IF;
        END $$
        """,
        // A build the caller's worker `p_worker` holds, locked, or 42501.
        """
        CREATE FUNCTION pacbuild_private_hold(p_build bigint, p_worker text) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            held record;
        BEGIN
            PERFORM pacbuild_private_own(p_worker);
            SELECT state, worker INTO held FROM builds WHERE id = p_build FOR UPDATE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'no build %', p_build USING ERRCODE = 'no_data_found';
            END IF;
            IF held.state <> 'building' OR held.worker IS DISTINCT FROM p_worker THEN
                RAISE EXCEPTION 'build % is not held by worker % (it is %, held by %)',
                    p_build, p_worker, held.state, coalesce(held.worker, 'nobody')
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
        END $$
        """,
        // An upload to a held build, of a kind a worker writes, or 42501.
        """
        CREATE FUNCTION pacbuild_private_upload(p_build bigint, p_worker text, p_kind text) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pacbuild_private_hold(p_build, p_worker);
            IF p_kind IS NULL OR p_kind NOT IN ('log', 'package') THEN
                RAISE EXCEPTION 'a worker uploads logs and packages, not a % file', p_kind
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
        END $$
        """,
        // SQLBackedStore.reevaluate in SQL: the waiting, blocked, ready or built builds
        // among p_ids move where their dependencies put them (BuildLifecycle's
        // `dependencies` event), then the dependents of those whose blocking changed, and
        // so on. Each round reads every status before it writes, as `settle` does.
        """
        CREATE FUNCTION pacbuild_private_reevaluate(p_ids bigint[], p_now bigint) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            todo bigint[] := p_ids;
            changed bigint[];
            depth integer := 0;
            queued record;
            target text;
        BEGIN
            WHILE cardinality(todo) > 0 AND depth < 10000 LOOP
                depth := depth + 1;
                changed := '{}';
                PERFORM 1 FROM builds WHERE id = ANY (todo) AND state IN ('waiting', 'blocked', 'ready', 'built')
                    ORDER BY id FOR UPDATE;
                FOR queued IN
                    SELECT b.id, b.state, b.blocked_by, \(failureCause) AS cause,
                           coalesce(bool_or(NOT (d.state IN ('accepted', 'superseded')
                                                 OR (d.state = 'built' AND d.staged_at IS NOT NULL))), false) AS pending
                    FROM builds b LEFT JOIN build_edges e ON e.build_id = b.id LEFT JOIN builds d ON d.id = e.depends_on
                    WHERE b.id = ANY (todo) AND b.state IN ('waiting', 'blocked', 'ready', 'built')
                    GROUP BY b.id, b.state, b.blocked_by ORDER BY b.id
                LOOP
                    target := CASE WHEN queued.cause IS NOT NULL THEN 'blocked' WHEN queued.pending THEN 'waiting' ELSE 'ready' END;
                    CONTINUE WHEN queued.state = 'built' AND target <> 'blocked';
                    CONTINUE WHEN target = queued.state AND queued.cause IS NOT DISTINCT FROM queued.blocked_by;
                    UPDATE builds SET state = target, failure_class = NULL, blocked_by = queued.cause, updated_at = p_now,
                        staged_at = NULL WHERE id = queued.id;
                    IF queued.cause IS DISTINCT FROM queued.blocked_by THEN
                        changed := changed || queued.id;
                    END IF;
                END LOOP;
                todo := ARRAY(SELECT DISTINCT build_id FROM build_edges WHERE depends_on = ANY (changed) ORDER BY build_id);
            END LOOP;
        END $$
        """,
    ]

    private static let entryPointDefinitions = [
        // A new name is bound to the caller; its own name is updated; a name registered
        // before schema 11 (no role) is taken over only while it holds no build.
        """
        CREATE FUNCTION pacbuild_worker_register(p_worker text, p_host text, p_arches text, p_tags text, p_slots integer,
                                                 p_heartbeat bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN
            INSERT INTO workers AS w (name, host, arches, tags, slots, last_heartbeat, login_role)
                VALUES (p_worker, p_host, p_arches, p_tags, p_slots, p_heartbeat, session_user)
                ON CONFLICT (name) DO UPDATE SET host = excluded.host, arches = excluded.arches, tags = excluded.tags,
                    slots = excluded.slots, last_heartbeat = excluded.last_heartbeat, login_role = excluded.login_role
                WHERE w.login_role = session_user
                   OR (w.login_role IS NULL AND NOT EXISTS (SELECT 1 FROM builds WHERE worker = p_worker AND state = 'building'));
            IF NOT FOUND THEN
                RAISE EXCEPTION 'worker name % is registered by another role', p_worker
                    USING ERRCODE = 'insufficient_privilege', HINT = 'give this waka another name';
            END IF;
        END $$
        """,
        """
        CREATE FUNCTION pacbuild_worker_heartbeat(p_worker text, p_now bigint, p_lease_expires bigint) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER AS $$
        DECLARE
            renewed integer;
        BEGIN
            PERFORM pacbuild_private_own(p_worker);
            UPDATE workers SET last_heartbeat = p_now WHERE name = p_worker;
            UPDATE builds SET lease_expires = p_lease_expires WHERE worker = p_worker AND state = 'building';
            GET DIAGNOSTICS renewed = ROW_COUNT;
            RETURN renewed;
        END $$
        """,
        // The claim statement of SQLBackedStore.claim; p_arches includes 'any'.
        """
        CREATE FUNCTION pacbuild_worker_claim(p_worker text, p_arches json, p_tags json, p_now bigint,
                                              p_lease_expires bigint) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER AS $$
        DECLARE
            arches text[] := ARRAY(SELECT json_array_elements_text(p_arches));
            tags text[] := ARRAY(SELECT json_array_elements_text(p_tags));
            claimed bigint;
        BEGIN
            PERFORM pacbuild_private_own(p_worker);
            UPDATE builds SET state = 'building', worker = p_worker, lease_expires = p_lease_expires, started_at = p_now,
                updated_at = p_now
                WHERE id = (SELECT id FROM builds WHERE state = 'ready' AND arch = ANY (arches)
                            AND (required_tags = '' OR string_to_array(required_tags, ',') <@ tags)
                            ORDER BY priority DESC, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id INTO claimed;
            RETURN claimed;
        END $$
        """,
        """
        CREATE FUNCTION pacbuild_worker_renew(p_build bigint, p_worker text, p_lease_expires bigint) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN
            PERFORM pacbuild_private_hold(p_build, p_worker);
            UPDATE builds SET lease_expires = p_lease_expires WHERE id = p_build;
        END $$
        """,
        """
        CREATE FUNCTION pacbuild_worker_release(p_build bigint, p_worker text, p_now bigint) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN
            PERFORM pacbuild_private_hold(p_build, p_worker);
            UPDATE builds SET state = 'ready', failure_class = NULL, blocked_by = NULL, updated_at = p_now, staged_at = NULL,
                worker = NULL, lease_expires = NULL, started_at = NULL WHERE id = p_build;
        END $$
        """,
        // p_checksums: {path: sha256}; p_facts: {filename: the PackageFacts JSON text}.
        """
        CREATE FUNCTION pacbuild_worker_report_built(p_build bigint, p_worker text, p_now bigint, p_log text, p_artifacts text,
                                                     p_checksums json, p_facts json) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER AS $$
        DECLARE
            held record;
            cause bigint;
        BEGIN
            PERFORM pacbuild_private_hold(p_build, p_worker);
            SELECT repo, pkgbase, version, started_at INTO held FROM builds WHERE id = p_build;
            UPDATE builds SET state = 'built', failure_class = NULL, blocked_by = NULL, updated_at = p_now, staged_at = NULL,
                lease_expires = NULL, finished_at = p_now, log_ref = p_log, artifacts = p_artifacts WHERE id = p_build;
            DELETE FROM artifact_checksums WHERE build_id = p_build;
            INSERT INTO artifact_checksums (build_id, path, sha256)
                SELECT p_build, key, value FROM json_each_text(coalesce(p_checksums, '{}')) ORDER BY key;
            DELETE FROM package_facts WHERE build_id = p_build;
            INSERT INTO package_facts (build_id, filename, facts)
                SELECT p_build, key, value FROM json_each_text(coalesce(p_facts, '{}')) ORDER BY key;
            IF held.started_at IS NOT NULL THEN
                INSERT INTO history (repo, pkgbase, version, seconds, finished_at)
                    VALUES (held.repo, held.pkgbase, held.version, (p_now - held.started_at) / 1000.0, p_now);
            END IF;
            -- A staged dependency rejected while this built against it.
            SELECT \(failureCause) INTO cause FROM build_edges e JOIN builds d ON d.id = e.depends_on WHERE e.build_id = p_build;
            IF cause IS NOT NULL THEN
                UPDATE builds SET state = 'blocked', failure_class = NULL, blocked_by = cause, updated_at = p_now, staged_at = NULL
                    WHERE id = p_build;
                PERFORM pacbuild_private_reevaluate(
                    ARRAY(SELECT DISTINCT build_id FROM build_edges WHERE depends_on = p_build ORDER BY build_id), p_now);
            END IF;
        END $$
        """,
        """
        CREATE FUNCTION pacbuild_worker_report_failed(p_build bigint, p_worker text, p_now bigint, p_class text, p_reason text,
                                                      p_log text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN
            PERFORM pacbuild_private_hold(p_build, p_worker);
            IF p_class IS NULL OR p_class NOT IN ('source', 'prepare', 'build', 'check', 'package', 'dependencies', 'timeout',
                                                  'limits', 'verification', 'sandbox') THEN
                RAISE EXCEPTION 'a worker cannot report a build failed with class %', p_class
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            UPDATE builds SET state = 'failed', failure_class = p_class, blocked_by = NULL, updated_at = p_now, staged_at = NULL,
                lease_expires = NULL, finished_at = p_now, log_ref = p_log, reason = p_reason WHERE id = p_build;
            PERFORM pacbuild_private_reevaluate(
                ARRAY(SELECT DISTINCT build_id FROM build_edges WHERE depends_on = p_build ORDER BY build_id), p_now);
        END $$
        """,
        // The server's clock bounds the caller's: a worker cannot expire a lease early by
        // claiming a later time.
        """
        CREATE FUNCTION pacbuild_worker_expire_leases(p_now bigint, p_retry_limit integer) RETURNS SETOF bigint
        LANGUAGE plpgsql SECURITY DEFINER AS $$
        DECLARE
            cutoff bigint := least(p_now, (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
            lost record;
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM workers WHERE login_role = session_user) THEN
                RAISE EXCEPTION 'role % has registered no worker', session_user USING ERRCODE = 'insufficient_privilege';
            END IF;
            FOR lost IN SELECT id, attempts FROM builds WHERE state = 'building' AND lease_expires < cutoff
                        ORDER BY id FOR UPDATE SKIP LOCKED LOOP
                IF lost.attempts + 1 > coalesce(p_retry_limit, 3) THEN
                    UPDATE builds SET state = 'failed', failure_class = 'lost', blocked_by = NULL, updated_at = p_now,
                        staged_at = NULL, attempts = lost.attempts + 1, worker = NULL, lease_expires = NULL WHERE id = lost.id;
                    PERFORM pacbuild_private_reevaluate(
                        ARRAY(SELECT DISTINCT build_id FROM build_edges WHERE depends_on = lost.id ORDER BY build_id), p_now);
                ELSE
                    UPDATE builds SET state = 'ready', failure_class = NULL, blocked_by = NULL, updated_at = p_now,
                        staged_at = NULL, attempts = lost.attempts + 1, worker = NULL, lease_expires = NULL WHERE id = lost.id;
                END IF;
                RETURN NEXT lost.id;
            END LOOP;
        END $$
        """,
        // SQLBackedStore.putFile's first statements: the file's row, replacing one of that name.
        """
        CREATE FUNCTION pacbuild_worker_begin_file(p_build bigint, p_worker text, p_kind text, p_name text, p_sha256 text)
        RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN
            PERFORM pacbuild_private_upload(p_build, p_worker, p_kind);
            DELETE FROM build_file_chunks WHERE build_id = p_build AND kind = p_kind AND name = p_name;
            DELETE FROM build_files WHERE build_id = p_build AND kind = p_kind AND name = p_name;
            INSERT INTO build_files (build_id, kind, name, size, sha256, chunks) VALUES (p_build, p_kind, p_name, 0, p_sha256, 0);
        END $$
        """,
        // The next chunk, in order; the row's size and count follow the chunks written.
        """
        CREATE FUNCTION pacbuild_worker_put_chunk(p_build bigint, p_worker text, p_kind text, p_name text, p_seq integer,
                                                  p_data bytea) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN
            PERFORM pacbuild_private_upload(p_build, p_worker, p_kind);
            UPDATE build_files SET size = size + length(p_data), chunks = chunks + 1
                WHERE build_id = p_build AND kind = p_kind AND name = p_name AND chunks = p_seq;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'build % has no % file % waiting for chunk %', p_build, p_kind, p_name, p_seq
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            INSERT INTO build_file_chunks (build_id, kind, name, seq, data) VALUES (p_build, p_kind, p_name, p_seq, p_data);
        END $$
        """,
    ]

    /// Every function above: `search_path` pinned to the store's schema, then `pg_temp`
    /// (searched last, so never for a store table), and no EXECUTE for PUBLIC.
    static let pinAndRevoke = """
        DO $$
        DECLARE
            store_schema name := (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                  WHERE c.oid = 'builds'::regclass);
            f regprocedure;
        BEGIN
            FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = store_schema
                     AND (p.proname LIKE 'pacbuild\\_worker\\_%' OR p.proname LIKE 'pacbuild\\_private\\_%') LOOP
                EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, store_schema);
                EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
            END LOOP;
        END $$
        """

    /// Roles `grant-worker` gave write privileges before schema 11 lose every write
    /// privilege on the store's tables and may call the worker functions instead, so an
    /// upgrade closes what the old grants opened without breaking the wakas using them.
    /// (The tables written out: this is migration 11's list, not ``tables``.)
    private static let convertOldGrants = """
        DO $$
        DECLARE
            store_owner oid := (SELECT relowner FROM pg_class WHERE oid = 'builds'::regclass);
            store_schema name := (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                  WHERE c.oid = 'builds'::regclass);
            store_tables regclass[] := ARRAY['schema_version', 'builds', 'build_edges', 'workers', 'marks', 'history',
                                             'artifact_checksums', 'build_files', 'build_file_chunks', 'repo_settings',
                                             'package_facts']::regclass[];
            writer oid;
            t regclass;
            f regprocedure;
        BEGIN
            FOR writer IN
                SELECT a.grantee FROM pg_class c, aclexplode(c.relacl) a
                    WHERE c.oid = ANY (store_tables) AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')
                UNION
                SELECT a.grantee FROM pg_attribute c, aclexplode(c.attacl) a
                    WHERE c.attrelid = ANY (store_tables) AND a.privilege_type IN ('INSERT', 'UPDATE')
            LOOP
                CONTINUE WHEN writer = store_owner;
                FOREACH t IN ARRAY store_tables LOOP
                    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %s FROM %s', t,
                                   CASE WHEN writer = 0 THEN 'PUBLIC' ELSE writer::regrole::text END);
                END LOOP;
                CONTINUE WHEN writer = 0;
                EXECUTE format('REVOKE ALL ON SEQUENCE history_id_seq FROM %s', writer::regrole);
                FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                         WHERE n.nspname = store_schema AND p.proname LIKE 'pacbuild\\_worker\\_%' LOOP
                    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %s', f, writer::regrole);
                END LOOP;
            END LOOP;
        END $$
        """
}
