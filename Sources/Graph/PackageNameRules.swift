/// makepkg's rules for the values that become file names and database entries: pkgname
/// and pkgbase, pkgver, pkgrel, epoch and arch, as its `lint_pkgbuild` stage checks them
/// (`/usr/share/makepkg/lint_pkgbuild/{pkgname,pkgver,pkgrel,epoch,arch}.sh`), with
/// makepkg's wording of the reason.
///
/// A value that passes can never form a path outside its directory: no `/`, no leading
/// `.` or `-` in names, only `[[:alnum:]+_.@-]` in names and `[[:alnum:]_]` in arches.
/// Each check returns `nil` when the value is valid, else makepkg's sentence.
public enum PackageNameRules {
    /// `lint_one_pkgname`: `field` is `pkgname` or `pkgbase`.
    public static func nameProblem(_ name: String, field: String = "pkgname") -> String? {
        guard let first = name.utf8.first else { return "\(field) is not allowed to be empty." }
        if first == UInt8(ascii: "-") { return "\(field) is not allowed to start with a hyphen." }
        if first == UInt8(ascii: ".") { return "\(field) is not allowed to start with a dot." }
        if name.utf8.contains(where: { $0 >= 0x80 }) { return "\(field) may only contain ascii characters." }
        let invalid = String(decoding: name.utf8.filter { !isNameByte($0) }, as: UTF8.self)
        if !invalid.isEmpty { return "\(field) contains invalid characters: '\(invalid)'" }
        return nil
    }

    /// `check_pkgver`.
    public static func pkgverProblem(_ pkgver: String) -> String? {
        if pkgver.isEmpty { return "pkgver is not allowed to be empty." }
        if pkgver.utf8.contains(where: { isSpace($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "-") }) {
            return "pkgver is not allowed to contain colons, forward slashes, hyphens or whitespace."
        }
        if pkgver.utf8.contains(where: { $0 >= 0x80 || $0 == 0 }) { return "pkgver may only contain ascii characters." }
        return nil
    }

    /// `check_pkgrel`: `integer[.integer]`.
    public static func pkgrelProblem(_ pkgrel: String) -> String? {
        if pkgrel.isEmpty { return "pkgrel is not allowed to be empty." }
        let parts = pkgrel.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let valid = (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(isDigit) }
        return valid ? nil : "pkgrel must be of the form 'integer[.integer]', not \(pkgrel)."
    }

    /// `check_epoch`: digits only (empty is no epoch).
    public static func epochProblem(_ epoch: String) -> String? {
        epoch.utf8.allSatisfy(isDigit) ? nil : "epoch must be an integer, not \(epoch)."
    }

    /// `lint_arch`'s character check for one entry (`any` passes).
    public static func archProblem(_ arch: String) -> String? {
        if arch.isEmpty { return "arch is not allowed to be empty." }
        let invalid = String(decoding: arch.utf8.filter { !(isAlnum($0) || $0 == UInt8(ascii: "_")) }, as: UTF8.self)
        return invalid.isEmpty ? nil : "arch contains invalid characters: '\(invalid)'"
    }

    /// A full version as `.PKGINFO` and databases carry it, `[epoch:]pkgver-pkgrel`: each
    /// part checked by its rule.
    public static func fullVersionProblem(_ version: String) -> String? {
        guard let dash = version.lastIndex(of: "-") else {
            return "version \(version) has no pkgrel (expected [epoch:]pkgver-pkgrel)."
        }
        let pkgrel = String(version[version.index(after: dash)...])
        var rest = Substring(version[..<dash])
        if let colon = rest.firstIndex(of: ":") {
            let epoch = String(rest[..<colon])
            if epoch.isEmpty { return "epoch must be an integer, not ." }
            if let problem = epochProblem(epoch) { return problem }
            rest = rest[rest.index(after: colon)...]
        }
        return pkgverProblem(String(rest)) ?? pkgrelProblem(pkgrel)
    }

    /// `lint_one_pkgname` with every sentence makepkg prints for `name`, in its order
    /// (a leading hyphen and invalid characters are both reported; empty and non-ASCII
    /// names stop the check, as makepkg's `return 1` does).
    public static func nameProblems(_ name: String, field: String = "pkgname") -> [String] {
        guard let first = name.utf8.first else { return ["\(field) is not allowed to be empty."] }
        var problems: [String] = []
        if first == UInt8(ascii: "-") { problems.append("\(field) is not allowed to start with a hyphen.") }
        if first == UInt8(ascii: ".") { problems.append("\(field) is not allowed to start with a dot.") }
        if name.utf8.allSatisfy(isNameByte) { return problems }  // the usual case, without copying
        if name.utf8.contains(where: { $0 >= 0x80 }) { return problems + ["\(field) may only contain ascii characters."] }
        let invalid = String(decoding: name.utf8.filter { !isNameByte($0) }, as: UTF8.self)
        problems.append("\(field) contains invalid characters: '\(invalid)'")
        return problems
    }

    /// `check_pkgver VER TYPE`: as ``pkgverProblem(_:)``, naming the field "pkgver in
    /// TYPE" for the version of a dependency-like entry.
    public static func pkgverProblem(_ pkgver: String, in type: String?) -> String? {
        pkgverProblem(pkgver).map { renamed($0, "pkgver", in: type) }
    }

    /// `check_pkgrel REL TYPE`.
    public static func pkgrelProblem(_ pkgrel: String, in type: String?) -> String? {
        pkgrelProblem(pkgrel).map { renamed($0, "pkgrel", in: type) }
    }

    /// `check_epoch EPOCH TYPE`.
    public static func epochProblem(_ epoch: String, in type: String?) -> String? {
        epochProblem(epoch).map { renamed($0, "epoch", in: type) }
    }

    /// `check_fullpkgver VER TYPE` (the version after a dependency's operator): split as
    /// libalpm's parseEVR does, epoch at the first colon, pkgrel after the last hyphen
    /// (only when something precedes it), each part checked by its rule.
    public static func fullVersionProblems(_ version: String, in type: String) -> [String] {
        // the usual case: a plain pkgver (no epoch, no pkgrel), nothing to split or refuse
        let plain = version.utf8.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "_") }
        if plain, !version.isEmpty { return [] }
        var problems: [String] = []
        var rest = Substring(version)
        if let colon = rest.firstIndex(of: ":") {
            if let problem = epochProblem(String(rest[..<colon]), in: type) { problems.append(problem) }
            rest = rest[rest.index(after: colon)...]
        }
        if let dash = rest.lastIndex(of: "-"), dash > rest.startIndex {
            if let problem = pkgrelProblem(String(rest[rest.index(after: dash)...]), in: type) { problems.append(problem) }
            rest = rest[..<dash]
        }
        if let problem = pkgverProblem(String(rest), in: type) { problems.append(problem) }
        return problems
    }

    /// A sentence of a `field` check with the field named "field in TYPE".
    private static func renamed(_ sentence: String, _ field: String, in type: String?) -> String {
        guard let type, sentence.hasPrefix(field) else { return sentence }
        return "\(field) in \(type)" + sentence.dropFirst(field.count)
    }

    /// Whether `name` can be used as one path component of a package file or database
    /// entry: a valid pkgname (the strictest of the rules above).
    public static func isSafeName(_ name: String) -> Bool { nameProblem(name) == nil }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isAlnum(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
    }
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0d) }
    private static func isNameByte(_ byte: UInt8) -> Bool {
        isAlnum(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "-")
    }
}
