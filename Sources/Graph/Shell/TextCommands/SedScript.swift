/// A sed script as GNU sed 4.9 compiles it: addresses, `!`, blocks, and the commands
/// `s y p d q Q n N P D h H g G x z = b t T :` (others are unsupported).
struct SedScript {
    enum Address {
        case line(Int)
        case last
        /// nil: the last regular expression used (`//`).
        case regex(SedRegex?)
        /// `first~step`
        case step(Int, Int)
        /// `0` of `0,/re/`
        case zero
    }

    enum RangeEnd {
        case address(Address)
        /// `addr,+N`
        case plus(Int)
        /// `addr,~N`
        case multiple(Int)
    }

    struct Substitution {
        var regex: SedRegex?
        var replacement: [ReplacementPart]
        var global = false
        var occurrence = 1
        var print = false
    }

    enum ReplacementPart {
        case text([Unicode.Scalar])
        /// `&` is group 0, `\1`...`\9`.
        case group(Int)
        /// `\U \L \u \l \E`
        case caseChange(Character)
    }

    enum Kind {
        case substitute(Substitution)
        case transliterate([Unicode.Scalar: Unicode.Scalar])
        case print, delete, printFirstLine, deleteFirstLine, next, appendNext
        case hold, holdAppend, get, getAppend, exchange, zap, lineNumber
        case quit(Int32), quitSilently(Int32)
        /// `{`: the index of its `}`.
        case block(end: Int)
        case blockEnd
        case branch(String), branchIfSubstituted(String), branchUnlessSubstituted(String)
        case label(String)
    }

    struct Command {
        var first: Address?
        var end: RangeEnd?
        var negated = false
        var kind: Kind
    }

    var commands: [Command] = []
    var labels: [String: Int] = [:]

    enum Failure: Error {
        /// GNU sed refuses the script (status 1).
        case invalid(String)
        case unsupported(String)
    }

    // MARK: parsing

    init(_ text: String, extended: Bool) throws(Failure) {
        var parser = Parser(p: Array(text.unicodeScalars), extended: extended)
        try parser.parse()
        commands = parser.commands
        for (i, command) in commands.enumerated() {
            // GNU sed takes a label defined twice; a jump goes to the last one
            if case .label(let name) = command.kind { labels[name] = i }
        }
        for command in commands {
            switch command.kind {
            case .branch(let l), .branchIfSubstituted(let l), .branchUnlessSubstituted(let l):
                if !l.isEmpty, labels[l] == nil { throw .invalid("can't find label for jump to '\(l)'") }
            default: break
            }
        }
    }

    struct Parser {
        let p: [Unicode.Scalar]
        let extended: Bool
        var i = 0
        var commands: [Command] = []
        var openBlocks: [Int] = []

        func peek() -> Unicode.Scalar? { i < p.count ? p[i] : nil }

        mutating func skipSpaces() {
            while let c = peek(), c == " " || c == "\t" { i += 1 }
        }

        mutating func parse() throws(Failure) {
            while true {
                while let c = peek(), c == " " || c == "\t" || c == "\n" || c == ";" { i += 1 }
                guard let c = peek() else { break }
                if c == "#" {
                    while let c = peek(), c != "\n" { i += 1 }
                    continue
                }
                var command = Command(kind: .print)
                command.first = try address()
                if command.first != nil {
                    skipSpaces()
                    if peek() == "," {
                        i += 1
                        skipSpaces()
                        command.end = try rangeEnd()
                    }
                }
                if case .zero? = command.first {
                    guard case .address(.regex)? = command.end else { throw .invalid("invalid usage of line address 0") }
                }
                skipSpaces()
                if peek() == "!" {
                    command.negated = true
                    i += 1
                    while peek() == " " || peek() == "\t" || peek() == "!" {
                        if peek() == "!" { throw .invalid("multiple `!'s") }
                        i += 1
                    }
                }
                guard let name = peek() else { throw .invalid("missing command") }
                i += 1
                command.kind = try kind(name, command: command)
                commands.append(command)
                if case .block = command.kind { openBlocks.append(commands.count - 1) }
                try endOfCommand(name)
            }
            if !openBlocks.isEmpty { throw .invalid("unmatched `{'") }
        }

        /// After a command: blanks, then `;`, a newline, `#`, `}` or the end.
        mutating func endOfCommand(_ name: Unicode.Scalar) throws(Failure) {
            if name == "{" || name == ":" || name == "b" || name == "t" || name == "T" { return }
            skipSpaces()
            guard let c = peek() else { return }
            if c == ";" || c == "\n" || c == "#" || c == "}" { return }
            throw .invalid("extra characters after command")
        }

        mutating func kind(_ name: Unicode.Scalar, command: Command) throws(Failure) -> Kind {
            let noAddress = command.first == nil
            switch name {
            case "{": return .block(end: -1)
            case "}":
                guard noAddress, !command.negated else { throw .invalid("} doesn't want any addresses") }
                guard let open = openBlocks.popLast() else { throw .invalid("unexpected `}'") }
                commands[open].kind = .block(end: commands.count)
                return .blockEnd
            case "s": return .substitute(try substitution())
            case "y": return .transliterate(try transliteration())
            case "p": return .print
            case "d": return .delete
            case "P": return .printFirstLine
            case "D": return .deleteFirstLine
            case "n": return .next
            case "N": return .appendNext
            case "h": return .hold
            case "H": return .holdAppend
            case "g": return .get
            case "G": return .getAppend
            case "x": return .exchange
            case "z": return .zap
            case "=": return .lineNumber
            case "q", "Q":
                guard command.end == nil else { throw .invalid("command only uses one address") }
                skipSpaces()
                var code = 0
                while let c = peek(), c >= "0" && c <= "9" {
                    code = min(code * 10 + Int(c.value - 48), 1 << 30)
                    i += 1
                }
                return name == "q" ? .quit(Int32(truncatingIfNeeded: code)) : .quitSilently(Int32(truncatingIfNeeded: code))
            case ":":
                guard noAddress else { throw .invalid(": doesn't want any addresses") }
                let l = label()
                if l.isEmpty { throw .invalid("\":\" lacks a label") }
                return .label(l)
            case "b": return .branch(label())
            case "t": return .branchIfSubstituted(label())
            case "T": return .branchUnlessSubstituted(label())
            case "a", "i", "c", "r", "R", "w", "W", "e", "F", "l", "L", "v":
                throw .unsupported("the sed command '\(name)'")
            default:
                throw .invalid("unknown command: `\(name)'")
            }
        }

        /// A label up to a semicolon or the end of the line, blanks around it dropped.
        mutating func label() -> String {
            skipSpaces()
            var s = String.UnicodeScalarView()
            while let c = peek(), c != "\n", c != ";", c != "}", c != " ", c != "\t" {
                s.append(c)
                i += 1
            }
            while let last = s.last, last == " " || last == "\t" { s.removeLast() }
            return String(s)
        }

        mutating func number() -> Int? {
            var value: Int?
            while let c = peek(), c >= "0" && c <= "9" {
                value = min((value ?? 0) * 10 + Int(c.value - 48), 1 << 40)
                i += 1
            }
            return value
        }

        mutating func address() throws(Failure) -> Address? {
            guard let c = peek() else { return nil }
            if c >= "0" && c <= "9" {
                let n = number()!
                skipSpaces()
                if peek() == "~" {
                    i += 1
                    skipSpaces()
                    let step = number() ?? 0
                    if step > 0 { return .step(n, step) }
                }
                return n == 0 ? .zero : .line(n)
            }
            if c == "$" { i += 1; return .last }
            if c == "/" || c == "\\" {
                i += 1
                var delimiter = c
                if c == "\\" {
                    guard let d = peek(), d != "\n", d != "\\" else { throw .invalid("unexpected `,'") }
                    delimiter = d
                    i += 1
                }
                let pattern = try delimited(delimiter, regex: true)
                var ignoreCase = false
                while let f = peek(), f == "I" || f == "M" {
                    if f == "M" { throw .unsupported("the sed address flag M") }
                    ignoreCase = true
                    i += 1
                }
                return .regex(try compile(pattern, ignoreCase: ignoreCase))
            }
            return nil
        }

        mutating func rangeEnd() throws(Failure) -> RangeEnd {
            if peek() == "+" || peek() == "~" {
                let c = peek()!
                i += 1
                guard let n = number() else { throw .invalid("expected address") }
                return c == "+" ? .plus(n) : .multiple(n)
            }
            guard let a = try address() else { throw .invalid("unexpected `,'") }
            if case .zero = a { throw .invalid("invalid usage of line address 0") }
            if case .step(let n, _) = a { return .address(.line(n)) }
            return .address(a)
        }

        func compile(_ pattern: [Unicode.Scalar], ignoreCase: Bool) throws(Failure) -> SedRegex? {
            if pattern.isEmpty {
                if ignoreCase { throw .unsupported("an empty regular expression with flags") }
                return nil
            }
            do {
                return try SedRegex(pattern, extended: extended, ignoreCase: ignoreCase)
            } catch {
                switch error {
                case .invalid(let m): throw .invalid(m)
                case .unsupported(let m): throw .unsupported(m)
                }
            }
        }

        /// The text up to the unescaped `delimiter` (consumed), as GNU sed's `match_slash`
        /// reads it: `\delimiter` is the delimiter itself, `\n` a newline in a regex.
        mutating func delimited(_ delimiter: Unicode.Scalar, regex: Bool) throws(Failure) -> [Unicode.Scalar] {
            var out: [Unicode.Scalar] = []
            while let c = peek() {
                i += 1
                if c == delimiter { return out }
                if c == "\n" { break }
                if c == "\\" {
                    guard let e = peek() else { break }
                    i += 1
                    if e == "n", regex {
                        out.append("\n")
                    } else if e == "\n" {
                        out.append("\n")
                    } else if e == delimiter, !(e == "&" && !regex) {
                        out.append(e)
                    } else {
                        out.append("\\")
                        out.append(e)
                    }
                    continue
                }
                out.append(c)
            }
            throw .invalid(regex ? "unterminated address regex" : "unterminated `s' command")
        }

        mutating func substitution() throws(Failure) -> Substitution {
            guard let delimiter = peek(), delimiter != "\n", delimiter != "\\" else {
                throw .invalid("unterminated `s' command")
            }
            i += 1
            let pattern: [Unicode.Scalar]
            let replacementText: [Unicode.Scalar]
            do {
                pattern = try delimited(delimiter, regex: true)
                replacementText = try delimited(delimiter, regex: false)
            } catch {
                throw .invalid("unterminated `s' command")
            }
            var s = Substitution(regex: nil, replacement: [])
            var ignoreCase = false
            var occurrenceSet = false
            flags: while let f = peek() {
                switch f {
                case "g":
                    if s.global { throw .invalid("multiple `g' options to `s' command") }
                    s.global = true
                case "p":
                    if s.print { throw .invalid("multiple `p' options to `s' command") }
                    s.print = true
                case "i", "I": ignoreCase = true
                case "0"..."9":
                    if occurrenceSet { throw .invalid("multiple number options to `s' command") }
                    let n = number()!
                    if n == 0 { throw .invalid("number option to `s' command may not be zero") }
                    s.occurrence = n
                    occurrenceSet = true
                    continue flags
                case "m", "M", "e", "w":
                    throw .unsupported("the s flag '\(f)'")
                default:
                    break flags
                }
                i += 1
            }
            s.regex = try compile(pattern, ignoreCase: ignoreCase)
            s.replacement = try replacement(replacementText, groups: s.regex?.regex.groupCount)
            return s
        }

        /// GNU sed's replacement: `&`, `\0`-`\9`, `\n`, control escapes, case changes.
        func replacement(_ r: [Unicode.Scalar], groups: Int?) throws(Failure) -> [ReplacementPart] {
            var parts: [ReplacementPart] = []
            var text: [Unicode.Scalar] = []
            func flush() { if !text.isEmpty { parts.append(.text(text)); text = [] } }
            var j = 0
            while j < r.count {
                let c = r[j]
                j += 1
                if c == "&" { flush(); parts.append(.group(0)); continue }
                guard c == "\\", j < r.count else { text.append(c); continue }
                let e = r[j]
                j += 1
                switch e {
                case "0"..."9":
                    let n = Int(e.value - 48)
                    if let groups, n > groups { throw .invalid("invalid reference \\\(n) on `s' command's RHS") }
                    flush()
                    parts.append(.group(n))
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "a": text.append("\u{07}")
                case "f": text.append("\u{0C}")
                case "v": text.append("\u{0B}")
                case "r": text.append("\r")
                case "L", "U", "l", "u", "E":
                    flush()
                    parts.append(.caseChange(Character(e)))
                case "c", "d", "o", "x":
                    throw .unsupported("the escape \\\(e) in a sed replacement")
                default:
                    if e.properties.isAlphabetic { throw .unsupported("the escape \\\(e) in a sed replacement") }
                    text.append(e)
                }
            }
            flush()
            return parts
        }

        mutating func transliteration() throws(Failure) -> [Unicode.Scalar: Unicode.Scalar] {
            guard let delimiter = peek(), delimiter != "\n", delimiter != "\\" else {
                throw .invalid("unterminated `y' command")
            }
            i += 1
            let from = try yText(delimiter)
            let to = try yText(delimiter)
            guard from.count == to.count else { throw .invalid("strings for `y' command are different lengths") }
            var map: [Unicode.Scalar: Unicode.Scalar] = [:]
            for (a, b) in zip(from, to) where map[a] == nil { map[a] = b }
            return map
        }

        /// One side of `y`: `\\`, `\delimiter` and `\n`; any other escape is refused.
        mutating func yText(_ delimiter: Unicode.Scalar) throws(Failure) -> [Unicode.Scalar] {
            var out: [Unicode.Scalar] = []
            while let c = peek() {
                i += 1
                if c == delimiter { return out }
                if c == "\\" {
                    guard let e = peek() else { break }
                    i += 1
                    switch e {
                    case "\\": out.append("\\")
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case delimiter: out.append(e)
                    default: throw .unsupported("the escape \\\(e) in a y command")
                    }
                    continue
                }
                out.append(c)
            }
            throw .invalid("unterminated `y' command")
        }
    }
}
