/// The external commands that only transform text (`cut`, `sed`, `tr`, `basename`, ...),
/// evaluated in memory like GNU coreutils 9.1, GNU sed 4.9 and util-linux 2.38 (Debian
/// 12, where makepkg runs) do under `LANG=C.UTF-8`, the locale the sandboxed makepkg has.
///
/// A command reads its operands and the standard input it is given and returns what it
/// would print and its exit status. What it would need a real system for (a file operand,
/// makepkg's own standard input, the clock) or an option we do not evaluate exactly is
/// ``TextCommandFailure/unsupported(_:)``: a diagnostic, and the sandboxed makepkg reads
/// the PKGBUILD instead. Errors the real tool reports itself (an invalid option, a bad
/// list) are evaluated: no output, its exit status, its message on stderr.
enum TextCommands {
    typealias Implementation = (inout TextInvocation) throws(TextCommandFailure) -> TextOutput

    /// The command called `name`, nil when it is not one of them.
    static func named(_ name: String) -> Implementation? {
        switch name {
        case "cat": return Cat.run
        case "cut": return Cut.run
        case "sed": return Sed.run
        case "tr": return Tr.run
        case "basename": return PathNames.basename
        case "dirname": return PathNames.dirname
        case "head": return HeadTail.head
        case "tail": return HeadTail.tail
        case "wc": return Wc.run
        case "sort": return Sort.run
        case "uniq": return Uniq.run
        case "rev": return RevTac.rev
        case "tac": return RevTac.tac
        case "expr": return Expr.run
        case "grep": return Grep.run
        case "awk": return Awk.run
        default: return nil
        }
    }
}

/// One run of a text command: its arguments, its standard input and the budget it pays from.
struct TextInvocation {
    var name: String
    var arguments: [String]
    var input: ShellInput
    var budget: ShellBudget
    /// Whether it read its standard input (a pipe is then used up).
    var readInput = false

    /// The whole standard input, or unsupported when the reader does not know it.
    mutating func standardInput() throws(TextCommandFailure) -> [UInt8] {
        readInput = true
        switch input {
        case .text(let text):
            try pay(text.utf8.count)
            return Array(text.utf8)
        case .inherited:
            throw .unsupported("\(name) reads makepkg's standard input")
        case .unknown(let why):
            throw .unsupported("\(name) reads \(why)")
        }
    }

    /// The input of the operands (`-` or none is standard input; a file is unsupported).
    mutating func operandInput(_ files: [String]) throws(TextCommandFailure) -> [UInt8] {
        if files.isEmpty { return try standardInput() }
        guard files.allSatisfy({ $0 == "-" }) else {
            throw .unsupported("\(name) reads the file '\(files.first { $0 != "-" }!)'")
        }
        // a second `-` reads the already exhausted pipe
        return try standardInput()
    }

    /// Pays `units` of work.
    mutating func pay(_ units: Int) throws(TextCommandFailure) {
        do { try budget.spend(units) } catch { throw .budget(error) }
    }

    /// The failure for an option that GNU has but we do not evaluate.
    func unsupported(_ what: String) -> TextCommandFailure {
        .unsupported("\(name) \(what) is not evaluated by the reader")
    }
}

/// What a text command printed and its exit status.
struct TextOutput {
    var bytes: [UInt8] = []
    var status: Int32 = 0
    /// What it printed on stderr (makepkg shows it; a `2>&1` would capture it).
    var errors = ""

    static func failure(_ status: Int32, _ message: String) -> TextOutput {
        TextOutput(bytes: [], status: status, errors: message)
    }
}

enum TextCommandFailure: Error {
    /// Needs the real tool: the message is the diagnostic.
    case unsupported(String)
    /// The work budget ran out.
    case budget(ShellBudget.Exhausted)
}

/// What a command reads on its standard input.
enum ShellInput {
    /// makepkg's own standard input: not something the reader knows.
    case inherited
    case text(String)
    /// Input the reader could not work out; `why` names it for the diagnostic.
    case unknown(String)
}

// MARK: lines

extension Array where Element == UInt8 {
    /// The records of `self` ended by `terminator`; the last one may lack it.
    func records(_ terminator: UInt8) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var start = startIndex
        for i in indices where self[i] == terminator {
            out.append(self[start..<i])
            start = i + 1
        }
        if start < endIndex { out.append(self[start...]) }
        return out
    }
}

/// Decimal numbers as coreutils' `xstrtoumax` reads a count without suffixes.
enum TextNumbers {
    /// Digits only (a leading `+` allowed when `plus`); nil for anything else.
    static func count(_ text: Substring, plus: Bool = false) -> Int? {
        var t = text
        if plus, t.first == "+" { t = t.dropFirst() }
        guard !t.isEmpty, t.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(t) ?? Int.max
    }
}
