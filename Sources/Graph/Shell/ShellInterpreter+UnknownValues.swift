/// Values the reader could not compute that makepkg's output may not need.
///
/// `export KBUILD_BUILD_TIMESTAMP="$(date -Ru)"` or `_pyver=$(python -c ...)` run a
/// command the reader cannot run, but what they print only goes into a variable. A
/// command substitution runs in a subshell, so such a command changes nothing but that
/// value and the assignment's status. While the reader sources a PKGBUILD
/// (``deferUnknownValues``), the diagnostics of an assignment whose only unknowns come
/// from its command substitutions are held back with the variable instead of made at
/// once: they become the PKGBUILD's diagnostics (and it needs makepkg) as soon as
/// anything reads the value (an expansion, arithmetic, `read`'s IFS, the status of the
/// assignment through `$?`, `&&`, `if`, `while`, source's own status) or when the
/// variable is one makepkg reads after sourcing (the `.SRCINFO` fields, makepkg.conf's
/// settings). A value nothing reads never changes the `.SRCINFO`: the PKGBUILD is read
/// natively. Names are kept without their scope for reading (a same-named local or
/// global counts as a read: never fewer fallbacks than needed, only more).
extension ShellInterpreter {
    /// Why one variable's value is unknown: the diagnostics held back, and the scope the
    /// value was written to (only an assignment to that scope makes it known again).
    struct UnknownValue: Sendable {
        var scope: Int
        var causes: [ShellDiagnostic]
    }

    /// The most diagnostics ``diagnosticLog`` keeps; past it nothing more is deferred.
    static let diagnosticLogLimit = 4096

    /// Records `diagnostic` in ``diagnosticLog`` with the substitution depth it came at.
    mutating func logDiagnostic(_ diagnostic: ShellDiagnostic) {
        guard deferUnknownValues else { return }
        if diagnosticLog.count >= Self.diagnosticLogLimit { diagnosticLogFull = true; return }
        diagnosticLog.append(LoggedDiagnostic(diagnostic: diagnostic, depth: substitutionDepth))
    }

    /// Makes held-back diagnostics the PKGBUILD's own (a loop's repeats once).
    mutating func reveal(_ causes: [ShellDiagnostic]) {
        for cause in causes {
            unfaithful = true
            logDiagnostic(cause)
            if !diagnostics.contains(cause) { diagnostics.append(cause) }
        }
    }

    /// A read of variable `name`: if its value is unknown, the reason becomes real.
    mutating func noteRead(_ name: String) {
        guard !unknownValues.isEmpty, let unknown = unknownValues[name] else { return }
        reveal(unknown.causes)
    }

    /// `lastStatus` for what decides on it (`&&`, `||`, `if`, `while`, `!`, `$?`, a
    /// `return` or `exit` without a number, source's own status).
    mutating func decidingStatus() -> Int32 {
        if let unknownStatus { reveal(unknownStatus) }
        return lastStatus
    }

    /// Whether an assignment to `name` may hold its diagnostics back: never a variable
    /// makepkg or the interpreter reads by itself.
    func mayDefer(_ name: String) -> Bool {
        !Self.readByShell.contains(name) && !Self.isReadByMakepkg(name) && environmentVariables[name] == nil
    }

    /// Variables bash or the interpreter reads without an expansion.
    static let readByShell: Set<String> = ["IFS", "LANG", "LC_ALL", "LC_COLLATE", "LC_CTYPE", "LC_MESSAGES",
                                           "LC_NUMERIC", "PATH", "HOME", "PWD", "OLDPWD", "OPTIND", "OPTARG", "REPLY"]

    /// The PKGBUILD variables makepkg reads after sourcing (its schema and the
    /// arch-specific `NAME_ARCH` arrays), and `pkgname`/`pkgbase`.
    static func isReadByMakepkg(_ name: String) -> Bool {
        if name == "pkgname" || MakepkgLint.schemaIndex[name] != nil { return true }
        guard let underscore = name.firstIndex(of: "_") else { return false }
        return MakepkgLint.archArrays.contains(String(name[..<underscore]))
    }

    /// Runs `assignment` of a scalar value, holding back the diagnostics of its command
    /// substitutions as described above when it may; otherwise as ``perform(_:local:)``.
    mutating func performDeferring(_ assignment: Assignment, word: ShellWord, local: Bool) throws {
        let logMark = diagnosticLog.count
        let diagnosticsMark = diagnostics.count
        let unreportedBefore = unreported
        let unfaithfulBefore = unfaithful
        unfaithful = false
        let value = try expandString(word)
        let causes = diagnosticLog[logMark...]
        let deferred = !causes.isEmpty && !diagnosticLogFull && unreported == unreportedBefore
            && mayDefer(assignment.name)
            && causes.allSatisfy { $0.diagnostic.kind == .unsupported && $0.depth > substitutionDepth }
        if deferred {
            // what the substitutions reported goes with the value, not into the PKGBUILD's
            diagnostics.removeSubrange(diagnosticsMark...)
            unfaithful = unfaithfulBefore
        } else {
            unfaithful = unfaithful || unfaithfulBefore
        }
        let previous = unknownValues.isEmpty ? nil : unknownValues[assignment.name]
        if assignment.append {
            appendScalar(assignment.name, value, offset: assignment.offset)
        } else {
            assign(assignment.name, .scalar(value), offset: assignment.offset, local: local)
        }
        if deferred {
            var held = causes.map(\.diagnostic)
            if assignment.append, let previous { held = previous.causes + held }
            unknownValues[assignment.name] = UnknownValue(scope: assignedScope(of: assignment.name, local: local), causes: held)
            unknownStatus = held
        } else if !assignment.append {
            forgetUnknownValue(assignment.name, local: local)
        }
    }

    /// The scope an assignment to `name` wrote to (`local`: the innermost).
    func assignedScope(of name: String, local: Bool) -> Int {
        local ? variables.scopes.count - 1 : (variables.scopeIndex(of: name) ?? 0)
    }

    /// After a known value was assigned to `name`: an unknown value of the same scope is
    /// gone (one of another scope, which a read may still reach, stays).
    mutating func forgetUnknownValue(_ name: String, local: Bool) {
        guard !unknownValues.isEmpty, let previous = unknownValues[name],
              previous.scope == assignedScope(of: name, local: local) else { return }
        unknownValues[name] = nil
    }

    /// After sourcing: the unknown values makepkg itself reads, and an unknown status of
    /// the file's last command (source's status), become real diagnostics.
    mutating func revealWhatMakepkgReads() {
        if let unknownStatus { reveal(unknownStatus) }
        for (name, unknown) in unknownValues.sorted(by: { $0.key < $1.key }) where !mayDefer(name) {
            reveal(unknown.causes)
        }
    }
}

/// A diagnostic with the command substitution depth it was reported at.
struct LoggedDiagnostic: Sendable {
    var diagnostic: ShellDiagnostic
    var depth: Int
}
