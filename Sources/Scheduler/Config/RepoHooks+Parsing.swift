extension RepoHooks {
    /// Reads the `[hooks]` table; a command whose program is a path (contains `/`) must
    /// name an existing file, so a typo shows now rather than after the next accept.
    static func parse(_ table: inout ConfigTable, paths: ConfigPaths) -> RepoHooks {
        var hooks = RepoHooks(workingDirectory: paths.base)
        guard var nested = table.table("hooks", keys: ["post_accept", "post_update", "timeout"]) else { return hooks }
        hooks.postAccept = commands("post_accept", in: &nested, paths: paths)
        hooks.postUpdate = commands("post_update", in: &nested, paths: paths)
        hooks.timeout = nested.integer("timeout", in: 1...86_400, expected: "seconds, from 1 to 86400") ?? defaultTimeout
        table.absorb(nested)
        return hooks
    }

    private static func commands(_ key: String, in table: inout ConfigTable, paths: ConfigPaths) -> [String] {
        let commands = table.strings(key, expected: "an array of shell commands") ?? []
        for command in commands {
            let program = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? command
            if program.contains("/"), !paths.satisfies(paths.resolve(program), .file) {
                table.fail(key, .missingPath(path: program, expected: "an existing hook script"))
            }
        }
        return commands
    }
}
