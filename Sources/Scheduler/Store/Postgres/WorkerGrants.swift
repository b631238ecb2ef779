import Foundation

/// The PostgreSQL privileges of a worker role (a remote waka), docs/distributed.md: it
/// reads every table of the store and writes none. What it may change it changes by
/// calling the store's worker functions (``WorkerFunctions``, migration 11): register
/// and heartbeat its own worker names, claim ready builds, and renew, release, report
/// and upload the log and packages of builds it holds. Accepting, rejecting, staging,
/// cancelling, retrying, re-prioritizing, marking and queueing are the owner's: every
/// table write fails with SQLSTATE 42501 (insufficient_privilege), as does any function
/// call on a name or build that is not the role's.
public enum WorkerGrants {
    /// A role name pacbuild will put into SQL: a plain lower-case identifier.
    public static func isValidRole(_ role: String) -> Bool {
        guard let first = role.unicodeScalars.first, role.count <= 63 else { return false }
        let lower = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz_")
        let rest = lower.union(CharacterSet(charactersIn: "0123456789"))
        return lower.contains(first) && role.unicodeScalars.allSatisfy(rest.contains)
    }

    /// The statements that create `role` (LOGIN, no password: set one with ALTER ROLE, or
    /// authenticate it in pg_hba.conf) when it does not exist and give it exactly a
    /// worker's privileges, taking away any other it had on the store (an older
    /// pacbuild's grants, a hand-made one). Run by the store's owner; safe to run again.
    /// A role that is the store's owner, a member of it or a superuser is refused: it
    /// would bypass all of this. So is a role that may create objects in the store's
    /// schema (PUBLIC may, in a database from before PostgreSQL 15): an operator of its
    /// own with exactly matching argument types would be chosen over a built-in one
    /// inside the owner's functions.
    public static func statements(role: String) throws -> [String] {
        guard isValidRole(role) else { throw StoreError.invalidRole(role) }
        let r = "\"\(role)\""
        let tables = WorkerFunctions.tables.joined(separator: ", ")
        let functions = WorkerFunctions.entryPoints.joined(separator: ", ")
        return [
            """
            DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN CREATE ROLE \(r) LOGIN; END IF;
                IF pg_has_role('\(role)', (SELECT relowner FROM pg_class WHERE oid = 'builds'::regclass), 'USAGE') THEN
                    RAISE EXCEPTION 'role \(role) owns the store (or is a member of its owner, or a superuser): '
                        'a worker role must be a role of its own' USING ERRCODE = 'invalid_grant_operation';
                END IF;
                IF has_schema_privilege('\(role)', (SELECT relnamespace FROM pg_class WHERE oid = 'builds'::regclass), 'CREATE') THEN
                    RAISE EXCEPTION 'role \(role) may create objects in the store''s schema, where an operator or function '
                        'of its own could stand in for a built-in one inside the worker functions'
                        USING ERRCODE = 'invalid_grant_operation',
                              HINT = 'REVOKE CREATE ON SCHEMA public FROM PUBLIC (the default since PostgreSQL 15)';
                END IF;
            END $$
            """,
            "REVOKE ALL ON \(tables) FROM \(r)",
            "REVOKE ALL ON SEQUENCE builds_id_seq, history_id_seq FROM \(r)",
            "GRANT USAGE ON SCHEMA public TO \(r)",
            "GRANT SELECT ON \(tables) TO \(r)",
            // PostgreSQL lets PUBLIC execute a new function; migration 11 took that away.
            "REVOKE ALL ON FUNCTION \(functions) FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION \(functions) TO \(r)",
        ]
    }
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
