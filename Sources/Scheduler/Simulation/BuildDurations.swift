import Foundation
import Graph

/// How long each build takes in a simulation: a table of measured durations, or
/// durations generated from a seed.
///
/// Generated durations are log-normal, as build times of a distribution are: the median
/// build takes 2 minutes (`medianSeconds`), the logarithm's standard deviation is 1.5
/// (`spread`), clamped to 10 s ... 12 h. So about half the builds take under 2 minutes,
/// one in eight over 10 minutes, one in eighty over an hour and a handful of 12,000
/// (the chromiums and libreoffices) 4 to 12 hours; the mean is about 6 minutes. Each
/// duration is a function of the seed and `repo/pkgbase` alone (a fixed hash, not
/// Swift's per-process one), so runs, orders and machines agree.
public struct BuildDurations: Sendable {
    public static let medianSeconds = 120.0
    public static let spread = 1.5
    public static let shortest = 10.0
    public static let longest = 12 * 3600.0

    private enum Source: Sendable {
        case generated(seed: UInt64)
        /// Seconds by `repo/pkgbase` and by pkgbase; `fallback` for a pkgbase in neither.
        case table(byID: [String: Double], byName: [String: Double], fallback: Double)
        /// A plan's own expected times (``PlanOptions/expectedTime``).
        case expected(@Sendable (PackageBaseID) -> Double)
    }

    private let source: Source

    /// Durations generated from `seed` (see the type's description).
    public init(seed: UInt64) { source = .generated(seed: seed) }

    /// The durations a plan expects (its ``PlanOptions/expectedTime``), so a simulation
    /// of it matches its priorities.
    public init(expected: @escaping @Sendable (PackageBaseID) -> Double) { source = .expected(expected) }

    /// Durations from tab-separated text, one `pkgbase<TAB>seconds` a line (the pkgbase
    /// may be `repo/pkgbase`); blank lines and lines starting with `#` are skipped. A
    /// pkgbase the table lacks takes `fallback` seconds.
    /// - Throws: ``SchedulerError/badDurations(file:line:reason:)`` naming the line.
    public init(tsv text: String, file: String, fallback: Double = PlanOptions.defaultBuildSeconds) throws(SchedulerError) {
        var byID: [String: Double] = [:]
        var byName: [String: Double] = [:]
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[0].isEmpty else {
                throw .badDurations(file: file, line: n + 1, reason: "expected pkgbase<TAB>seconds")
            }
            guard let seconds = Double(fields[1].trimmingCharacters(in: .whitespaces)), seconds.isFinite, seconds >= 0 else {
                throw .badDurations(file: file, line: n + 1, reason: "'\(fields[1])' is not a number of seconds")
            }
            let name = String(fields[0])
            if name.contains("/") { byID[name] = seconds } else { byName[name] = seconds }
        }
        source = .table(byID: byID, byName: byName, fallback: fallback)
    }

    /// The build's duration in seconds.
    public func seconds(of id: PackageBaseID) -> Double {
        switch source {
        case .generated(let seed):
            Self.generated(id, seed: seed)
        case .table(let byID, let byName, let fallback):
            byID[id.description] ?? byName[id.pkgbase] ?? fallback
        case .expected(let seconds):
            seconds(id)
        }
    }

    /// Whether a table names `id` (always true for generated durations).
    public func knows(_ id: PackageBaseID) -> Bool {
        guard case .table(let byID, let byName, _) = source else { return true }
        return byID[id.description] != nil || byName[id.pkgbase] != nil
    }

    /// exp(median's log + spread * z), z standard normal by Box-Muller from two
    /// uniforms drawn from the hash of the seed and the id.
    static func generated(_ id: PackageBaseID, seed: UInt64) -> Double {
        var state = fnv1a(id.description) ^ (seed &* 0x9E37_79B9_7F4A_7C15)
        let u1 = uniform(&state), u2 = uniform(&state)
        let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        let seconds = exp(log(medianSeconds) + spread * z)
        return min(max(seconds, shortest), longest).rounded()
    }

    /// FNV-1a over the UTF-8 bytes: stable across processes, unlike `Hasher`.
    private static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    /// The next value of SplitMix64 as a double in (0, 1].
    private static func uniform(_ state: inout UInt64) -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (Double(z >> 11) + 1) / Double(1 << 53)
    }
}
