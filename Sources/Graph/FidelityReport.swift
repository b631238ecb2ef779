/// How closely the native reader matches real `makepkg --printsrcinfo` output over a
/// tree: exact matches, results that honestly ask for the makepkg fallback, and silent
/// mismatches (the ones that must not happen), counted by field.
public struct FidelityReport: Sendable, Codable {
    public var pkgbuilds = 0
    public var withTruth = 0
    public var matches = 0
    /// Results with diagnostics (the reader asks for the makepkg fallback).
    public var fallbacks = 0
    /// Results without diagnostics that differ from the truth: silent wrong answers.
    public var mismatches = 0
    /// Mismatched fields (`depends`, `pkgname`, ...) over fallbacks and mismatches.
    public var mismatchesByField: [String: Int] = [:]
    public var fallbackFiles: [String] = []
    public var mismatchFiles: [String] = []

    public init() {}

    /// Match rate over the PKGBUILDs that have a truth file.
    public var matchRate: Double { withTruth == 0 ? 1 : Double(matches) / Double(withTruth) }

    /// Adds one PKGBUILD's result, compared with its truth text when there is one.
    public mutating func add(_ result: PKGBUILDReader.Result, truth: String?) {
        pkgbuilds += 1
        guard let truth else { return }
        withTruth += 1
        let actual = result.printedSrcinfo
        // an invalid result where makepkg printed a truth is our lint being wrong: a mismatch
        if !result.needsFallback && !result.isInvalid && actual == truth {
            matches += 1
            return
        }
        if result.needsFallback {
            fallbacks += 1
            fallbackFiles.append(result.file)
        } else {
            mismatches += 1
            mismatchFiles.append(result.file)
        }
        for field in Self.differingFields(truth: truth, actual: result.srcinfo) {
            mismatchesByField[field, default: 0] += 1
        }
    }

    /// The attribute keys whose values differ (plus `pkgbase`/`pkgname` for the sections).
    public static func differingFields(truth: String, actual: SrcInfo?) -> [String] {
        guard let expected = try? SrcInfo(parsing: truth) else { return ["(unparseable truth)"] }
        guard let actual else { return ["(no result)"] }
        var fields = Set<String>()
        if expected.pkgbase != actual.pkgbase { fields.insert("pkgbase") }
        if expected.pkgnames != actual.pkgnames { fields.insert("pkgname") }
        func compare(_ a: SrcInfo.Section, _ b: SrcInfo.Section) {
            for key in Set(a.attributes.map(\.key) + b.attributes.map(\.key)) where a[key] != b[key] {
                fields.insert(key)
            }
            if a.attributes.map(\.key) != b.attributes.map(\.key) && fields.isEmpty { fields.insert("(order)") }
        }
        compare(expected.base, actual.base)
        for (e, a) in zip(expected.packages, actual.packages) { compare(e.section, a.section) }
        if fields.isEmpty && expected.text != actual.text { fields.insert("(text)") }
        return fields.sorted()
    }
}
