extension ArchPolicy {
    private enum Name: String, CaseIterable { case strict, port }

    /// Reads `arch_policy` and `arch_map`: a port needs the map; strict must not have
    /// one, since it would silently do nothing.
    static func parse(_ table: inout ConfigTable) -> ArchPolicy? {
        let name = table.choice("arch_policy", Name.self)
        if name == nil && table.contains("arch_policy") { return nil }
        let map = table.strings("arch_map", expected: "an array of arches, e.g. [\"x86_64\", \"i686\"]")
        switch (name, map) {
        case (.port?, let map?) where !map.isEmpty:
            return .port(map: map)
        case (.port?, _):
            table.fail("arch_map", .missingKey(expected: "the upstream arches a port builds, e.g. [\"x86_64\", \"i686\"]"),
                       lineOf: "arch_policy")
            return nil
        case (_, _?):
            table.fail("arch_map", .invalidValue(expected: "no arch_map unless arch_policy = 'port'",
                                                 found: "an arch_map with arch_policy = '\(name?.rawValue ?? "strict")'"))
            return nil
        case (_, nil):
            return .strict
        }
    }
}
