/// Reads the keys of one TOML table with the types the schema expects, collecting an
/// error for each wrong one (with its line) instead of throwing, so one run reports
/// every problem of a file. Keys never read but listed in `keys` are valid but unset;
/// anything else is reported by ``finish()`` as unknown.
struct ConfigTable {
    let source: ConfigSource
    /// The table's key path in the file (`[]` for the top level, `["workers"]`).
    let path: [String]
    private let values: [String: TOMLNode]
    private let keys: [String]
    private(set) var errors: [ConfigError] = []

    init(source: ConfigSource, path: [String], values: [String: TOMLNode], keys: [String]) {
        self.source = source
        self.path = path
        self.values = values
        self.keys = keys
    }

    /// Whether the file sets `key` at all (whatever its type).
    func contains(_ key: String) -> Bool { values[key] != nil }

    /// The line of `key`, falling back to its table's line.
    func line(of key: String) -> Int? { source.locator.line(of: path + [key]) }

    /// Records a problem with `key`, at its line (or at `lineOf`'s, for a missing key
    /// that another key makes necessary).
    mutating func fail(_ key: String, _ problem: ConfigError.Problem, lineOf: String? = nil) {
        let anchor = lineOf ?? key
        let line = values[anchor] == nil ? source.locator.line(of: path) : line(of: anchor)
        errors.append(ConfigError(file: source.name, line: line, key: (path + [key]).joined(separator: "."), problem: problem))
    }

    /// The node under `key`, or `nil` (and an error if it is `required`).
    mutating func node(_ key: String, required: Bool, expected: String) -> TOMLNode? {
        if let node = values[key] { return node }
        if required { fail(key, .missingKey(expected: expected)) }
        return nil
    }

    mutating func string(_ key: String, required: Bool = false, expected: String = "a string") -> String? {
        switch node(key, required: required, expected: expected) {
        case nil: return nil
        case .string(let value)? where !value.isEmpty: return value
        case .string?: fail(key, .invalidValue(expected: expected, found: "an empty string")); return nil
        case let other?: fail(key, .wrongType(expected: expected, found: other.typeName)); return nil
        }
    }

    mutating func bool(_ key: String) -> Bool? {
        switch node(key, required: false, expected: "a boolean") {
        case nil: return nil
        case .boolean(let value)?: return value
        case let other?: fail(key, .wrongType(expected: "true or false", found: other.typeName)); return nil
        }
    }

    /// An integer in `range`.
    mutating func integer(_ key: String, in range: ClosedRange<Int>, expected: String) -> Int? {
        switch node(key, required: false, expected: expected) {
        case nil: return nil
        case .integer(let value)? where range.contains(value): return value
        case .integer(let value)?: fail(key, .invalidValue(expected: expected, found: String(value))); return nil
        case let other?: fail(key, .wrongType(expected: expected, found: other.typeName)); return nil
        }
    }

    /// An array of non-empty strings; with `single`, a lone string counts as a list of one.
    mutating func strings(_ key: String, required: Bool = false, single: Bool = false, expected: String) -> [String]? {
        switch node(key, required: required, expected: expected) {
        case nil:
            return nil
        case .string(let value)? where single:
            return strings(from: [.string(value)], key: key, expected: expected)
        case .array(let items)?:
            return strings(from: items, key: key, expected: expected)
        case let other?:
            fail(key, .wrongType(expected: expected, found: other.typeName))
            return nil
        }
    }

    private mutating func strings(from items: [TOMLNode], key: String, expected: String) -> [String]? {
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let value) = item, !value.isEmpty else {
                let found = item == .string("") ? "an empty string" : item.typeName
                fail(key, .wrongType(expected: expected, found: "\(found) at index \(index)"))
                return nil
            }
            result.append(value)
        }
        return result
    }

    /// Whether the file sets `key` at all (right or wrong).
    func has(_ key: String) -> Bool { values[key] != nil }

    /// One of an enum's raw values.
    mutating func choice<Value: RawRepresentable & CaseIterable>(_ key: String, _ type: Value.Type) -> Value?
    where Value.RawValue == String {
        let expected = "one of " + Value.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        guard let raw = string(key, expected: expected) else { return nil }
        if let value = Value(rawValue: raw) { return value }
        fail(key, .invalidValue(expected: expected, found: "'\(raw)'"))
        return nil
    }

    /// A nested table under `key` with its own known keys; merge its errors back with
    /// ``absorb(_:)`` once read.
    mutating func table(_ key: String, keys: [String]) -> ConfigTable? {
        switch node(key, required: false, expected: "a table") {
        case nil: return nil
        case .table(let values)?: return ConfigTable(source: source, path: path + [key], values: values, keys: keys)
        case let other?: fail(key, .wrongType(expected: "a table", found: other.typeName)); return nil
        }
    }

    /// Takes over a nested table's errors (unknown keys included).
    mutating func absorb(_ nested: ConfigTable) {
        var nested = nested
        nested.reportUnknownKeys()
        errors += nested.errors
    }

    /// Reports keys the schema does not know and returns every error, in line order
    /// (missing keys, which have no line, last).
    mutating func finish() -> [ConfigError] {
        reportUnknownKeys()
        return errors.sorted { ($0.line ?? .max) < ($1.line ?? .max) }
    }

    private mutating func reportUnknownKeys() {
        for key in values.keys.sorted() where !keys.contains(key) {
            fail(key, .unknownKey(suggestion: closestKey(to: key, among: keys)))
        }
    }
}
