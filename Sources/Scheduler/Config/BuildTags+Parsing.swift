extension BuildTags {
    /// Reads `tags` (an array) and `[package_tags]` (pkgbase = array) of a repo file.
    static func parse(_ table: inout ConfigTable) -> BuildTags {
        var tags = BuildTags()
        tags.repo = checked(table.strings("tags", expected: "an array of tags every build of the repo requires"),
                            key: "tags", in: &table)
        // Any pkgbase may be a key, so the nested table knows every key it has.
        var pkgbases: [String] = []
        if case .table(let values)? = table.node("package_tags", required: false, expected: "a table") {
            pkgbases = values.keys.sorted()
        }
        guard var nested = table.table("package_tags", keys: pkgbases) else { return tags }
        for pkgbase in pkgbases {
            let required = checked(nested.strings(pkgbase, expected: "an array of tags the pkgbase's builds require"),
                                   key: pkgbase, in: &nested)
            if !required.isEmpty { tags.packages[pkgbase] = required }
        }
        table.absorb(nested)
        return tags
    }

    /// The valid tags of a list; each invalid one is an error at the key's line.
    private static func checked(_ tags: [String]?, key: String, in table: inout ConfigTable) -> [String] {
        for tag in tags ?? [] where !valid(tag) {
            table.fail(key, .invalidValue(expected: "tags of \(rule)", found: "'\(tag)'"))
        }
        return (tags ?? []).filter(valid)
    }
}
