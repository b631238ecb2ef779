/// Prometheus's text exposition format (version 0.0.4), written by hand: a family's
/// `# HELP` and `# TYPE` once, then its samples; label values escaped as the format says
/// (backslash, double quote, newline).
struct MetricsText {
    private(set) var text = ""

    enum Kind: String { case gauge, counter, histogram }

    mutating func family(_ name: String, _ kind: Kind, help: String, _ samples: (inout MetricsText) -> Void) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(kind.rawValue)\n"
        samples(&self)
    }

    mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        let rendered = labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        text += "\(name)\(rendered) \(Self.number(value))\n"
    }

    /// A histogram's cumulative buckets, `_sum` and `_count` from raw observations.
    mutating func histogram(_ name: String, _ labels: [(String, String)], bounds: [Double], _ values: [Double]) {
        for bound in bounds {
            sample(name + "_bucket", labels + [("le", Self.number(bound))], Double(values.filter { $0 <= bound }.count))
        }
        sample(name + "_bucket", labels + [("le", "+Inf")], Double(values.count))
        sample(name + "_sum", labels, values.reduce(0, +))
        sample(name + "_count", labels, Double(values.count))
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Integral values without a fraction, as Prometheus's own clients write them.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
