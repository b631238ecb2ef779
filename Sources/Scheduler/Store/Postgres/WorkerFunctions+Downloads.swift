extension WorkerFunctions {
    /// Migration 13 on PostgreSQL: a worker role may upload the sources its builds
    /// downloaded (kind `download`) to a build it holds, as it uploads logs and packages.
    /// `CREATE OR REPLACE` keeps the function's grants; its pinned `search_path` is set
    /// again (``pinAndRevoke``).
    static let migration13: [String] = [
        """
        CREATE OR REPLACE FUNCTION pacbuild_private_upload(p_build bigint, p_worker text, p_kind text) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pacbuild_private_hold(p_build, p_worker);
            IF p_kind IS NULL OR p_kind NOT IN ('log', 'package', 'download') THEN
                RAISE EXCEPTION 'a worker uploads logs, packages and downloaded sources, not a % file', p_kind
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
        END $$
        """,
        pinAndRevoke,
    ]
}
