import TOMLKit

/// A parsed TOML value as a plain Sendable value. TOMLKit's tables and arrays are
/// classes over toml++ pointers (neither Sendable nor cheap to walk twice), so a file is
/// copied into this tree once, right after parsing, and TOMLKit goes no further.
enum TOMLNode: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLNode])
    case table([String: TOMLNode])
    /// Dates and times: the configuration has no use for them, only their type name.
    case other(TOMLType.RawValue)

    init(_ value: TOMLValueConvertible) {
        let value = value.tomlValue
        switch value.type {
        case .string: self = .string(value.string ?? "")
        case .int: self = .integer(value.int ?? 0)
        case .double: self = .float(value.double ?? 0)
        case .bool: self = .boolean(value.bool ?? false)
        case .array: self = .array(value.array.map { $0.map(TOMLNode.init) } ?? [])
        case .table: self = .table(value.table.map(TOMLNode.dictionary) ?? [:])
        case .date, .time, .dateTime: self = .other(value.type.rawValue)
        }
    }

    /// A TOMLKit table's entries as nodes.
    static func dictionary(_ table: TOMLTable) -> [String: TOMLNode] {
        var result: [String: TOMLNode] = [:]
        for (key, value) in table { result[key] = TOMLNode(value) }
        return result
    }

    /// The type with its article, for "expected a string, found an integer".
    var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        case .other(let name): return "a \(name)"
        }
    }
}
