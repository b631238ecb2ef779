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
    private(set) var problems: [Problem] = []

    /// `"${pkgname[@]}"`, and unquoted (split on blanks) as some loops take it.
    let pkgnames: [String]
    let pkgnameWords: [String]
    /// `"${arch[@]}"`, and `${arch[@]}` unquoted.
    let arches: [String]
    let archWords: [String]
    /// The global variables the PKGBUILD assigned or declared (not the environment's),
    /// in no order: the only ones the schema checks can find.
    let ownGlobals: [String]
    let ownIndex: NameIndex
    static let schemaArraySet = Set(schemaArrays)
    static let schemaStringSet = Set(schemaStrings)
    /// Each schema name's place in makepkg's loops (arrays, then strings).
    static let schemaIndex = Dictionary(uniqueKeysWithValues: (schemaArrays + schemaStrings).enumerated().map { ($1, $0) })

    init(extractor: SrcInfoExtractor, buildfile: String) {
        self.extractor = extractor
        self.buildfile = buildfile
        let words = { (values: [String]) -> [String] in
            let blank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A }
            guard values.contains(where: { $0.utf8.contains(where: blank) }) else { return values }
            return values.flatMap { $0.utf8.split(whereSeparator: blank).map { String(Substring($0)) } }
        }
        pkgnames = extractor.global("pkgname")?.allValues ?? []
        pkgnameWords = words(pkgnames)
        arches = extractor.global("arch")?.allValues ?? []
        archWords = words(arches)
        ownGlobals = extractor.shell.variables.globals.compactMap { $0.value.assignedAt == nil ? nil : $0.key }
        ownIndex = NameIndex(ownGlobals, archWords: archWords)
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
        guard problems.count > 1 else { return problems }
        var seen = Set<String>()
        return problems.filter { seen.insert($0.message).inserted }
    }

    // MARK: values as makepkg's lint functions see them

    /// `${pkgbase:-${pkgname[0]}}`, as makepkg sets it before linting.
    var pkgbase: String { extractor.pkgbase ?? "" }

    /// Where global `name` was last assigned (0, the file's start, when unknown).
    func assignedAt(_ name: String) -> Int { extractor.shell.variables.scopes[0][name]?.assignedAt ?? 0 }

    func scalar(_ name: String) -> String { extractor.global(name)?.scalarValue ?? "" }
    func isDeclared(_ name: String) -> Bool { extractor.shell.variables.scopes[0][name] != nil }
    func isArray(_ name: String) -> Bool {
        guard let variable = extractor.shell.variables.scopes[0][name] else { return false }
        switch variable.value {
        case .indexed?, .associative?: return true
        case .scalar?: return false
        case nil: return variable.isIndexedArray || variable.isAssociative
        }
    }

    /// The schema names and the `BASE_ARCH` names (BASE a schema name, ARCH one of the
    /// arch words) among a set of variable names, each name looked at once. The lint
    /// asks whether a hundred such names exist; going the other way round, from the few
    /// names that do exist, builds and looks up none of the others.
    struct NameIndex {
        /// Schema names, in makepkg's loop order.
        var schema: [String] = []
        /// `BASE_ARCH` names, in makepkg's loop order (arch, then base).
        var variants: [(name: String, base: String, arch: String)] = []

        init(_ names: some Sequence<String>, archWords: [String]) {
            var schema: [(Int, String)] = []
            var variants: [(key: (Int, Int), name: String, base: String, arch: String)] = []
            for name in names {
                // schema names start with a lowercase letter: private `_vars` pass at once
                guard let first = name.utf8.first, first >= 0x61 && first <= 0x7A else { continue }
                if let index = MakepkgLint.schemaIndex[name] { schema.append((index, name)); continue }
                guard name.utf8.contains(UInt8(ascii: "_")) else { continue }
                for (archIndex, arch) in archWords.enumerated() where name.utf8.count > arch.utf8.count + 1 {
                    let baseEnd = name.utf8.index(name.utf8.endIndex, offsetBy: -(arch.utf8.count + 1))
                    guard name.utf8[baseEnd] == UInt8(ascii: "_"),
                          name.utf8[name.utf8.index(after: baseEnd)...].elementsEqual(arch.utf8) else { continue }
                    let base = String(Substring(name.utf8[..<baseEnd]))
                    guard let baseIndex = MakepkgLint.schemaIndex[base] else { continue }
                    variants.append(((archIndex, baseIndex), name, base, arch))
                }
            }
            if schema.count > 1 { schema.sort { $0.0 < $1.0 } }
            if variants.count > 1 { variants.sort { $0.key < $1.key } }
            self.schema = schema.map(\.1)
            self.variants = variants.map { ($0.name, $0.base, $0.arch) }
        }
    }

    /// What a package function assigns at the start of its lines (what makepkg's
    /// `extract_function_variable` greps `declare -f` for), looked up once per package:
    /// the lint asks about a hundred names per package and most are never assigned.
    /// A class: handed around by reference, it is never copied.
    final class FunctionVariables {
        var lines: [String: [Assignment]] = [:]
        /// Names with an assignment of that kind, and where the first one is.
        var scalar: [String: Int] = [:]
        var array: [String: Int] = [:]
        /// The schema and `NAME_ARCH` names among them.
        var index = NameIndex([], archWords: [])
    }
    private var functionVariables: [String: FunctionVariables] = [:]

    mutating func variables(of package: String) -> FunctionVariables {
        if let known = functionVariables[package] { return known }
        let found = FunctionVariables()
        found.lines = extractor.assignmentLines(of: package)
        for (name, lines) in found.lines {
            for line in lines {
                if case .array = line.value {
                    if found.array[name] == nil { found.array[name] = line.offset }
                } else if found.scalar[name] == nil {
                    found.scalar[name] = line.offset
                }
            }
        }
        found.index = NameIndex(found.lines.keys, archWords: archWords)
        functionVariables[package] = found
        return found
    }

    /// The lines of `package_PKG()` (or `package()`) that `extract_function_variable`
    /// finds for `attr`: array assignments when `array`, else scalar ones.
    mutating func lines(_ package: String, _ attr: String, array: Bool) -> [Assignment] {
        (variables(of: package).lines[attr] ?? []).filter { line in
            if case .array = line.value { return array }
            return !array
        }
    }

    /// `get_pkgbuild_all_split_attributes ATTR`: the global list, its `ATTR_ARCH`
    /// variants, and each package function's (with its additions to the global list),
    /// each value with the offset of its assignment.
    mutating func forEachSplitValue(_ attr: String, _ body: (inout MakepkgLint, String, Int) -> Void) {
        globalValues(attr, body)
        // `ATTR_ARCH` names only where some exist (most PKGBUILDs have none)
        for variant in ownIndex.variants where variant.base == attr { globalValues(variant.name, body) }
        for name in pkgnames {
            let assigned = variables(of: name)
            functionValues(name, attr, assigned, body)
            for variant in assigned.index.variants where variant.base == attr { functionValues(name, variant.name, assigned, body) }
        }
    }

    /// The global list `key` and each package function's, as `lint_backup` and
    /// `lint_options` gather them (no `KEY_ARCH` variants).
    mutating func forEachPackageValue(_ key: String, _ body: (inout MakepkgLint, String, Int) -> Void) {
        globalValues(key, body)
        for name in pkgnames { functionValues(name, key, variables(of: name), body) }
    }

    private mutating func globalValues(_ key: String, _ body: (inout MakepkgLint, String, Int) -> Void) {
        guard let values = extractor.global(key)?.allValues, !values.isEmpty else { return }
        let offset = assignedAt(key)
        for value in values { body(&self, value, offset) }
    }

    /// A package function's value of `key` (its array lines on top of the global value).
    private mutating func functionValues(_ package: String, _ key: String, _ assigned: FunctionVariables,
                                         _ body: (inout MakepkgLint, String, Int) -> Void) {
        guard assigned.array[key] != nil else { return }
        let found = lines(package, key, array: true)
        guard let offset = found.first?.offset else { return }
        let start = extractor.global(key)?.allValues ?? []
        for value in extractor.evaluate(found, key: key, start: start, isArray: true, package: package) { body(&self, value, offset) }
    }

    mutating func note(_ message: String?, about variable: String) {
        guard let message else { return }
        problems.append(Problem(message: message, offset: assignedAt(variable)))
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
        let plain = { (byte: UInt8) in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == UInt8(ascii: "_")
        }
        for a in arches where !a.utf8.allSatisfy(plain) {
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
        for (name, base, arch) in ownIndex.variants {
            if let message = Self.archSpecificProblem(name, base: base, arch: arch) { note(message, about: name) }
        }
        for pkg in pkgnameWords {
            let assigned = variables(of: pkg)
            for (name, base, arch) in assigned.index.variants {
                guard let message = Self.archSpecificProblem(name, base: base, arch: arch) else { continue }
                note(message, at: assigned.scalar[name] ?? assigned.array[name] ?? 0)
            }
        }
    }

    /// What `lint_arch_specific` says of `BASE_ARCH`, if anything.
    static func archSpecificProblem(_ name: String, base: String, arch: String) -> String? {
        if archArrays.contains(base) {
            return arch == "any" ? "Can not provide architecture specific variables for the 'any' architecture: \(name)" : nil
        }
        return "\(base) can not be architecture specific: \(name)"
    }

    func functionOffset(_ package: String) -> Int {
        (extractor.shell.functions["package_\(package)"] ?? extractor.shell.functions["package"])?.offset ?? 0
    }

    /// `lint_backup`
    mutating func lintBackup() {
        forEachPackageValue("backup") { lint, entry, offset in
            if entry.utf8.first == UInt8(ascii: "/") { lint.note("backup entry should not contain leading slash : \(entry)", at: offset) }
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
        forEachSplitValue(field) { lint, entry, offset in lint.lintDependency(entry, field: field, offset: offset) }
    }

    mutating func lintDependency(_ entry: String, field: String, offset: Int) {
        var dependency = entry.utf8[...]
        if field == "optdepends", let colon = Self.descriptionStart(entry) { dependency = dependency[..<colon] }
        let isOperator = { (byte: UInt8) in byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "=") }
        let operatorStart = dependency.firstIndex(where: isOperator) ?? dependency.endIndex
        let name = String(Substring(dependency[..<operatorStart]))
        for problem in PackageNameRules.nameProblems(name, field: field) { note(problem, at: offset) }
        guard operatorStart < dependency.endIndex else { return }
        var versionStart = dependency.index(after: operatorStart)
        if versionStart < dependency.endIndex, dependency[versionStart] == UInt8(ascii: "="),
           dependency[operatorStart] != UInt8(ascii: "=") {
            versionStart = dependency.index(after: versionStart)  // `>=`, `<=`: the longest operator
        }
        let version = String(Substring(dependency[versionStart...]))
        // depends skips an empty version (FS#58776)
        if field == "depends", version.isEmpty { return }
        for problem in PackageNameRules.fullVersionProblems(version, in: field) { note(problem, at: offset) }
    }

    /// `${optdepend%%:[[:space:]]*}`: where an optdepends description starts.
    static func descriptionStart(_ entry: String) -> String.Index? {
        let bytes = entry.utf8
        var i = bytes.startIndex
        while let colon = bytes[i...].firstIndex(of: UInt8(ascii: ":")) {
            let next = bytes.index(after: colon)
            if next < bytes.endIndex, [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains(bytes[next]) { return colon }
            i = next
        }
        return nil
    }

    /// `lint_options`
    mutating func lintOptions() {
        forEachPackageValue("options") { lint, option, offset in
            let plain = option.utf8.first == UInt8(ascii: "!") ? String(option.dropFirst()) : option
            if !Self.knownOptions.contains(plain) { lint.note("options array contains unknown option '\(option)'", at: offset) }
        }
    }

    /// `lint_package_function`
    mutating func lintPackageFunctions() {
        let functions = extractor.shell.functions
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
        for pkg in pkgnameWords {
            let assigned = variables(of: pkg)
            let offset = { (name: String) in assigned.scalar[name] ?? assigned.array[name] ?? 0 }
            for (name, base, arch) in assigned.index.variants where arch != "any" && !Self.packageOverrides.contains(base) {
                note("\(name) can not be set inside a package function", at: offset(name))
            }
            for name in assigned.index.schema where !Self.packageOverrides.contains(name) {
                note("\(name) can not be set inside a package function", at: offset(name))
            }
        }
    }

    /// `lint_provides`: no comparison; `name[=version]` split at the last `=`.
    mutating func lintProvides() {
        forEachSplitValue("provides") { lint, entry, offset in lint.lintProvide(entry, offset: offset) }
    }

    mutating func lintProvide(_ entry: String, offset: Int) {
        if entry.utf8.contains(UInt8(ascii: "<")) || entry.utf8.contains(UInt8(ascii: ">")) {
            note("provides array cannot contain comparison (< or >) operators.", at: offset)
            return
        }
        let name = entry.utf8.lastIndex(of: UInt8(ascii: "=")).map { String(Substring(entry.utf8[..<$0])) } ?? entry
        for problem in PackageNameRules.nameProblems(name, field: "provides") { note(problem, at: offset) }
        if name != entry {
            let version = String(entry.dropFirst(name.count + 1))
            for problem in PackageNameRules.fullVersionProblems(version, in: "provides") { note(problem, at: offset) }
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
        for i in ownIndex.schema where Self.schemaArraySet.contains(i) && !isArray(i) {
            note("\(i) should be an array", about: i)
        }
        for (name, base, arch) in ownIndex.variants where arch != "any" && Self.archArrays.contains(base) && !isArray(name) {
            note("\(name) should be an array", about: name)
        }
        for i in ownIndex.schema where Self.schemaStringSet.contains(i) && isArray(i) {
            note("\(i) should not be an array", about: i)
        }
        for pkg in pkgnameWords {
            let assigned = variables(of: pkg)
            for i in assigned.index.schema where Self.schemaArraySet.contains(i) {
                if let offset = assigned.scalar[i] { note("\(i) should be an array", at: offset) }
            }
            for (name, base, arch) in assigned.index.variants where arch != "any" && Self.archArrays.contains(base) {
                if let offset = assigned.scalar[name] { note("\(name) should be an array", at: offset) }
            }
            for i in assigned.index.schema where Self.schemaStringSet.contains(i) {
                if let offset = assigned.array[i] { note("\(i) should not be an array", at: offset) }
            }
        }
    }
}
