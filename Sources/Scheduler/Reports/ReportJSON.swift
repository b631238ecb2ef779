import Foundation

/// The one JSON form of every report the CLI prints with `--json` and the web API
/// serves: pretty, keys sorted, slashes unescaped, dates as `JSONEncoder`'s default
/// (seconds since 2001-01-01). One encoder, so `pacbuild status --json` and
/// `GET /api/v1/status` give the same bytes for the same store.
public enum ReportJSON {
    public static func text<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
