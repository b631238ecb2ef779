import Foundation

/// A statement parameter. Times are integer milliseconds since 1970 in both backends, so
/// one schema serves both and comparisons are plain integer comparisons.
enum SQLValue: Sendable, Hashable {
    case int(Int64)
    case double(Double)
    case text(String)
    case null

    static func time(_ date: Date) -> SQLValue { .int(Int64((date.timeIntervalSince1970 * 1000).rounded())) }
    static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }

    /// The value as PostgreSQL's text format reads it.
    var text: String? {
        switch self {
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .text(let value): value
        case .null: nil
        }
    }
}

/// A result row in text form: both backends hand back text (libpq's text format,
/// sqlite3's `column_text`), and the typed getters parse it.
struct SQLRow: Sendable {
    var columns: [String?]

    func text(_ index: Int) -> String? { columns[index] }
    func string(_ index: Int) -> String { columns[index] ?? "" }
    func int(_ index: Int) -> Int64? { columns[index].flatMap { Int64($0) } }
    func double(_ index: Int) -> Double? { columns[index].flatMap { Double($0) } }
    func time(_ index: Int) -> Date? { int(index).map { Date(timeIntervalSince1970: Double($0) / 1000) } }
    func buildID(_ index: Int) -> BuildID? { int(index).map { BuildID($0) } }
}
