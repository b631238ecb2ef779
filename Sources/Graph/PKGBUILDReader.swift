/// Reads a PKGBUILD natively: evaluates it with the bash-subset interpreter, never running
/// it, and extracts what `makepkg --printsrcinfo` would print.
public struct PKGBUILDReader: Sendable {
    public let environment: MakepkgEnvironment

    public init(environment: MakepkgEnvironment = .debianDefault()) {
        self.environment = environment
    }

    /// What reading one PKGBUILD gave.
    public struct Result: Sendable, Codable {
        public var file: String
        /// The package description; nil when the PKGBUILD names no package.
        public var srcinfo: SrcInfo?
        public var diagnostics: [Diagnostic]

        public init(file: String, srcinfo: SrcInfo?, diagnostics: [Diagnostic]) {
            self.file = file
            self.srcinfo = srcinfo
            self.diagnostics = diagnostics
        }
        /// Something could not be evaluated without a real shell (a command substitution
        /// of an external command, `source`, a file test, ...): only the sandboxed makepkg
        /// can give the exact answer. The values that could be evaluated are in `srcinfo`.
        public var needsFallback: Bool { !diagnostics.isEmpty }
        /// The PKGBUILD is broken for makepkg as well.
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Reads PKGBUILD `text`; `file` names it in diagnostics, `startdir` is its directory.
    public func read(text: String, file: String = "PKGBUILD", startdir: String = "") -> Result {
        var shell = ShellInterpreter()
        shell.variables = environment.variables
        shell.assign("startdir", .scalar(startdir), offset: 0)
        var diagnostics: [Diagnostic] = []
        let map = SourceMap(text)
        if text.utf8.contains(13) {
            let offset = text.utf8.firstIndex(of: 13).map { text.utf8.distance(from: text.utf8.startIndex, to: $0) } ?? 0
            let (line, column) = map.location(of: offset)
            diagnostics.append(Diagnostic(file: file, line: line, column: column, severity: .error,
                                          message: "contains CRLF characters and cannot be sourced (makepkg refuses it)"))
        }
        // makepkg sources the PKGBUILD inside its source_safe function: `declare` and
        // `local` at the top level make locals of that function, gone afterwards.
        shell.variables.scopes.append([:])
        shell.run(text)
        shell.variables.scopes.removeLast()
        var srcinfo: SrcInfo?
        var extractor = SrcInfoExtractor(shell: shell)
        if let pkgbase = extractor.pkgbase {
            srcinfo = extractor.extract(pkgbase: pkgbase)
        } else {
            diagnostics.append(Diagnostic(file: file, line: 1, column: 1, severity: .error,
                                          message: "pkgname is not set: expected pkgname=NAME or pkgname=(NAME...)"))
        }
        for d in extractor.shell.diagnostics {
            let (line, column) = map.location(of: d.offset)
            diagnostics.append(Diagnostic(file: file, line: line, column: column,
                                          severity: d.kind == .syntax ? .error : .fallback, message: d.message))
        }
        return Result(file: file, srcinfo: srcinfo, diagnostics: diagnostics)
    }
}
