/// One entry of `depends`, `makedepends`, `checkdepends`, `optdepends`, `provides`,
/// `conflicts` or `replaces`: `name[op version][: description]`.
///
/// pacbuild orders builds and decides whether a repository can satisfy a package by
/// these entries, so they are read and matched exactly as libalpm 6.0.2 reads and
/// matches them (`alpm_dep_from_string`, `_alpm_depcmp` in `lib/libalpm/deps.c`);
/// a stricter or looser reading would plan builds pacman would then refuse to install.
///
/// Equality and hashing are structural (same name, operator, version spelling and
/// description), which is what de-duplicating lists needs; whether two entries mean
/// compatible things is the business of the `isSatisfied` methods.
public struct Dependency: Sendable, Hashable, CustomStringConvertible {
    /// The version operator, spelled as in PKGBUILDs; libalpm knows no others.
    public enum Constraint: String, Sendable, Hashable, CaseIterable {
        case lessThan = "<"
        case lessOrEqual = "<="
        case equal = "="
        case greaterOrEqual = ">="
        case greaterThan = ">"

        /// Whether a candidate passes, given `Version.compare(candidate, required)`;
        /// libalpm's `dep_vercmp` does exactly this with the result of `alpm_pkg_vercmp`.
        public func accepts(comparison: Int) -> Bool {
            switch self {
            case .lessThan: comparison < 0
            case .lessOrEqual: comparison <= 0
            case .equal: comparison == 0
            case .greaterOrEqual: comparison >= 0
            case .greaterThan: comparison > 0
            }
        }
    }

    /// The package or virtual name required, provided or conflicted with.
    public let name: String
    /// The operator, or `nil` when any version will do.
    public let constraint: Constraint?
    /// The version after the operator, present exactly when ``constraint`` is. Kept as
    /// written (it may be empty, as in `foo>=`, which libalpm also accepts).
    public let version: String?
    /// An optdepends entry's reason, the text after the first `": "`.
    public let optDescription: String?

    /// An entry any version of `name` satisfies.
    public init(name: String, optDescription: String? = nil) {
        self.name = name
        constraint = nil
        version = nil
        self.optDescription = optDescription
    }

    /// An entry that requires (or, as a provision, offers) `name` at versions `constraint` `version`.
    public init(name: String, _ constraint: Constraint, _ version: String, optDescription: String? = nil) {
        self.name = name
        self.constraint = constraint
        self.version = version
        self.optDescription = optDescription
    }

    /// Reads an entry the way libalpm's `alpm_dep_from_string` does.
    ///
    /// - The description starts after the first `": "`; the space is what keeps an epoch
    ///   colon (`foo>=1:2.0`) in the version.
    /// - The operator is found by looking for a `<` anywhere, then a `>`, then a `=`,
    ///   each followed by `=` making `<=`/`>=`. So `foo=1<2` is the name `foo=1` with
    ///   `< 2`, as in libalpm. Everything is accepted; validation is makepkg's job.
    public init(_ string: String) {
        var text = string
        self = text.withUTF8 { bytes in
            func text(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            var end = bytes.count
            var optDescription: String?
            if let colon = firstColonSpace(bytes) {
                end = colon
                optDescription = text((colon + 2)..<bytes.count)
            }
            guard let (position, constraint) = findOperator(bytes, end: end) else {
                return Dependency(name: text(0..<end), optDescription: optDescription)
            }
            let versionStart = position + constraint.rawValue.utf8.count
            return Dependency(name: text(0..<position), constraint, text(versionStart..<end),
                              optDescription: optDescription)
        }
    }

    /// The entry in pacman's spelling (`alpm_dep_compute_string`): name, operator,
    /// version, then `": "` and the description if there is one.
    public var description: String {
        var result = name
        if let constraint, let version { result += constraint.rawValue + version }
        if let optDescription { result += ": " + optDescription }
        return result
    }

    /// Whether a package at `version` meets the version part of this entry, ignoring
    /// names: true without a constraint, otherwise `alpm_pkg_vercmp(version, self.version)`
    /// must satisfy the operator (so `foo=1` accepts `1-3`, a release being ignored
    /// when only one side has one).
    public func isSatisfied(byVersion version: String) -> Bool {
        guard let constraint, let required = self.version else { return true }
        return constraint.accepts(comparison: Version.compare(version, required))
    }

    /// Whether one `provides` entry of some package satisfies this dependency, by
    /// libalpm's `_alpm_depcmp_provides`: the names must match; an unversioned
    /// dependency then takes any provision, whatever its version; a versioned one takes
    /// only a provision with `=`, whose version must meet the constraint. An unversioned
    /// provision (`provides=(foo)`) or one with another operator never satisfies `foo>=1`.
    public func isSatisfied(byProvision provision: Dependency) -> Bool {
        guard sameBytes(provision.name, name) else { return false }
        guard constraint != nil else { return true }
        guard provision.constraint == .equal, let offered = provision.version else { return false }
        return isSatisfied(byVersion: offered)
    }

    /// Whether a package satisfies this dependency, by libalpm's `_alpm_depcmp`: either
    /// it is the named package at a suitable version, or one of its `provides` entries
    /// satisfies it (see ``isSatisfied(byProvision:)``).
    public func isSatisfied(by name: String, version: String, provides: [Dependency]) -> Bool {
        (sameBytes(name, self.name) && isSatisfied(byVersion: version))
            || provides.contains(where: isSatisfied(byProvision:))
    }
}

/// libalpm matches names with `strcmp`; String's `==` would also equate canonically
/// equivalent spellings, which pacman treats as different packages.
private func sameBytes(_ a: String, _ b: String) -> Bool {
    a.utf8.elementsEqual(b.utf8)
}

/// The offset of the first `": "`, which starts an optdepends description.
private func firstColonSpace(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var index = 0
    while index + 1 < bytes.count {
        if bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: " ") { return index }
        index += 1
    }
    return nil
}

/// The operator in `bytes[..<end]`, searched in libalpm's order: the first `<` anywhere,
/// else the first `>`, else the first `=`; a `<` or `>` followed by `=` is `<=`/`>=`.
private func findOperator(_ bytes: UnsafeBufferPointer<UInt8>, end: Int)
    -> (position: Int, constraint: Dependency.Constraint)?
{
    let head = bytes[..<end]
    let orEqual = { (position: Int) in position + 1 < end && bytes[position + 1] == UInt8(ascii: "=") }
    if let position = head.firstIndex(of: UInt8(ascii: "<")) {
        return (position, orEqual(position) ? .lessOrEqual : .lessThan)
    }
    if let position = head.firstIndex(of: UInt8(ascii: ">")) {
        return (position, orEqual(position) ? .greaterOrEqual : .greaterThan)
    }
    if let position = head.firstIndex(of: UInt8(ascii: "=")) {
        return (position, .equal)
    }
    return nil
}
