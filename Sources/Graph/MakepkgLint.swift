/// makepkg's `lint_pkgbuild` stage (pacman 6.0.2, `/usr/share/makepkg/lint_pkgbuild/`)
/// over an evaluated PKGBUILD: the checks makepkg makes after sourcing it and before it
/// prints a `.SRCINFO` or builds anything, in makepkg's order and with its sentences.
/// A PKGBUILD that fails one is refused by makepkg (`==> ERROR: ...`, exit 12), so
/// pacbuild reports it `invalid` and never queues it.
///
/// Not here: `lint_changelog` and `lint_install` test files next to the PKGBUILD
/// (``PKGBUILDTree/checkFiles(of:directory:root:)`` does, outside the pure reader);
/// `lint_pkglist` concerns `--pkg` only. `lint_arch` runs as a build runs it for the one
/// case that fails for every CARCH (no arch at all, ``lintBuildArch()``); an arch that
/// leaves out the repo's CARCH is the plan's arch policy (`excluded`), as
/// `makepkg --printsrcinfo` ignores it.
struct MakepkgLint {
    /// One refusal: makepkg's sentence, and the offset of what it is about.
    struct Problem: Equatable {
        var message: String
        var offset: Int
    }

    /// `pkgbuild_schema_arrays`, `..._strings`, `..._arch_arrays`, `..._package_overrides`
    /// (util/schema.sh).
    static let hashArrays = SrcInfo.hashArrays
    static let schemaArrays = ["arch", "backup", "checkdepends", "conflicts", "depends", "groups", "license",
                               "makedepends", "noextract", "optdepends", "options", "provides", "replaces",
                               "source", "validpgpkeys"] + hashArrays
    static let schemaStrings = ["changelog", "epoch", "install", "pkgbase", "pkgdesc", "pkgrel", "pkgver", "url"]
    static let archArrayList = ["checkdepends", "conflicts", "depends", "makedepends", "optdepends", "provides",
                                "replaces", "source"] + hashArrays
    static let archArrays = Set(archArrayList)
    static let packageOverrides: Set<String> = ["pkgdesc", "arch", "url", "license", "groups", "depends", "optdepends",
                                                "provides", "conflicts", "replaces", "backup", "options", "install",
                                                "changelog"]
    /// `packaging_options` (tidy/*.sh) and `build_options` (buildenv/*.sh) of pacman 6.0.2.
    static let knownOptions: Set<String> = ["docs", "emptydirs", "libtool", "purge", "staticlibs", "strip", "debug",
                                            "zipman", "buildflags", "ccache", "distcc", "lto", "makeflags"]

    var extractor: SrcInfoExtractor
    /// The PKGBUILD's path as makepkg's `$BUILDFILE` names it in its sentences.
    let buildfile: String
    /// Where each variable was last assigned, for the line of a problem about it.
    let assignedAt: [String: Int]
    private(set) var problems: [Problem] = []

    init(extractor: SrcInfoExtractor, buildfile: String, assignedAt: [String: Int]) {
        self.extractor = extractor
        self.buildfile = buildfile
        self.assignedAt = assignedAt
    }

    /// Every check, in the order makepkg registers them (nested `source`s put epoch,
    /// pkgrel, pkgver and pkgname before checkdepends); the same sentence once.
    mutating func run() -> [Problem] {
        lintArch()
        lintArchSpecific()
        lintBackup()
        note(PackageNameRules.epochProblem(scalar("epoch")), about: "epoch")
        note(PackageNameRules.pkgrelProblem(scalar("pkgrel")), about: "pkgrel")
        note(PackageNameRules.pkgverProblem(scalar("pkgver")), about: "pkgver")
        lintPkgname()
        for field in ["checkdepends", "conflicts", "depends", "makedepends", "optdepends"] { lintDependencies(field) }
        lintOptions()
        lintPackageFunctions()
        lintPackageFunctionVariables()
        if !pkgbase.isEmpty {
            for problem in PackageNameRules.nameProblems(pkgbase, field: "pkgbase") { note(problem, about: "pkgbase") }
        }
        lintProvides()
        lintSource()
        lintVariables()
        lintBuildArch()
        var seen = Set<String>()
        return problems.filter { seen.insert($0.message).inserted }
    }

    // MARK: values as makepkg's lint functions see them

    var shell: ShellInterpreter { extractor.shell }
    var pkgnames: [String] { extractor.global("pkgname")?.allValues ?? [] }
    /// `${arch[@]}`.
    var arches: [String] { extractor.global("arch")?.allValues ?? [] }
    /// `for a in ${arch[@]}` (unquoted: split on blanks).
    var archWords: [String] { arches.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init) } }
    /// `${pkgbase:-${pkgname[0]}}`, as makepkg sets it before linting.
    var pkgbase: String { extractor.pkgbase ?? "" }

    func scalar(_ name: String) -> String { extractor.global(name)?.scalarValue ?? "" }
    func isDeclared(_ name: String) -> Bool { shell.variables.globals[name] != nil }
    func isArray(_ name: String) -> Bool {
        guard let variable = shell.variables.globals[name] else { return false }
        switch variable.value {
        case .indexed?, .associative?: return true
        case .scalar?: return false
        case nil: return variable.isIndexedArray || variable.isAssociative
        }
    }

    /// The lines of `package_PKG()` (or `package()`) that `extract_function_variable`
    /// finds for `attr`: array assignments when `array`, else scalar ones.
    mutating func lines(_ package: String, _ attr: String, array: Bool) -> [Assignment] {
        (extractor.assignmentLines(of: package)[attr] ?? []).filter { line in
            if case .array = line.value { return array }
            return !array
        }
    }

    /// `exists_function_variable`.
    mutating func exists(_ package: String, _ attr: String) -> Bool {
        !lines(package, attr, array: false).isEmpty || !lines(package, attr, array: true).isEmpty
    }

    /// `get_pkgbuild_all_split_attributes ATTR`: the global list, its `ATTR_ARCH`
    /// variants, and each package function's (with its additions to the global list).
    mutating func allSplitValues(_ attr: String) -> [(value: String, offset: Int)] {
        var out: [(String, Int)] = []
        let global = extractor.global(attr)?.allValues ?? []
        out += global.map { ($0, assignedAt[attr] ?? 0) }
        for a in arches {
            out += (extractor.global("\(attr)_\(a)")?.allValues ?? []).map { ($0, assignedAt["\(attr)_\(a)"] ?? 0) }
        }
        for name in pkgnames {
            for key in [attr] + arches.map({ "\(attr)_\($0)" }) {
                let found = lines(name, key, array: true)
                guard let offset = found.first?.offset else { continue }
                let start = extractor.global(key)?.allValues ?? []
                out += extractor.evaluate(found, key: key, start: start, isArray: true, package: name).map { ($0, offset) }
            }
        }
        return out
    }

    mutating func note(_ message: String?, about variable: String) {
        guard let message else { return }
        problems.append(Problem(message: message, offset: assignedAt[variable] ?? 0))
    }

    mutating func note(_ message: String, at offset: Int) {
        problems.append(Problem(message: message, offset: offset))
    }

    // MARK: the checks

    /// `lint_arch`
    mutating func lintArch() {
        if arches.contains("any") {
            if arches.count > 1 { note("Can not use 'any' architecture with other architectures", about: "arch") }
            return
        }
        for a in arches {
            let invalid = String(String.UnicodeScalarView(a.unicodeScalars.filter { !(ShellPattern.inClass("alnum", $0) || $0 == "_") }))
            if !invalid.isEmpty { note("arch contains invalid characters: '\(invalid)'", about: "arch") }
        }
    }

    /// `lint_arch` as a build runs it (`--printsrcinfo` ignores the arch), for the one
    /// case that fails for every CARCH: no arch at all. Checked last, so that the first
    /// sentence is the one `makepkg --printsrcinfo` prints when it fails too.
    mutating func lintBuildArch() {
        if arches.isEmpty, let carch = extractor.global("CARCH")?.scalarValue {
            note("\(pkgbase) is not available for the '\(carch)' architecture.", about: "arch")
        }
    }

    /// `lint_arch_specific`
    mutating func lintArchSpecific() {
        let others = (Self.schemaArrays + Self.schemaStrings).filter { !Self.archArrays.contains($0) }
        for a in archWords {
            if a == "any" {
                for i in Self.archArrayList where isDeclared("\(i)_any") {
                    note("Can not provide architecture specific variables for the 'any' architecture: \(i)_any", about: "\(i)_any")
                }
            }
            for i in others where isDeclared("\(i)_\(a)") {
                note("\(i) can not be architecture specific: \(i)_\(a)", about: "\(i)_\(a)")
            }
        }
        for pkg in pkgnames.flatMap({ $0.split(separator: " ").map(String.init) }) {
            for a in archWords {
                if a == "any" {
                    for i in Self.archArrayList where exists(pkg, "\(i)_any") {
                        note("Can not provide architecture specific variables for the 'any' architecture: \(i)_any",
                             at: functionOffset(pkg))
                    }
                }
                for i in others where exists(pkg, "\(i)_\(a)") {
                    note("\(i) can not be architecture specific: \(i)_\(a)", at: functionOffset(pkg))
                }
            }
        }
    }

    func functionOffset(_ package: String) -> Int {
        (shell.functions["package_\(package)"] ?? shell.functions["package"])?.offset ?? 0
    }

    /// `lint_backup`
    mutating func lintBackup() {
        var entries = (extractor.global("backup")?.allValues ?? []).map { ($0, assignedAt["backup"] ?? 0) }
        for name in pkgnames {
            let found = lines(name, "backup", array: true)
            guard let offset = found.first?.offset else { continue }
            entries += extractor.evaluate(found, key: "backup", start: [], isArray: true, package: name).map { ($0, offset) }
        }
        for (entry, offset) in entries where entry.hasPrefix("/") {
            note("backup entry should not contain leading slash : \(entry)", at: offset)
        }
    }

    /// `lint_pkgname`
    mutating func lintPkgname() {
        if pkgnames.joined(separator: " ").isEmpty {
            note("pkgname is not allowed to be empty.", about: "pkgname")
            return
        }
        for name in pkgnames {
            for problem in PackageNameRules.nameProblems(name, field: "pkgname") { note(problem, about: "pkgname") }
        }
    }

    /// `lint_depends` and its siblings: each entry's name (before the first `<`, `>` or
    /// `=`) as a package name, its version (after the operator) as a full version.
    mutating func lintDependencies(_ field: String) {
        for (entry, offset) in allSplitValues(field) {
            var dependency = Substring(entry)
            if field == "optdepends", let colon = Self.descriptionStart(entry) { dependency = dependency[..<colon] }
            let operatorStart = dependency.firstIndex { $0 == "<" || $0 == ">" || $0 == "=" } ?? dependency.endIndex
            let name = String(dependency[..<operatorStart])
            for problem in PackageNameRules.nameProblems(name, field: field) { note(problem, at: offset) }
            guard operatorStart < dependency.endIndex else { continue }
            var versionStart = dependency.index(after: operatorStart)
            if versionStart < dependency.endIndex, dependency[versionStart] == "=", dependency[operatorStart] != "=" {
                versionStart = dependency.index(after: versionStart)  // `>=`, `<=`: the longest operator
            }
            let version = String(dependency[versionStart...])
            // depends skips an empty version (FS#58776)
            if field == "depends", version.isEmpty { continue }
            for problem in PackageNameRules.fullVersionProblems(version, in: field) { note(problem, at: offset) }
        }
    }

    /// `${optdepend%%:[[:space:]]*}`: where an optdepends description starts.
    static func descriptionStart(_ entry: String) -> String.Index? {
        var i = entry.startIndex
        while let colon = entry[i...].firstIndex(of: ":") {
            let next = entry.index(after: colon)
            if next < entry.endIndex, entry[next].isWhitespace { return colon }
            i = next
        }
        return nil
    }

    /// `lint_options`
    mutating func lintOptions() {
        var entries = (extractor.global("options")?.allValues ?? []).map { ($0, assignedAt["options"] ?? 0) }
        for name in pkgnames {
            let found = lines(name, "options", array: true)
            guard let offset = found.first?.offset else { continue }
            entries += extractor.evaluate(found, key: "options", start: [], isArray: true, package: name).map { ($0, offset) }
        }
        for (option, offset) in entries {
            let plain = option.hasPrefix("!") ? String(option.dropFirst()) : option
            if !Self.knownOptions.contains(plain) { note("options array contains unknown option '\(option)'", at: offset) }
        }
    }

    /// `lint_package_function`
    mutating func lintPackageFunctions() {
        let functions = shell.functions
        if pkgnames.count == 1 {
            let name = pkgnames[0]
            if functions["package"] != nil && functions["package_\(name)"] != nil {
                note("Conflicting package() and package_\(name)() functions in \(buildfile)", at: functionOffset(name))
            } else if let build = functions["build"], functions["package"] == nil && functions["package_\(name)"] == nil {
                note("Missing package() function in \(buildfile)", at: build.offset)
            }
        } else {
            if let package = functions["package"] {
                note("Extra package() function for split package '\(pkgbase)'", at: package.offset)
            }
            for name in pkgnames where functions["package_\(name)"] == nil {
                note("Missing package_\(name)() function for split package '\(name)'", about: "pkgname")
            }
        }
    }

    /// `lint_package_function_variable`
    mutating func lintPackageFunctionVariables() {
        let fixed = (Self.schemaArrays + Self.schemaStrings).filter { !Self.packageOverrides.contains($0) }
        for pkg in pkgnames.flatMap({ $0.split(separator: " ").map(String.init) }) {
            for a in archWords where a != "any" {
                for i in fixed where exists(pkg, "\(i)_\(a)") {
                    note("\(i)_\(a) can not be set inside a package function", at: functionOffset(pkg))
                }
            }
            for i in fixed where exists(pkg, i) {
                note("\(i) can not be set inside a package function", at: functionOffset(pkg))
            }
        }
    }

    /// `lint_provides`: no comparison; `name[=version]` split at the last `=`.
    mutating func lintProvides() {
        for (entry, offset) in allSplitValues("provides") {
            if entry.contains("<") || entry.contains(">") {
                note("provides array cannot contain comparison (< or >) operators.", at: offset)
                continue
            }
            let name = entry.lastIndex(of: "=").map { String(entry[..<$0]) } ?? entry
            for problem in PackageNameRules.nameProblems(name, field: "provides") { note(problem, at: offset) }
            if name != entry {
                let version = String(entry.dropFirst(name.count + 1))
                for problem in PackageNameRules.fullVersionProblems(version, in: "provides") { note(problem, at: offset) }
            }
        }
    }

    /// `lint_source`: the indices of `source` must be 0..<count.
    mutating func lintSource() {
        guard case .indexed(let array)? = extractor.global("source"), array.count > 0 else { return }
        if array.keys[array.count - 1] + 1 != array.count { note("Sparse arrays are not allowed for source", about: "source") }
    }

    /// `lint_variable`: arrays must be arrays, strings strings, globally and in package
    /// functions.
    mutating func lintVariables() {
        for i in Self.schemaArrays where isDeclared(i) && !isArray(i) {
            note("\(i) should be an array", about: i)
        }
        for a in archWords where a != "any" {
            for i in Self.archArrayList {
                let name = "\(i)_\(a)"
                if isDeclared(name) && !isArray(name) { note("\(name) should be an array", about: name) }
            }
        }
        for i in Self.schemaStrings where isDeclared(i) && isArray(i) {
            note("\(i) should not be an array", about: i)
        }
        for pkg in pkgnames.flatMap({ $0.split(separator: " ").map(String.init) }) {
            for i in Self.schemaArrays where !lines(pkg, i, array: false).isEmpty {
                note("\(i) should be an array", at: lines(pkg, i, array: false)[0].offset)
            }
            for a in archWords where a != "any" {
                for i in Self.archArrayList {
                    let found = lines(pkg, "\(i)_\(a)", array: false)
                    if let first = found.first { note("\(i)_\(a) should be an array", at: first.offset) }
                }
            }
            for i in Self.schemaStrings {
                let found = lines(pkg, i, array: true)
                if let first = found.first { note("\(i) should not be an array", at: first.offset) }
            }
        }
    }
}
