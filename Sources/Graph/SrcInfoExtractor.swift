/// makepkg's `write_srcinfo_content` over an evaluated PKGBUILD (pacman 6.0.2,
/// libmakepkg/srcinfo.sh and util/pkgbuild.sh), reproduced rule for rule:
///
/// - pkgbase section: a single-valued attribute is printed when non-empty, an array when
///   it has elements (even empty ones).
/// - package sections: makepkg greps `declare -f package_NAME` (or `package`) for lines
///   that start with `attr=` / `attr+=` (arrays: followed by `(`; strings: followed by
///   something) and evals each, in order, on top of the global value, with `pkgname` set
///   to the package. So every such line counts wherever it stands (inside `if`, `case`,
///   loops), while `[[ ... ]] && attr=...` does not, and `local` values are not seen.
/// - `NAME_ARCH` variants for every arch of the section but `any`; a package's arches
///   are the global `arch` with the package function's lines on top, whether or not it
///   has any (`get_pkgbuild_attribute "$1" arch 1 package_arch`), so `depends_x86_64`
///   set inside `package_NAME()` is printed for an inherited `arch=(x86_64)`.
/// - values have whitespace runs collapsed to one space and the ends trimmed.
struct SrcInfoExtractor {
    var shell: ShellInterpreter
    private var candidates: [String: [String: [Assignment]]] = [:]
    /// Values already evaluated from package function lines, by package, key, kind and
    /// lines, with the start value they were evaluated on: the lint and the extraction
    /// ask for the same ones.
    private var evaluated: [EvaluationKey: (start: [String], values: [String])] = [:]

    struct EvaluationKey: Hashable {
        var package: String
        var key: String
        var isArray: Bool
        var lines: Int
        var firstOffset: Int
    }

    init(shell: ShellInterpreter) { self.shell = shell }

    /// `pkgbase=${pkgbase:-${pkgname[0]}}`, nil when there is no package name at all.
    var pkgbase: String? {
        if let base = global("pkgbase")?.scalarValue, !base.isEmpty { return base }
        if let first = global("pkgname")?.allValues.first, !first.isEmpty { return first }
        return nil
    }

    func global(_ name: String) -> ShellValue? { shell.variables.scopes[0][name]?.value }

    mutating func extract(pkgbase: String) -> SrcInfo {
        var info = SrcInfo(pkgbase: pkgbase)
        info.base = section(package: nil, single: SrcInfo.baseSingleValued, multi: SrcInfo.baseMultiValued)
        for name in global("pkgname")?.allValues ?? [] {
            let section = section(package: name, single: SrcInfo.packageSingleValued, multi: SrcInfo.packageMultiValued)
            info.packages.append(SrcInfo.Package(name: name, section: section))
        }
        return info
    }

    mutating func section(package: String?, single: [String], multi: [String]) -> SrcInfo.Section {
        var section = SrcInfo.Section()
        // the package function's lines, looked up once for the section's hundred keys
        let lines = package.map { assignmentLines(of: $0) } ?? [:]
        // a package function that assigns nothing prints no key at all
        if package != nil && lines.isEmpty { return section }
        for key in single {
            if let value = attribute(key, package: package, lines: lines, isArray: false) { section.attributes.append(.init(key: key, values: value)) }
        }
        for key in multi {
            if let value = attribute(key, package: package, lines: lines, isArray: true) { section.attributes.append(.init(key: key, values: value)) }
        }
        let arches = package == nil ? attribute("arch", package: nil, isArray: true) ?? [] : packageArches(package!)
        for arch in arches where arch != "any" {
            for key in SrcInfo.archSpecific {
                let name = key + "_" + arch
                if let value = attribute(name, package: package, lines: lines, isArray: true) { section.attributes.append(.init(key: name, values: value)) }
            }
        }
        return section
    }

    /// `get_pkgbuild_attribute`: the value makepkg prints, nil when it prints nothing;
    /// `packageLines` are the package's ``assignmentLines(of:)``.
    mutating func attribute(_ key: String, package: String?, lines packageLines: [String: [Assignment]] = [:], isArray: Bool) -> [String]? {
        // in a package section only the function's own lines print anything
        let lines = packageLines[key] ?? []
        if package != nil && lines.isEmpty { return nil }
        let globalValue = global(key)
        var value: [String]
        var found: Bool
        if isArray {
            value = globalValue?.allValues ?? []
            found = !value.isEmpty
        } else {
            let s = globalValue?.scalarValue ?? ""
            value = s.isEmpty ? [""] : [s]
            found = !s.isEmpty
        }
        if let package {
            found = true
            value = evaluate(lines, key: key, start: value, isArray: isArray, package: package)
        }
        guard found else { return nil }
        return value.map(Self.normalize)
    }

    /// A package's arches: the global `arch`, then the package function's `arch` lines
    /// evaluated on top of it; unlike ``attribute(_:package:lines:isArray:)``, without an
    /// override the global value is the answer, not nothing.
    mutating func packageArches(_ package: String) -> [String] {
        let global = global("arch")?.allValues ?? []
        let lines = assignmentLines(of: package)["arch"] ?? []
        return (lines.isEmpty ? global : evaluate(lines, key: "arch", start: global, isArray: true, package: package)).map(Self.normalize)
    }

    /// Evaluates the package function's lines for `key` with the global value as start.
    mutating func evaluate(_ lines: [Assignment], key: String, start: [String], isArray: Bool, package: String) -> [String] {
        let cacheKey = EvaluationKey(package: package, key: key, isArray: isArray, lines: lines.count,
                                     firstOffset: lines.first?.offset ?? 0)
        if let known = evaluated[cacheKey], known.start == start { return known.values }
        let values = evaluateAgain(lines, key: key, start: start, isArray: isArray, package: package)
        evaluated[cacheKey] = (start, values)
        return values
    }

    private mutating func evaluateAgain(_ lines: [Assignment], key: String, start: [String], isArray: Bool, package: String) -> [String] {
        let out = "__pacbuild_outvalue"
        shell.variables.scopes.append([
            "pkgname": ShellVariable(value: .scalar(package)),
            out: ShellVariable(value: isArray ? .indexed(IndexedArray(start)) : .scalar(start.first ?? "")),
        ])
        defer { shell.variables.scopes.removeLast() }
        for line in lines {
            var assignment = line
            assignment.name = out
            do { try shell.perform(assignment) } catch {}
        }
        let result = shell.variables.scopes[shell.variables.scopes.count - 1][out]?.value
        return isArray ? (result?.allValues ?? []) : [result?.scalarValue ?? ""]
    }

    /// The attribute assignments that start a line of `declare -f` for the package's
    /// function, by attribute name; `package()` stands in for a missing `package_NAME()`.
    mutating func assignmentLines(of package: String) -> [String: [Assignment]] {
        let function = shell.functions["package_\(package)"] ?? shell.functions["package"]
        guard let function else { return [:] }
        if let cached = candidates[function.name] { return cached }
        var lines: [String: [Assignment]] = [:]
        Self.collect(function.body, into: &lines)
        candidates[function.name] = lines
        return lines
    }

    static func collect(_ command: ShellCommand, into lines: inout [String: [Assignment]]) {
        switch command {
        case .simple(let simple):
            guard let first = simple.assignments.first, first.index == nil else { return }
            switch first.value {
            case .array: lines[first.name, default: []].append(first)
            case .scalar(let word) where !word.parts.isEmpty: lines[first.name, default: []].append(first)
            default: break
            }
        case .andOr(let first, _): collect(first, into: &lines)
        case .pipeline(let commands, let negated, _): if !negated, let first = commands.first { collect(first, into: &lines) }
        case .redirected(let inner, _): collect(inner, into: &lines)
        case .group(let body): body.forEach { collect($0, into: &lines) }
        case .ifClause(let branches, let elseBody):
            for branch in branches { branch.body.forEach { collect($0, into: &lines) } }
            elseBody?.forEach { collect($0, into: &lines) }
        case .forIn(_, _, let body, _), .forArithmetic(_, _, _, let body, _): body.forEach { collect($0, into: &lines) }
        case .whileLoop(_, let body, _): body.forEach { collect($0, into: &lines) }
        case .caseClause(_, let items): for item in items { item.body.forEach { collect($0, into: &lines) } }
        case .function(let definition): collect(definition.body, into: &lines)
        case .subshell, .conditional, .arithmetic: break
        }
    }

    /// `srcinfo_write_attr`: whitespace runs become one space, one space trimmed per end.
    static func normalize(_ value: String) -> String {
        if isNormal(value) { return value }
        var out = String.UnicodeScalarView()
        var inSpace = false
        for c in value.unicodeScalars {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" {
                if !inSpace { out.append(" ") }
                inSpace = true
            } else {
                out.append(c)
                inSpace = false
            }
        }
        var s = String(out)
        if s.hasPrefix(" ") { s.removeFirst() }
        if s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    /// Most values are already normal: single spaces between words, none at the ends.
    static func isNormal(_ value: String) -> Bool {
        var previousSpace = true  // a leading space is not normal
        for byte in value.utf8 {
            switch byte {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D: return false
            case 0x20:
                if previousSpace { return false }
                previousSpace = true
            default: previousSpace = false
            }
        }
        return !previousSpace || value.isEmpty
    }
}
