import Foundation

/// Reads a PKGBUILD natively: evaluates it with the bash-subset interpreter, never running
/// it, and extracts what `makepkg --printsrcinfo` would print, then applies makepkg's
/// checks of what it read (``MakepkgLint``).
public struct PKGBUILDReader: Sendable {
    public let environment: MakepkgEnvironment

    /// The largest PKGBUILD the reader evaluates (the largest real ones are ~100 KiB).
    public static let sizeLimit = 4 << 20

    /// The work units one PKGBUILD may cost (``ShellBudget``); tests lower it.
    var budgetUnits = ShellBudget.standardUnits
    /// The time one PKGBUILD may take; tests that assert which bound stopped a
    /// PKGBUILD turn it off (nil), so that a slow machine cannot change their answer.
    var budgetTime: Duration? = ShellBudget.standardTime

    public init(environment: MakepkgEnvironment = .debianDefault()) {
        self.environment = environment
    }

    /// What reading one PKGBUILD gave.
    public struct Result: Sendable, Codable {
        public var file: String
        /// The package description; nil when the PKGBUILD names no package.
        public var srcinfo: SrcInfo?
        public var diagnostics: [Diagnostic]
        /// What sourcing the PKGBUILD printed on standard output (a top-level `echo`),
        /// which `makepkg --printsrcinfo` prints before the `.SRCINFO`; nil for nothing.
        public var printed: String?

        public init(file: String, srcinfo: SrcInfo?, diagnostics: [Diagnostic], printed: String? = nil) {
            self.file = file
            self.srcinfo = srcinfo
            self.diagnostics = diagnostics
            self.printed = printed
        }

        /// What `makepkg --printsrcinfo` prints for the PKGBUILD: what sourcing it printed,
        /// then the `.SRCINFO`; nil without a `.SRCINFO`.
        public var printedSrcinfo: String? { srcinfo.map { (printed ?? "") + $0.text } }
        /// Something could not be evaluated without a real shell (a command substitution
        /// of an external command, `source`, a file test, a budget exceeded, ...): only
        /// the sandboxed makepkg can give the exact answer. The values that could be
        /// evaluated are in `srcinfo`. Never set for an ``isInvalid`` result.
        public var needsFallback: Bool { !diagnostics.isEmpty && !isInvalid }
        /// makepkg refuses the PKGBUILD (its lint, a top-level `exit`, a failing source,
        /// CRLF line ends, a symlink out of its tree), and the reader knows it exactly:
        /// every diagnostic is such a refusal, none says the evaluation was incomplete.
        public var isInvalid: Bool {
            diagnostics.contains { $0.severity == .invalid } && diagnostics.allSatisfy { $0.severity == .invalid }
        }
        /// makepkg's reason for refusing an ``isInvalid`` PKGBUILD: the first refusal.
        public var invalidReason: String? {
            isInvalid ? diagnostics.first { $0.severity == .invalid }?.message : nil
        }
        /// The PKGBUILD is broken for makepkg as well (or may be: a syntax error).
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error || $0.severity == .invalid } }
    }

    /// Reads PKGBUILD `text`; `file` names it in diagnostics, `startdir` is its directory.
    public func read(text: String, file: String = "PKGBUILD", startdir: String = "") -> Result {
        guard text.utf8.count <= Self.sizeLimit else {
            return Result(file: file, srcinfo: nil, diagnostics: [
                Diagnostic(file: file, line: 1, column: 1, severity: .fallback,
                           message: "is \(text.utf8.count) bytes, over the reader's budget (\(Self.sizeLimit >> 20) MiB per PKGBUILD)"),
            ])
        }
        // bash drops NUL bytes when it sources a file (makepkg only warns, reading it for
        // its CRLF check): `pkgname=a<NUL>b` is the package ab
        var text = text
        if Self.firstOffset(of: 0, in: &text) != nil { text = String(decoding: text.utf8.filter { $0 != 0 }, as: UTF8.self) }
        // lines and columns are counted only for a PKGBUILD with diagnostics
        lazy var map = SourceMap(text)
        if let cr = Self.firstOffset(of: 13, in: &text) {
            let (line, column) = map.location(of: cr)
            return Result(file: file, srcinfo: nil, diagnostics: [
                Diagnostic(file: file, line: line, column: column, severity: .invalid,
                           message: "\(file) contains CRLF characters and cannot be sourced."),
            ])
        }
        var shell = ShellInterpreter()
        shell.work = ShellBudget(units: budgetUnits, time: budgetTime)
        shell.variables = environment.variables
        shell.assign("startdir", .scalar(startdir), offset: 0)
        // makepkg sources the PKGBUILD inside its source_safe function: `declare` and
        // `local` at the top level make locals of that function, gone afterwards.
        shell.variables.scopes.append([:])
        // what only a command substitution the reader cannot run gives is held back
        // until something reads it (ShellInterpreter+UnknownValues)
        shell.deferUnknownValues = true
        shell.environmentVariables = environment.variables.globals
        shell.run(text)
        shell.deferUnknownValues = false
        shell.variables.scopes.removeLast()
        shell.revealWhatMakepkgReads()
        let printed = shell.printed
        var refusals: [(message: String, offset: Int)] = []
        var extractor = SrcInfoExtractor(shell: shell)
        switch shell.sourceEnd {
        case .exited(let status, let offset):
            // `exit` in a sourced file ends makepkg itself, silently, even with status 0
            refusals.append(("'exit \(status)' at the top level ends makepkg while it sources the PKGBUILD "
                             + "(exit status \(status), no .SRCINFO)", offset))
        case .completed where shell.lastStatus != 0:
            // source_safe: `if ! source "$@"; then error "Failed to source %s"`
            refusals.append(("Failed to source \(file): its last command returns status \(shell.lastStatus)",
                             shell.currentOffset))
        case .completed:
            var lint = MakepkgLint(extractor: extractor, buildfile: file)
            refusals += lint.run().map { ($0.message, $0.offset) }
            extractor = lint.extractor  // with the package functions' lines it collected
        case .stopped:
            break
        }
        var srcinfo: SrcInfo?
        if let pkgbase = extractor.pkgbase { srcinfo = extractor.extract(pkgbase: pkgbase) }
        var diagnostics: [Diagnostic] = []
        for d in extractor.shell.diagnostics {
            let (line, column) = map.location(of: d.offset)
            diagnostics.append(Diagnostic(file: file, line: line, column: column,
                                          severity: d.kind == .syntax ? .error : .fallback, message: d.message))
        }
        if extractor.shell.unreported > 0, let last = extractor.shell.diagnostics.last {
            let (line, column) = map.location(of: last.offset)
            diagnostics.append(Diagnostic(file: file, line: line, column: column, severity: .fallback,
                                          message: "and \(extractor.shell.unreported) more places that need makepkg, not listed"))
        }
        for refusal in refusals {
            let (line, column) = map.location(of: refusal.offset)
            diagnostics.append(Diagnostic(file: file, line: line, column: column, severity: .invalid, message: refusal.message))
        }
        if srcinfo == nil, diagnostics.isEmpty {
            diagnostics.append(Diagnostic(file: file, line: 1, column: 1, severity: .error,
                                          message: "pkgname is not set: expected pkgname=NAME or pkgname=(NAME...)"))
        }
        return Result(file: file, srcinfo: srcinfo, diagnostics: diagnostics, printed: printed.isEmpty ? nil : printed)
    }

    /// The offset of the first `byte` in `text`, by memchr over its UTF-8 storage (a
    /// generic scan of `String.UTF8View` costs more than parsing most PKGBUILDs).
    static func firstOffset(of byte: UInt8, in text: inout String) -> Int? {
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, let found = memchr(base, Int32(byte), bytes.count) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }
}
