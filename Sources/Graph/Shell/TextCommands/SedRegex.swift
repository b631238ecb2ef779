/// A sed regular expression (GNU sed 4.9 on glibc: basic by default, extended with `-E`)
/// rewritten into the extended syntax ``ShellRegex`` reads, so sed shares the reader's
/// Pike VM and its budget.
///
/// Basic syntax as glibc's `RE_SYNTAX_POSIX_BASIC` with the GNU operators: `\( \)`,
/// `\{m,n\}`, `\+ \?`, `\|`; `*` is literal first in an expression (after `^`, `\(`,
/// `\|` or an anchor), `^` is an anchor only first and `$` only last; `\{` first is an
/// error. GNU sed's escapes `\n \t \a \f \v \r` stand for their characters (also in
/// bracket expressions). A back-reference in the pattern and the escapes `\c \d \o \x`
/// are unsupported. `I` (ignore case) works as glibc does in a UTF-8 locale: pattern and
/// text are compared upper-cased, `[:lower:]`/`[:upper:]` become `[:alpha:]`.
struct SedRegex {
    let regex: ShellRegex
    let ignoreCase: Bool
    /// The pattern as written, for diagnostics.
    let source: String

    enum Failure: Error {
        /// glibc refuses it: sed's "-e expression #1, char N: ..." and status 1.
        case invalid(String)
        case unsupported(String)
    }

    init(_ pattern: [Unicode.Scalar], extended: Bool, ignoreCase: Bool) throws(Failure) {
        source = String(String.UnicodeScalarView(pattern))
        self.ignoreCase = ignoreCase
        var translator = Translator(p: pattern, extended: extended, ignoreCase: ignoreCase)
        let text = try translator.translate()
        do {
            regex = try ShellRegex(text)
        } catch {
            switch error {
            case .invalid(let message): throw .invalid(message)
            case .unsupported(let message): throw .unsupported(message)
            case .tooLarge: throw .unsupported("the regular expression '\(source)' is over the reader's budget")
            }
        }
    }

    /// The leftmost-longest match at or after `start`, with its groups.
    func match(_ text: [Unicode.Scalar], from start: Int, budget: inout ShellBudget) throws(ShellBudget.Exhausted) -> [Range<Int>?]? {
        if ignoreCase {
            try budget.spend(text.count)
            return try regex.firstMatch(in: text.map(Self.upper), from: start, budget: &budget)
        }
        return try regex.firstMatch(in: text, from: start, budget: &budget)
    }

    /// `towupper`: the simple upper-case mapping, where it is one scalar.
    static func upper(_ c: Unicode.Scalar) -> Unicode.Scalar {
        if c.isASCII {
            return c.value >= 97 && c.value <= 122 ? Unicode.Scalar(c.value - 32)! : c
        }
        let mapped = c.properties.uppercaseMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first! : c
    }

    struct Translator {
        let p: [Unicode.Scalar]
        let extended: Bool
        let ignoreCase: Bool
        var i = 0
        var out = String.UnicodeScalarView()
        /// Whether the next token starts an expression (where `*` is literal in BRE).
        var atStart = true

        /// Open groups of an extended expression: sed refuses an unmatched `)`.
        var depth = 0
        /// The last token was a repetition: glibc's basic syntax refuses `*` or `\{` after one.
        var afterRepetition = false

        mutating func translate() throws(Failure) -> String {
            if p.count > 65536 { throw .unsupported("a regular expression over 64 KiB") }
            while i < p.count {
                let c = p[i]
                i += 1
                let wasStart = atStart
                atStart = false
                let wasRepetition = afterRepetition
                afterRepetition = false
                if !extended, wasRepetition, c == "*" || (c == "\\" && i < p.count && p[i] == "{") {
                    throw .invalid("Invalid preceding regular expression")
                }
                if c == "\\" {
                    try escape(wasStart: wasStart)
                } else if c == "[" {
                    try bracket()
                } else if extended {
                    switch c {
                    case "(":
                        depth += 1
                        if depth > 100 { throw .unsupported("groups nested over 100 deep") }
                        out.append(c)
                        atStart = true
                    case ")":
                        guard depth > 0 else { throw .invalid("Unmatched ) or \\)") }
                        depth -= 1
                        out.append(c)
                    case "|", "^": out.append(c); atStart = true
                    default: out.append(fold(c))
                    }
                } else {
                    switch c {
                    case ".":
                        out.append(".")
                    case "*":
                        if wasStart { literal("*") } else { out.append("*"); afterRepetition = true }
                    case "^":
                        if wasStart { out.append("^"); atStart = true } else { literal("^") }
                    case "$":
                        if i == p.count || (i + 1 < p.count && p[i] == "\\" && (p[i + 1] == ")" || p[i + 1] == "|")) {
                            out.append("$")
                        } else {
                            literal("$")
                        }
                    default:
                        literal(c)
                    }
                }
            }
            return String(out)
        }

        mutating func literal(_ c: Unicode.Scalar) {
            let c = fold(c)
            if ".[]()*+?{}|^$\\".unicodeScalars.contains(c) { out.append("\\") }
            out.append(c)
        }

        func fold(_ c: Unicode.Scalar) -> Unicode.Scalar { ignoreCase ? SedRegex.upper(c) : c }

        /// A backslash and what follows it.
        mutating func escape(wasStart: Bool) throws(Failure) {
            guard i < p.count else { throw .invalid("trailing backslash (\\)") }
            let e = p[i]
            i += 1
            if let control = Self.controls[e] { literal(control); return }
            switch e {
            case "c", "d", "o", "x":
                throw .unsupported("the escape \\\(e) in a sed regular expression")
            case "1"..."9":
                throw .unsupported("a back-reference (\\\(e)) in a sed regular expression")
            case "w", "W", "s", "S":
                out.append("\\"); out.append(e)
            case "b", "B", "<", ">", "`", "'":
                out.append("\\"); out.append(e)
                atStart = !extended
            default:
                guard !extended else { literal(e); return }
                switch e {
                case "(":
                    depth += 1
                    if depth > 100 { throw .unsupported("groups nested over 100 deep") }
                    out.append("(")
                    atStart = true
                case ")":
                    guard depth > 0 else { throw .invalid("Unmatched ) or \\)") }
                    depth -= 1
                    out.append(")")
                case "|":
                    out.append("|")
                    atStart = true
                case "{":
                    if wasStart { throw .invalid("Invalid preceding regular expression") }
                    try interval()
                    afterRepetition = true
                case "}":
                    literal("}")
                case "+", "?":
                    if wasStart { literal(e) } else { out.append(e); afterRepetition = true }
                default:
                    literal(e)
                }
            }
        }

        static let controls: [Unicode.Scalar: Unicode.Scalar] = [
            "n": "\n", "t": "\t", "a": "\u{07}", "f": "\u{0C}", "v": "\u{0B}", "r": "\r",
        ]

        /// `\{m,n\}` after its `\{`: copied as `{m,n}` for ShellRegex to check.
        mutating func interval() throws(Failure) {
            out.append("{")
            while i < p.count {
                let c = p[i]
                i += 1
                if c == "\\" {
                    guard i < p.count, p[i] == "}" else { throw .invalid("Invalid content of \\{\\}") }
                    i += 1
                    out.append("}")
                    return
                }
                guard c == "," || (c >= "0" && c <= "9") else { throw .invalid("Invalid content of \\{\\}") }
                out.append(c)
            }
            throw .invalid("Unmatched \\{")
        }

        /// A bracket expression after its `[`, copied (folded for `I`) up to its `]`.
        mutating func bracket() throws(Failure) {
            out.append("[")
            if i < p.count, p[i] == "^" { out.append("^"); i += 1 }
            var first = true
            while i < p.count {
                let c = p[i]
                if c == "]", !first {
                    i += 1
                    out.append("]")
                    return
                }
                first = false
                if c == "[", i + 1 < p.count, p[i + 1] == ":" || p[i + 1] == "=" || p[i + 1] == "." {
                    let kind = p[i + 1]
                    var j = i + 2
                    while j + 1 < p.count, !(p[j] == kind && p[j + 1] == "]") { j += 1 }
                    guard j + 1 < p.count else { throw .invalid("Unmatched [, [^, [:, [., or [=") }
                    var name = String(String.UnicodeScalarView(p[(i + 2)..<j]))
                    if kind == ":" {
                        if ignoreCase, name == "lower" || name == "upper" { name = "alpha" }
                        out.append(contentsOf: "[:\(name):]".unicodeScalars)
                    } else {
                        out.append(contentsOf: "[\(kind)".unicodeScalars)
                        for s in name.unicodeScalars { out.append(fold(s)) }
                        out.append(contentsOf: "\(kind)]".unicodeScalars)
                    }
                    i = j + 2
                    continue
                }
                if c == "\\", i + 1 < p.count, p[i + 1] == "n" || p[i + 1] == "t" {
                    out.append(p[i + 1] == "n" ? "\n" : "\t")
                    i += 2
                    continue
                }
                if c == "\\" { throw .unsupported("a backslash in a sed bracket expression") }
                out.append(fold(c))
                i += 1
            }
            throw .invalid("unterminated address regex")
        }
    }
}
