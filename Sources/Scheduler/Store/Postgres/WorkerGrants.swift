import Foundation

/// The PostgreSQL privileges of a worker (a remote waka): it may register, heartbeat,
/// claim, renew, release, report and upload its build's files, but not accept, reject,
/// cancel, retry, re-prioritize, mark or queue builds (docs/distributed.md).
///
/// Two layers: column and table privileges (a worker can update only the columns a
/// claim, lease or report writes, so `accept`'s `reviewed_at` and `setPriority`'s
/// `priority` are refused outright; it cannot insert builds or touch marks), and a
/// trigger on `builds` that lets a role other than the table's owner make only the
/// transitions a worker makes (ready → building; building → building, built, failed,
/// ready; waiting/blocked → waiting/blocked when a failure blocks dependents; built →
/// built with `staged_at` set when it staged its build; waiting/blocked → ready only when
/// every dependency is accepted, superseded or staged, as staging makes dependents ready;
/// built → blocked only by a failed, rejected or cancelled build, when a staged dependency
/// was rejected while it built), so even a hand-written UPDATE cannot move a build to
/// accepted, rejected or cancelled, or a failed build back to ready. Both raise SQLSTATE
/// 42501 (insufficient_privilege).
public enum WorkerGrants {
    /// The columns of `builds` a worker writes.
    static let builderColumns = ["state", "failure_class", "blocked_by", "attempts", "worker", "lease_expires", "updated_at",
                                 "started_at", "finished_at", "log_ref", "artifacts", "reason", "staged_at"]

    /// A role name pacbuild will put into SQL: a plain lower-case identifier.
    public static func isValidRole(_ role: String) -> Bool {
        guard let first = role.unicodeScalars.first, role.count <= 63 else { return false }
        let lower = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz_")
        let rest = lower.union(CharacterSet(charactersIn: "0123456789"))
        return lower.contains(first) && role.unicodeScalars.allSatisfy(rest.contains)
    }

    /// The trigger that limits the transitions of roles other than the owner; installed
    /// (again) by every grant, idempotently.
    static let guardStatements = [
        """
        CREATE OR REPLACE FUNCTION pacbuild_worker_transition_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
                RETURN NEW;
            END IF;
            IF (OLD.state = 'ready' AND NEW.state = 'building')
               OR (OLD.state = 'building' AND NEW.state IN ('building', 'built', 'failed', 'ready'))
               OR (OLD.state IN ('waiting', 'blocked') AND NEW.state IN ('waiting', 'blocked'))
               OR (OLD.state = 'built' AND NEW.state = 'built' AND NEW.staged_at IS NOT NULL)
               OR (OLD.state = 'built' AND NEW.state = 'blocked' AND EXISTS (
                   SELECT 1 FROM builds b WHERE b.id = NEW.blocked_by AND b.state IN ('failed', 'rejected', 'cancelled')))
               OR (OLD.state IN ('waiting', 'blocked') AND NEW.state = 'ready' AND NOT EXISTS (
                   SELECT 1 FROM build_edges e JOIN builds d ON d.id = e.depends_on WHERE e.build_id = NEW.id
                   AND NOT (d.state IN ('accepted', 'superseded') OR (d.state = 'built' AND d.staged_at IS NOT NULL)))) THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'role % may not move build % from % to % (only the store''s owner reviews builds)',
                current_user, OLD.id, OLD.state, NEW.state USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """,
        "CREATE OR REPLACE TRIGGER builds_worker_transitions BEFORE UPDATE ON builds FOR EACH ROW "
            + "EXECUTE FUNCTION pacbuild_worker_transition_guard()",
    ]

    /// The statements that create `role` (LOGIN, no password: set one with ALTER ROLE, or
    /// authenticate it in pg_hba.conf) when it does not exist and grant it a worker's
    /// privileges on the store's tables. Run by the store's owner; safe to run again.
    public static func statements(role: String) throws -> [String] {
        guard isValidRole(role) else { throw StoreError.invalidRole(role) }
        let r = "\"\(role)\""
        return [
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN CREATE ROLE \(r) LOGIN; END IF; END $$",
            "GRANT USAGE ON SCHEMA public TO \(r)",
            "GRANT SELECT ON schema_version, builds, build_edges, workers, marks, history, artifact_checksums, build_files, "
                + "build_file_chunks, repo_settings, package_facts TO \(r)",
            "GRANT UPDATE (\(builderColumns.joined(separator: ", "))) ON builds TO \(r)",
            "GRANT INSERT, UPDATE ON workers TO \(r)",
            "GRANT INSERT, DELETE ON artifact_checksums TO \(r)",
            // A report records each package's .PKGINFO facts (schema 10).
            "GRANT INSERT, DELETE ON package_facts TO \(r)",
            "GRANT INSERT ON history TO \(r)",
            "GRANT USAGE ON SEQUENCE history_id_seq TO \(r)",
            // Uploads: a worker writes its build's log and packages; the trigger below
            // keeps it off other kinds (the PKGBUILD archive is the owner's, from catchup).
            "GRANT INSERT, DELETE ON build_files, build_file_chunks TO \(r)",
            "GRANT UPDATE (size, chunks) ON build_files TO \(r)",
        ] + guardStatements + fileGuardStatements
    }

    /// A worker may upload and replace only logs and packages, never a build's source.
    static let fileGuardStatements = [
        """
        CREATE OR REPLACE FUNCTION pacbuild_worker_file_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE row_kind TEXT;
        BEGIN
            IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
                RETURN COALESCE(NEW, OLD);
            END IF;
            row_kind := CASE WHEN TG_OP = 'DELETE' THEN OLD.kind ELSE NEW.kind END;
            IF row_kind IN ('log', 'package') THEN
                RETURN COALESCE(NEW, OLD);
            END IF;
            RAISE EXCEPTION 'role % may not write a build''s % file', current_user, row_kind
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """,
        "CREATE OR REPLACE TRIGGER build_files_worker_kinds BEFORE INSERT OR DELETE ON build_files FOR EACH ROW "
            + "EXECUTE FUNCTION pacbuild_worker_file_guard()",
        "CREATE OR REPLACE TRIGGER build_file_chunks_worker_kinds BEFORE INSERT OR DELETE ON build_file_chunks FOR EACH ROW "
            + "EXECUTE FUNCTION pacbuild_worker_file_guard()",
    ]
}

extension PostgresStore {
    /// Creates `role` if needed and grants it a worker's privileges (``WorkerGrants``),
    /// in one transaction. The store's owner (or a superuser) must run it.
    public func grantWorker(role: String) throws {
        let statements = try WorkerGrants.statements(role: role)
        try transaction { db in
            for statement in statements { try db.query(statement) }
        }
    }
}
