/// Reading words: quoting, escapes, and the expansions inside them.
extension ShellParser {
    enum WordMode {
        /// An ordinary word, ended by a blank or a shell metacharacter.
        case normal
        /// A `case` pattern: also ended by `|` and `)`.
        case casePattern
        /// A word inside `[[ ]]`.
        case conditional
        /// The right side of `=~`: parentheses and `|` belong to the word.
        case regex
        /// Inside `[...]`: ended by the matching `]`.
        case subscriptText
        /// The word after a `${name` operator: ended by `}`.
        case parameterOperand
        /// The pattern of `${name/pattern/...}`: ended by `/` or `}`.
        case parameterPattern
    }

    /// Reads one word at the current position; nil when none starts here.
    mutating func readWord(mode: WordMode = .normal) throws -> ShellWord? {
        let start = pos
        var parts: [WordPart] = []
        var literal = LiteralText(at: pos)
        var bracketDepth = 0
        var braceDepth = 0
        func flush() {
            if let text = literal.flush(bytes) { parts.append(.literal(text)) }
        }
        if mode == .normal || mode == .conditional,
           peek() == UInt8(ascii: "<") || peek() == UInt8(ascii: ">"), peek(1) == UInt8(ascii: "(") {
            pos += 2
            _ = try parseList(until: [")"])
            pos += 1
            parts.append(.processSubstitution(offset: start))
        }
        loop: while pos < bytes.count {
            let c = bytes[pos]
            switch mode {
            case .normal, .casePattern, .conditional:
                if isMeta(c) { break loop }
            case .regex:
                // bash reads the regex up to a blank outside parentheses: `]]` and `)`
                // in it are the regex's (`(^|[[:space:]])x($|[[:space:]])`)
                if c == UInt8(ascii: "(") { bracketDepth += 1 }
                if c == UInt8(ascii: ")"), bracketDepth > 0 { bracketDepth -= 1 }
                if bracketDepth == 0, c == 32 || c == 9 || c == 10 { break loop }
            case .subscriptText:
                if c == UInt8(ascii: "[") { bracketDepth += 1 }
                if c == UInt8(ascii: "]") {
                    if bracketDepth == 0 { break loop }
                    bracketDepth -= 1
                }
            case .parameterOperand, .parameterPattern:
                if c == UInt8(ascii: "}") {
                    if braceDepth == 0 { break loop }
                    braceDepth -= 1
                }
                if c == UInt8(ascii: "{") { braceDepth += 1 }
                if mode == .parameterPattern, c == UInt8(ascii: "/") { break loop }
            }
            if peek(1) == UInt8(ascii: "("), "!@*+?".utf8.contains(c), mode != .subscriptText {
                // an extglob group such as !(test) or @(a|b): bash's parser accepts it in
                // function bodies; it is kept as literal pattern text
                let groupStart = pos
                var level = 0
                pos += 1
                repeat {
                    if bytes[pos] == UInt8(ascii: "(") { level += 1 } else if bytes[pos] == UInt8(ascii: ")") { level -= 1 }
                    pos += 1
                } while pos < bytes.count && level > 0
                guard level == 0 else { throw error("unterminated extended glob pattern", at: groupStart) }
                literal.append(groupStart..<pos, of: bytes)
                continue
            }
            switch c {
            case UInt8(ascii: "\\"):
                if peek(1) == UInt8(ascii: "\n") { pos += 2; continue }
                guard pos + 1 < bytes.count else { literal.take(pos, of: bytes); pos += 1; continue }
                flush()
                let length = utf8Length(bytes[pos + 1])
                let end = min(pos + 1 + length, bytes.count)
                parts.append(.quoted(String(decoding: bytes[(pos + 1)..<end], as: UTF8.self)))
                pos = end
            case UInt8(ascii: "'"):
                flush()
                parts.append(.quoted(try readSingleQuoted()))
            case UInt8(ascii: "\""):
                flush()
                pos += 1
                parts.append(.doubleQuoted(try readDoubleQuotedParts()))
            case UInt8(ascii: "`"), UInt8(ascii: "$"):
                if let part = try readExpansion(inDoubleQuotes: false) {
                    flush()
                    parts.append(part)
                } else {
                    literal.take(pos, of: bytes)
                    pos += 1
                }
            default:
                literal.take(pos, of: bytes)
                pos += 1
            }
        }
        flush()
        if parts.isEmpty && mode != .parameterOperand && mode != .parameterPattern && mode != .subscriptText { return nil }
        return ShellWord(parts: parts, offset: start)
    }

    /// `'...'`, starting at the opening quote.
    mutating func readSingleQuoted() throws -> String {
        let start = pos
        pos += 1
        while pos < bytes.count, bytes[pos] != UInt8(ascii: "'") { pos += 1 }
        guard pos < bytes.count else { throw error("unterminated single quote", at: start) }
        let text = String(decoding: bytes[(start + 1)..<pos], as: UTF8.self)
        pos += 1
        return text
    }

    /// The inside of `"..."`, after the opening quote; consumes the closing quote.
    mutating func readDoubleQuotedParts() throws -> [WordPart] {
        let start = pos - 1
        var parts: [WordPart] = []
        var literal = LiteralText(at: pos)
        func flush() {
            if let text = literal.flush(bytes) { parts.append(.quoted(text)) }
        }
        while pos < bytes.count {
            let c = bytes[pos]
            switch c {
            case UInt8(ascii: "\""):
                pos += 1
                flush()
                if parts.isEmpty { parts.append(.quoted("")) }
                return parts
            case UInt8(ascii: "\\"):
                let next = peek(1)
                if next == UInt8(ascii: "\n") { pos += 2 }
                else if next == UInt8(ascii: "$") || next == UInt8(ascii: "`") || next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") {
                    literal.append(next, of: bytes)
                    pos += 2
                } else {
                    literal.take(pos, of: bytes)
                    pos += 1
                }
            case UInt8(ascii: "`"), UInt8(ascii: "$"):
                if let part = try readExpansion(inDoubleQuotes: true) {
                    flush()
                    parts.append(part)
                } else {
                    literal.take(pos, of: bytes)
                    pos += 1
                }
            default:
                literal.take(pos, of: bytes)
                pos += 1
            }
        }
        throw error("unterminated double quote", at: start)
    }

    /// The expansion starting at `pos`, a backquote or a `$`, or `nil` for a `$` that
    /// is plain text (the caller keeps it as literal), in a word or inside `"..."`.
    mutating func readExpansion(inDoubleQuotes: Bool) throws -> WordPart? {
        if bytes[pos] == UInt8(ascii: "`") { return try readBackquoted() }
        return try readDollar(inDoubleQuotes: inDoubleQuotes)
    }

    /// `` `...` ``: the text between the backquotes, unescaped and parsed as commands.
    mutating func readBackquoted() throws -> WordPart {
        let start = pos
        pos += 1
        var text: [UInt8] = []
        while pos < bytes.count, bytes[pos] != UInt8(ascii: "`") {
            if bytes[pos] == UInt8(ascii: "\\"), pos + 1 < bytes.count,
               [UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "$")].contains(bytes[pos + 1]) {
                text.append(bytes[pos + 1])
                pos += 2
                continue
            }
            text.append(bytes[pos])
            pos += 1
        }
        guard pos < bytes.count else { throw error("unterminated backquote", at: start) }
        pos += 1
        var inner = ShellParser(bytes: text)
        inner.depth = depth + 1
        do {
            return .commandSubstitution(try inner.parseProgram(), offset: start)
        } catch let e as ShellSyntaxError {
            throw error(e.message, at: start)
        }
    }

    /// An expansion starting with `$`, or nil when the `$` is literal.
    mutating func readDollar(inDoubleQuotes: Bool = false) throws -> WordPart? {
        let start = pos
        let next = peek(1)
        switch next {
        case UInt8(ascii: "{"):
            pos += 2
            do {
                return .parameter(try readBracedParameter(start: start))
            } catch let e as ShellSyntaxError where e.message.hasPrefix("bad substitution") {
                // bash's parser only matches the braces; the expansion refuses the rest
                pos = start + 2
                try skipToMatchingBrace(start: start)
                return .badSubstitution(String(decoding: bytes[start..<pos], as: UTF8.self), offset: start)
            }
        case UInt8(ascii: "("):
            if peek(2) == UInt8(ascii: "(") {
                pos += 3
                return .arithmetic(try readArithmeticText(), offset: start)
            }
            pos += 2
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maxDepth { throw error("command substitutions nested too deeply") }
            let commands = try parseList(until: [")"])
            pos += 1
            return .commandSubstitution(commands, offset: start)
        case UInt8(ascii: "'") where !inDoubleQuotes:
            pos += 1
            return .quoted(try readAnsiCQuoted())
        case UInt8(ascii: "\"") where !inDoubleQuotes:
            pos += 2
            return .doubleQuoted(try readDoubleQuotedParts())
        default:
            if isNameStart(next) {
                pos += 1
                let name = readName()!
                var expansion = ParameterExpansion(name: name, offset: start)
                expansion.unbraced = true
                return .parameter(expansion)
            }
            if isASCIIDigit(next) || "@*#?$!-".utf8.contains(next) {
                pos += 2
                return .parameter(ParameterExpansion(name: String(UnicodeScalar(next)), offset: start))
            }
            return nil
        }
    }

    /// Past the `}` that closes the `${` at `start`, with `pos` after that `${`: braces
    /// nest, quotes and backslashes hide them, as bash's parser matches them.
    mutating func skipToMatchingBrace(start: Int) throws {
        var level = 1
        while pos < bytes.count {
            switch bytes[pos] {
            case UInt8(ascii: "\\"): pos += 1
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                let quote = bytes[pos]
                pos += 1
                while pos < bytes.count, bytes[pos] != quote {
                    if quote == UInt8(ascii: "\""), bytes[pos] == UInt8(ascii: "\\") { pos += 1 }
                    pos += 1
                }
            case UInt8(ascii: "{"): level += 1
            case UInt8(ascii: "}"):
                level -= 1
                if level == 0 { pos += 1; return }
            default: break
            }
            pos += 1
        }
        throw error("unexpected end of file while looking for the '}' of '${'", at: start)
    }

    /// `$'...'` with C escapes, starting at the quote.
    mutating func readAnsiCQuoted() throws -> String {
        let start = pos
        pos += 1
        var out: [UInt8] = []
        while pos < bytes.count, bytes[pos] != UInt8(ascii: "'") {
            let c = bytes[pos]
            guard c == UInt8(ascii: "\\"), pos + 1 < bytes.count else { out.append(c); pos += 1; continue }
            let e = bytes[pos + 1]
            pos += 2
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "e"), UInt8(ascii: "E"): out.append(27)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "x"):
                var value = 0, count = 0
                while count < 2, pos < bytes.count, let d = hexValue(bytes[pos]) { value = value * 16 + d; pos += 1; count += 1 }
                out.append(UInt8(value & 0xff))
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(e - 48), count = 1
                while count < 3, pos < bytes.count, bytes[pos] >= 48, bytes[pos] <= 55 { value = value * 8 + Int(bytes[pos] - 48); pos += 1; count += 1 }
                out.append(UInt8(value & 0xff))
            default: out.append(e)
            }
        }
        guard pos < bytes.count else { throw error("unterminated $'...' quote", at: start) }
        pos += 1
        return String(decoding: out, as: UTF8.self)
    }

    /// `${...}` after the opening brace, up to and including the closing brace.
    mutating func readBracedParameter(start: Int) throws -> ParameterExpansion {
        // `${x:-${x:-...}}` recurses through the operand words
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw error("parameter expansions nested deeper than \(Self.maxDepth) levels") }
        var expansion = ParameterExpansion(name: "", offset: start)
        if peek() == UInt8(ascii: "#"), peek(1) != UInt8(ascii: "}") {
            let n = peek(1)
            if isNameStart(n) || isASCIIDigit(n) || "@*#?$!-".utf8.contains(n) { expansion.length = true; pos += 1 }
        } else if peek() == UInt8(ascii: "!"), peek(1) != UInt8(ascii: "}") {
            expansion.indirect = true
            pos += 1
        }
        if let name = readName() {
            expansion.name = name
        } else if isASCIIDigit(peek()) {
            let begin = pos
            while isASCIIDigit(peek()) { pos += 1 }
            expansion.name = String(decoding: bytes[begin..<pos], as: UTF8.self)
        } else if "@*#?$!-".utf8.contains(peek()), !atEnd {
            expansion.name = String(UnicodeScalar(peek()))
            pos += 1
        } else {
            throw error("bad substitution: expected a name after '${'", at: start)
        }
        if peek() == UInt8(ascii: "[") {
            pos += 1
            if (peek() == UInt8(ascii: "@") || peek() == UInt8(ascii: "*")), peek(1) == UInt8(ascii: "]") {
                expansion.index = .all(quotedJoin: peek() == UInt8(ascii: "*"))
                pos += 2
            } else {
                let word = try readWord(mode: .subscriptText)!
                guard peek() == UInt8(ascii: "]") else { throw error("expected ']' in '${name[...]}'", at: start) }
                pos += 1
                expansion.index = .index(word)
            }
        }
        if expansion.indirect, peek() == UInt8(ascii: "@") || peek() == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "}") {
            expansion.op = .namesWithPrefix
            pos += 2
            return expansion
        }
        expansion.op = try readParameterOperator(start: start)
        guard peek() == UInt8(ascii: "}") else { throw error("bad substitution: expected '}'", at: start) }
        pos += 1
        return expansion
    }

    mutating func readParameterOperator(start: Int) throws -> ParameterExpansion.Operator {
        let c = peek()
        func operand() throws -> ShellWord { try readWord(mode: .parameterOperand)! }
        switch c {
        case UInt8(ascii: "}"): return .none
        case UInt8(ascii: ":"):
            let n = peek(1)
            switch n {
            case UInt8(ascii: "-"): pos += 2; return .useDefault(try operand(), colon: true)
            case UInt8(ascii: "="): pos += 2; return .assignDefault(try operand(), colon: true)
            case UInt8(ascii: "+"): pos += 2; return .useAlternative(try operand(), colon: true)
            case UInt8(ascii: "?"): pos += 2; return .errorIfUnset(try operand(), colon: true)
            default:
                pos += 1
                let offsetText = readSubstringText(stopAtColon: true)
                var lengthText: String?
                if peek() == UInt8(ascii: ":") { pos += 1; lengthText = readSubstringText(stopAtColon: false) }
                return .substring(offsetText, lengthText)
            }
        case UInt8(ascii: "-"): pos += 1; return .useDefault(try operand(), colon: false)
        case UInt8(ascii: "="): pos += 1; return .assignDefault(try operand(), colon: false)
        case UInt8(ascii: "+"): pos += 1; return .useAlternative(try operand(), colon: false)
        case UInt8(ascii: "?"): pos += 1; return .errorIfUnset(try operand(), colon: false)
        case UInt8(ascii: "#"), UInt8(ascii: "%"):
            let longest = peek(1) == c
            pos += longest ? 2 : 1
            let pattern = try operand()
            return c == UInt8(ascii: "#") ? .removePrefix(pattern, longest: longest) : .removeSuffix(pattern, longest: longest)
        case UInt8(ascii: "/"):
            pos += 1
            var mode = ParameterExpansion.ReplaceMode.first
            switch peek() {
            case UInt8(ascii: "/"): mode = .all; pos += 1
            case UInt8(ascii: "#"): mode = .prefix; pos += 1
            case UInt8(ascii: "%"): mode = .suffix; pos += 1
            default: break
            }
            let pattern = try readWord(mode: .parameterPattern)!
            var replacement: ShellWord?
            if peek() == UInt8(ascii: "/") { pos += 1; replacement = try operand() }
            return .replace(pattern, replacement, mode: mode)
        case UInt8(ascii: "^"), UInt8(ascii: ","):
            let all = peek(1) == c
            pos += all ? 2 : 1
            _ = try operand()
            return .caseModify(upper: c == UInt8(ascii: "^"), all: all)
        case UInt8(ascii: "@"):
            let t = peek(1)
            guard t != 0, t != UInt8(ascii: "}") else { throw error("bad substitution: expected an operator after '@'", at: start) }
            pos += 2
            return .transform(Character(UnicodeScalar(t)))
        default:
            throw error("bad substitution: unexpected \(describe(c)) in '${...}'", at: start)
        }
    }

    /// The raw text of a substring offset or length, up to `:` (offset only) or `}`.
    mutating func readSubstringText(stopAtColon: Bool) -> String {
        let begin = pos
        var depth = 0
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "(") { depth += 1 }
            else if c == UInt8(ascii: ")") { depth -= 1 }
            else if c == UInt8(ascii: "}") { if depth == 0 { break }; depth -= 1 }
            else if c == UInt8(ascii: ":"), depth == 0, stopAtColon { break }
            pos += 1
        }
        return String(decoding: bytes[begin..<pos], as: UTF8.self)
    }
}

/// The length of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
@inline(__always) func utf8Length(_ lead: UInt8) -> Int {
    if lead < 0xC0 { return 1 }
    if lead < 0xE0 { return 2 }
    if lead < 0xF0 { return 3 }
    return 4
}

func hexValue(_ c: UInt8) -> Int? {
    switch c {
    case 48...57: return Int(c - 48)
    case 97...102: return Int(c - 87)
    case 65...70: return Int(c - 55)
    default: return nil
    }
}
