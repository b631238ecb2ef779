/// A recursive-descent parser for the bash that PKGBUILDs are written in.
///
/// It reads one top-level command at a time (`nextCommand()`), as bash does when it
/// sources a file: the commands before a syntax error have already been read and can be
/// evaluated, so a broken PKGBUILD still yields what it can. It works on UTF-8 bytes and
/// never executes anything.
struct ShellParser {
    let bytes: [UInt8]
    var pos: Int = 0
    /// Here-document bodies already read, by the offset of the newline that precedes them:
    /// the parser jumps over them when it reaches that newline.
    var hereDocumentSkips: [Int: Int] = [:]
    var depth: Int = 0
    /// Nesting limit: deeper input is rejected with an error instead of exhausting the stack.
    static let maxDepth = 150

    init(_ text: String) { bytes = Array(text.utf8) }
    init(bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { pos >= bytes.count }
    func peek(_ offset: Int = 0) -> UInt8 { pos + offset < bytes.count ? bytes[pos + offset] : 0 }

    func error(_ message: String, at offset: Int? = nil) -> ShellSyntaxError {
        ShellSyntaxError(offset: offset ?? pos, message: message)
    }

    // MARK: top level

    /// The next complete command of the program, or nil at the end of the text.
    mutating func nextCommand() throws -> ShellCommand? {
        skipSeparators()
        if atEnd { return nil }
        let command = try parseAndOr()
        try expectTerminator()
        return command
    }

    /// Parses the whole text (used for `eval` and function bodies re-read from text).
    mutating func parseProgram() throws -> [ShellCommand] {
        var commands: [ShellCommand] = []
        while let command = try nextCommand() { commands.append(command) }
        return commands
    }

    /// After a command: `;`, `&`, a newline, a comment, or the end.
    mutating func expectTerminator() throws {
        skipBlanks()
        if atEnd { return }
        switch peek() {
        case UInt8(ascii: ";"):
            if peek(1) == UInt8(ascii: ";") { throw error("unexpected ';;' outside a case statement") }
            pos += 1
        case UInt8(ascii: "&"): pos += 1
        case UInt8(ascii: "\n"): consumeNewline()
        default:
            throw error("unexpected \(describe(peek())) after a command")
        }
    }

    // MARK: lists

    /// Reads commands until one of `terminators` stands where a command would start.
    mutating func parseList(until terminators: [String]) throws -> [ShellCommand] {
        var commands: [ShellCommand] = []
        while true {
            skipSeparators()
            if atEnd { throw error("unexpected end of file: expected \(terminators.sorted().joined(separator: " or "))") }
            if let word = peekReservedWord(), terminators.contains(word) { return commands }
            if terminators.contains(")") && peek() == UInt8(ascii: ")") { return commands }
            if terminators.contains(";;") && peek() == UInt8(ascii: ";")
                && (peek(1) == UInt8(ascii: ";") || peek(1) == UInt8(ascii: "&")) { return commands }
            commands.append(try parseAndOr())
            skipBlanks()
            if atEnd { continue }
            switch peek() {
            case UInt8(ascii: ";"):
                if peek(1) != UInt8(ascii: ";") && !(terminators.contains(";;") && peek(1) == UInt8(ascii: "&")) { pos += 1 }
            case UInt8(ascii: "&"): pos += 1
            case UInt8(ascii: "\n"): consumeNewline()
            case UInt8(ascii: ")") where terminators.contains(")"): continue
            default:
                if let word = peekReservedWord(), terminators.contains(word) { continue }
                throw error("unexpected \(describe(peek())) in a command list")
            }
        }
    }

    mutating func parseAndOr() throws -> ShellCommand {
        let first = try parsePipeline()
        var rest: [(AndOrOperator, ShellCommand)] = []
        while true {
            skipBlanks()
            let op: AndOrOperator
            if peek() == UInt8(ascii: "&") && peek(1) == UInt8(ascii: "&") { op = .and }
            else if peek() == UInt8(ascii: "|") && peek(1) == UInt8(ascii: "|") { op = .or }
            else { break }
            pos += 2
            skipBlanksAndNewlines()
            rest.append((op, try parsePipeline()))
        }
        return rest.isEmpty ? first : .andOr(first, rest)
    }

    mutating func parsePipeline() throws -> ShellCommand {
        skipBlanks()
        let start = pos
        var negated = false
        if peek() == UInt8(ascii: "!") && isBlankOrEnd(peek(1)) {
            negated = true
            pos += 1
            skipBlanks()
        }
        var commands = [try parseCommand()]
        while true {
            skipBlanks()
            guard peek() == UInt8(ascii: "|"), peek(1) != UInt8(ascii: "|") else { break }
            pos += 1
            if peek() == UInt8(ascii: "&") { pos += 1 }
            skipBlanksAndNewlines()
            commands.append(try parseCommand())
        }
        return (commands.count == 1 && !negated) ? commands[0] : .pipeline(commands, negated: negated, offset: start)
    }

    // MARK: commands

    mutating func parseCommand() throws -> ShellCommand {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw error("commands nested deeper than \(Self.maxDepth) levels") }
        skipBlanks()
        if atEnd { throw error("unexpected end of file: expected a command") }
        let start = pos
        var compound: ShellCommand?
        if peek() == UInt8(ascii: "(") {
            if peek(1) == UInt8(ascii: "(") {
                pos += 2
                compound = .arithmetic(try readArithmeticText(), offset: start)
            } else {
                pos += 1
                let body = try parseList(until: [")"])
                pos += 1
                compound = .subshell(body)
            }
        } else if let word = peekReservedWord() {
            compound = try parseReserved(word, start: start)
        }
        if let compound {
            if case .function = compound { return compound }
            let redirections = try parseTrailingRedirections()
            return redirections.isEmpty ? compound : .redirected(compound, redirections)
        }
        if let function = try parseFunctionDefinitionIfPresent() { return function }
        return .simple(try parseSimpleCommand())
    }

    mutating func parseReserved(_ word: String, start: Int) throws -> ShellCommand? {
        switch word {
        case "if": pos += 2; return try parseIf()
        case "for": pos += 3; return try parseFor(start: start)
        case "while", "until":
            pos += word.utf8.count
            let condition = try parseList(until: ["do"])
            pos += 2
            let body = try parseList(until: ["done"])
            pos += 4
            return .whileLoop(condition: condition, body: body, until: word == "until")
        case "case": pos += 4; return try parseCase()
        case "{":
            pos += 1
            let body = try parseList(until: ["}"])
            pos += 1
            return .group(body)
        case "[[": pos += 2; return try parseConditional(start: start)
        case "function": pos += 8; return try parseFunctionKeyword(start: start)
        case "select": throw error("'select' is not supported in a PKGBUILD")
        case "then", "elif", "else", "fi", "do", "done", "esac", "}", "in", "]]":
            throw error("unexpected '\(word)'")
        default: return nil
        }
    }

    mutating func parseIf() throws -> ShellCommand {
        var branches: [(condition: [ShellCommand], body: [ShellCommand])] = []
        var elseBody: [ShellCommand]?
        while true {
            let condition = try parseList(until: ["then"])
            pos += 4
            let body = try parseList(until: ["elif", "else", "fi"])
            branches.append((condition, body))
            let word = peekReservedWord()!
            pos += word.utf8.count
            if word == "fi" { break }
            if word == "else" {
                elseBody = try parseList(until: ["fi"])
                pos += 2
                break
            }
        }
        return .ifClause(branches: branches, elseBody: elseBody)
    }

    mutating func parseFor(start: Int) throws -> ShellCommand {
        skipBlanks()
        if peek() == UInt8(ascii: "("), peek(1) == UInt8(ascii: "(") {
            pos += 2
            let text = try readArithmeticText()
            let clauses = text.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard clauses.count == 3 else { throw error("expected 'for (( init; test; step ))'", at: start) }
            try skipToDo()
            let body = try parseDoBody()
            return .forArithmetic(initial: clauses[0], test: clauses[1], step: clauses[2], body: body, offset: start)
        }
        guard let name = readName() else { throw error("expected a variable name after 'for'") }
        skipBlanksAndNewlines()
        var words: [ShellWord]?
        if peekReservedWord() == "in" {
            pos += 2
            var list: [ShellWord] = []
            while true {
                skipBlanks()
                if peek() == UInt8(ascii: ";") || peek() == UInt8(ascii: "\n") || atEnd { break }
                guard let word = try readWord() else { throw error("unexpected \(describe(peek())) in a for list") }
                list.append(word)
            }
            words = list
        }
        try skipToDo()
        return .forIn(name: name, words: words, body: try parseDoBody(), offset: start)
    }

    mutating func skipToDo() throws {
        skipSeparators()
        guard peekReservedWord() == "do" else { throw error("expected 'do'") }
    }

    mutating func parseDoBody() throws -> [ShellCommand] {
        skipSeparators()
        if peekReservedWord() == "{" {
            pos += 1
            let body = try parseList(until: ["}"])
            pos += 1
            return body
        }
        guard peekReservedWord() == "do" else { throw error("expected 'do'") }
        pos += 2
        let body = try parseList(until: ["done"])
        pos += 4
        return body
    }

    mutating func parseCase() throws -> ShellCommand {
        skipBlanks()
        guard let subject = try readWord() else { throw error("expected a word after 'case'") }
        skipBlanksAndNewlines()
        guard peekReservedWord() == "in" else { throw error("expected 'in' after 'case WORD'") }
        pos += 2
        var items: [CaseItem] = []
        while true {
            skipSeparators()
            if peekReservedWord() == "esac" { pos += 4; break }
            if atEnd { throw error("unexpected end of file: expected 'esac'") }
            if peek() == UInt8(ascii: "(") { pos += 1 }
            var patterns: [ShellWord] = []
            while true {
                skipBlanks()
                guard let pattern = try readWord(mode: .casePattern) else {
                    throw error("expected a pattern in a case statement")
                }
                patterns.append(pattern)
                skipBlanks()
                if peek() == UInt8(ascii: "|") { pos += 1; continue }
                guard peek() == UInt8(ascii: ")") else { throw error("expected ')' after a case pattern") }
                pos += 1
                break
            }
            let body = try parseList(until: [";;", "esac"])
            var terminator = CaseItem.Terminator.stop
            if peek() == UInt8(ascii: ";") && peek(1) == UInt8(ascii: "&") {
                pos += 2
                terminator = .fallThrough
            } else if peek() == UInt8(ascii: ";") {
                pos += 2
                if peek() == UInt8(ascii: "&") { pos += 1; terminator = .testNext }
            }
            items.append(CaseItem(patterns: patterns, body: body, terminator: terminator))
        }
        return .caseClause(subject: subject, items: items)
    }

    mutating func parseFunctionKeyword(start: Int) throws -> ShellCommand {
        skipBlanks()
        guard let name = readFunctionName() else { throw error("expected a function name after 'function'") }
        skipBlanks()
        if peek() == UInt8(ascii: "(") {
            pos += 1
            skipBlanks()
            guard peek() == UInt8(ascii: ")") else { throw error("expected ')' in function definition") }
            pos += 1
        }
        return try parseFunctionBody(name: name, start: start)
    }

    /// `name() compound-command`, recognised by the `(` `)` after a name (looked for
    /// before the name is made a string: every simple command is probed).
    mutating func parseFunctionDefinitionIfPresent() throws -> ShellCommand? {
        let start = pos
        guard let end = functionNameEnd() else { return nil }
        var probe = end
        while probe < bytes.count, bytes[probe] == 32 || bytes[probe] == 9 { probe += 1 }
        guard probe < bytes.count, bytes[probe] == UInt8(ascii: "(") else { return nil }
        probe += 1
        while probe < bytes.count, bytes[probe] == 32 || bytes[probe] == 9 { probe += 1 }
        guard probe < bytes.count, bytes[probe] == UInt8(ascii: ")"), let name = readFunctionName() else { return nil }
        pos = probe + 1
        return try parseFunctionBody(name: name, start: start)
    }

    mutating func parseFunctionBody(name: String, start: Int) throws -> ShellCommand {
        skipBlanksAndNewlines()
        let bodyStart = pos
        let body = try parseCommand()
        return .function(FunctionDefinition(name: name, body: body, source: bytes, bodyRange: bodyStart..<pos, offset: start))
    }

    // MARK: simple commands

    mutating func parseSimpleCommand() throws -> SimpleCommand {
        let start = pos
        var assignments: [Assignment] = []
        var words: [ShellWord] = []
        var redirections: [Redirection] = []
        var declarationCommand = false
        var declarationAssignments: [Int: Assignment] = [:]
        while true {
            skipBlanks()
            if atEnd || isCommandEnd(peek()) { break }
            if let redirection = try parseRedirectionIfPresent() {
                redirections.append(redirection)
                continue
            }
            if words.isEmpty || declarationCommand, let assignment = try parseAssignmentIfPresent() {
                if words.isEmpty {
                    assignments.append(assignment)
                } else {
                    words.append(ShellWord(parts: [], offset: assignment.offset))
                    declarationAssignments[words.count - 1] = assignment
                }
                continue
            }
            guard let word = try readWord() else {
                throw error("unexpected \(describe(peek()))")
            }
            if words.isEmpty, let text = word.literalText {
                switch text {
                case "declare", "local", "typeset", "export", "readonly": declarationCommand = true
                default: declarationCommand = false
                }
            }
            words.append(word)
        }
        let command = SimpleCommand(assignments: assignments, words: words, redirections: redirections,
                                    offset: start, declarationAssignments: declarationAssignments)
        if command.words.isEmpty && command.assignments.isEmpty && command.redirections.isEmpty {
            throw error("expected a command")
        }
        return command
    }

    /// `name=`, `name+=`, `name[sub]=` at the current position, with its value.
    mutating func parseAssignmentIfPresent() throws -> Assignment? {
        let start = pos
        guard let name = readName() else { return nil }
        var subscriptWord: ShellWord?
        if peek() == UInt8(ascii: "[") {
            pos += 1
            subscriptWord = try readWord(mode: .subscriptText)
            guard peek() == UInt8(ascii: "]") else { pos = start; return nil }
            pos += 1
        }
        var append = false
        if peek() == UInt8(ascii: "+"), peek(1) == UInt8(ascii: "=") { append = true; pos += 1 }
        guard peek() == UInt8(ascii: "=") else { pos = start; return nil }
        pos += 1
        if peek() == UInt8(ascii: "("), subscriptWord == nil {
            pos += 1
            return Assignment(name: name, index: nil, append: append, value: .array(try parseArrayElements()), offset: start)
        }
        let value = try readWord() ?? ShellWord(parts: [], offset: pos)
        return Assignment(name: name, index: subscriptWord, append: append, value: .scalar(value), offset: start)
    }

    /// The elements of `( ... )` up to the closing parenthesis; comments and newlines allowed.
    mutating func parseArrayElements() throws -> [ArrayElement] {
        var elements: [ArrayElement] = []
        while true {
            skipBlanksAndNewlines()
            if atEnd { throw error("unexpected end of file: expected ')' to close an array") }
            if peek() == UInt8(ascii: ")") { pos += 1; return elements }
            let start = pos
            if peek() == UInt8(ascii: "[") {
                pos += 1
                if let key = try readWord(mode: .subscriptText), peek() == UInt8(ascii: "]") {
                    pos += 1
                    var append = false
                    if peek() == UInt8(ascii: "+"), peek(1) == UInt8(ascii: "=") { append = true; pos += 1 }
                    if peek() == UInt8(ascii: "=") {
                        pos += 1
                        let value = try readWord() ?? ShellWord(parts: [], offset: pos)
                        elements.append(ArrayElement(key: key, append: append, value: value))
                        continue
                    }
                }
                pos = start
            }
            guard let word = try readWord() else { throw error("unexpected \(describe(peek())) in an array") }
            elements.append(ArrayElement(key: nil, append: false, value: word))
        }
    }

    mutating func parseTrailingRedirections() throws -> [Redirection] {
        var redirections: [Redirection] = []
        while true {
            skipBlanks()
            guard let redirection = try parseRedirectionIfPresent() else { return redirections }
            redirections.append(redirection)
        }
    }

    /// `>file`, `2>&1`, `<<EOF`, `&>file`, `<<<word`, ...
    mutating func parseRedirectionIfPresent() throws -> Redirection? {
        let start = pos
        var probe = pos
        while probe < bytes.count, isASCIIDigit(bytes[probe]) { probe += 1 }
        if probe < bytes.count, bytes[probe] == UInt8(ascii: "{") {
            // {varname}>file
            var end = probe + 1
            while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
            if end < bytes.count, bytes[end] == UInt8(ascii: "}"), end + 1 < bytes.count,
               bytes[end + 1] == UInt8(ascii: ">") || bytes[end + 1] == UInt8(ascii: "<") {
                probe = end + 1
            }
        }
        guard probe < bytes.count else { return nil }
        let c = bytes[probe]
        var op: String
        if c == UInt8(ascii: "&"), probe == start, probe + 1 < bytes.count, bytes[probe + 1] == UInt8(ascii: ">") {
            op = bytes.count > probe + 2 && bytes[probe + 2] == UInt8(ascii: ">") ? "&>>" : "&>"
        } else if c == UInt8(ascii: "<") || c == UInt8(ascii: ">") {
            if probe + 1 < bytes.count, bytes[probe + 1] == UInt8(ascii: "(") { return nil } // process substitution
            let ops = ["<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">&", ">|", ">"]
            op = ops.first { matches($0, at: probe) } ?? String(UnicodeScalar(c))
        } else {
            return nil
        }
        let fd = Int(String(decoding: bytes[start..<probe], as: UTF8.self))
        pos = probe + op.utf8.count
        skipBlanks()
        if op == "<<" || op == "<<-" {
            guard let delimiter = try readWord() else { throw error("expected a here-document delimiter") }
            let body = try readHereDocument(delimiter: delimiter, stripTabs: op == "<<-")
            return Redirection(op: op, target: delimiter, hereDocument: body, fd: fd)
        }
        guard let target = try readWord() else { throw error("expected a file name after '\(op)'") }
        return Redirection(op: op, target: target, hereDocument: nil, fd: fd)
    }

    /// Reads the body of a here-document that starts after the current line, and arranges
    /// for the parser to jump over it when it reaches the end of this line.
    mutating func readHereDocument(delimiter: ShellWord, stripTabs: Bool) throws -> String {
        var delimiterText = ""
        for part in delimiter.parts {
            switch part {
            case .literal(let s), .quoted(let s): delimiterText += s
            case .doubleQuoted(let inner):
                for p in inner { if case .literal(let s) = p { delimiterText += s } else if case .quoted(let s) = p { delimiterText += s } }
            default: throw error("unsupported here-document delimiter")
            }
        }
        var lineEnd = pos
        while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        var cursor = hereDocumentSkips[lineEnd] ?? (lineEnd + 1)
        var body = ""
        while cursor < bytes.count {
            var end = cursor
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            var lineStart = cursor
            if stripTabs { while lineStart < end, bytes[lineStart] == 9 { lineStart += 1 } }
            let line = String(decoding: bytes[lineStart..<end], as: UTF8.self)
            cursor = end + 1
            if line == delimiterText { break }
            body += line + "\n"
        }
        hereDocumentSkips[lineEnd] = min(cursor, bytes.count)
        return body
    }

    // MARK: [[ ]]

    mutating func parseConditional(start: Int) throws -> ShellCommand {
        var tokens: [ConditionalToken] = []
        var afterRegexOperator = false
        while true {
            skipBlanksAndNewlines()
            if atEnd { throw error("unexpected end of file: expected ']]'", at: start) }
            if peek() == UInt8(ascii: "]"), peek(1) == UInt8(ascii: "]"), isCommandEndOrBlank(peek(2)) {
                pos += 2
                return .conditional(tokens, offset: start)
            }
            if afterRegexOperator {
                afterRegexOperator = false
                guard let word = try readWord(mode: .regex) else { throw error("expected a regular expression after '=~'") }
                tokens.append(.word(word))
                continue
            }
            let c = peek()
            if c == UInt8(ascii: "&"), peek(1) == c { pos += 2; tokens.append(.and); continue }
            if c == UInt8(ascii: "|"), peek(1) == c { pos += 2; tokens.append(.or); continue }
            if c == UInt8(ascii: "("), peek(1) != UInt8(ascii: "(") { pos += 1; tokens.append(.open); continue }
            if c == UInt8(ascii: ")") { pos += 1; tokens.append(.close); continue }
            if c == UInt8(ascii: "!"), isBlankOrEnd(peek(1)) { pos += 1; tokens.append(.not); continue }
            if c == UInt8(ascii: "<") || c == UInt8(ascii: ">") {
                pos += 1
                tokens.append(.word(ShellWord(parts: [.literal(String(UnicodeScalar(c)))], offset: pos - 1)))
                continue
            }
            guard let word = try readWord(mode: .conditional) else {
                throw error("unexpected \(describe(c)) in [[ ]]")
            }
            if word.literalText == "=~" { afterRegexOperator = true }
            tokens.append(.word(word))
        }
    }

    // MARK: helpers

    /// The text of `(( ... ))` or `$(( ... ))` after the opening parentheses, up to the
    /// matching `))`, which is consumed.
    mutating func readArithmeticText() throws -> String {
        let start = pos
        var level = 0
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "(") { level += 1 }
            else if c == UInt8(ascii: ")") {
                if level == 0 {
                    guard peek(1) == UInt8(ascii: ")") else { throw error("expected '))' to close an arithmetic expression", at: start) }
                    let text = String(decoding: bytes[start..<pos], as: UTF8.self)
                    pos += 2
                    return text
                }
                level -= 1
            } else if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                let quote = c
                pos += 1
                while pos < bytes.count, bytes[pos] != quote { pos += 1 }
            }
            pos += 1
        }
        throw error("unexpected end of file: expected '))'", at: start)
    }

    func matches(_ literal: String, at offset: Int) -> Bool {
        var i = offset
        for b in literal.utf8 {
            guard i < bytes.count, bytes[i] == b else { return false }
            i += 1
        }
        return true
    }

    /// The reserved word at the current position, if one stands there as a whole word.
    func peekReservedWord() -> String? {
        let c = peek()
        // a reserved word is a whole token: it ends where a word does, at a blank or a
        // metacharacter (`done<file`, `fi>log`, `for((`, `}>out`), or at the end
        if c == UInt8(ascii: "{") { return endsToken(peek(1)) ? "{" : nil }
        if c == UInt8(ascii: "}") { return endsToken(peek(1)) ? "}" : nil }
        if c == UInt8(ascii: "["), peek(1) == c, isBlankOrEnd(peek(2)) { return "[[" }
        if c == UInt8(ascii: "]"), peek(1) == c, isCommandEndOrBlank(peek(2)) { return "]]" }
        guard isLowercase(c) else { return nil }
        var end = pos
        while end < bytes.count, isLowercase(bytes[end]) { end += 1 }
        if end < bytes.count, !endsToken(bytes[end]) { return nil }
        return reservedWord(in: pos..<end)
    }

    /// Whether `c` (0 at the end) ends the token before it, as bash's tokenizer ends words.
    func endsToken(_ c: UInt8) -> Bool { c == 0 || isMeta(c) }

    static let reservedWords = [
        "if", "then", "elif", "else", "fi", "for", "in", "do", "done", "while", "until",
        "case", "esac", "function", "select",
    ]

    /// The reserved word `bytes[range]` spells, compared in place: the parser asks at
    /// the start of every command, and most words are none.
    func reservedWord(in range: Range<Int>) -> String? {
        Self.reservedWords.first { $0.utf8.count == range.count && $0.utf8.elementsEqual(bytes[range]) }
    }

    mutating func readName() -> String? {
        guard pos < bytes.count, isNameStart(bytes[pos]) else { return nil }
        let start = pos
        while pos < bytes.count, isNameByte(bytes[pos]) { pos += 1 }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    /// Function names may hold more than variable names: `package_lib32-foo`, `_package-headers`.
    mutating func readFunctionName() -> String? {
        guard let end = functionNameEnd() else { return nil }
        let name = String(decoding: bytes[pos..<end], as: UTF8.self)
        pos = end
        return name
    }

    /// Where the function name at the current position ends; nil when none stands there
    /// (no name, not followed by a blank or `(`, or a reserved word).
    func functionNameEnd() -> Int? {
        var end = pos
        while end < bytes.count {
            let c = bytes[end]
            if isNameByte(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "+")
                || c == UInt8(ascii: ":") || c == UInt8(ascii: "@") || c >= 0x80 {
                end += 1
            } else { break }
        }
        if end == pos { return nil }
        if end < bytes.count, !(isBlankOrEnd(bytes[end]) || bytes[end] == UInt8(ascii: "(")) { return nil }
        return reservedWord(in: pos..<end) == nil ? end : nil
    }

    mutating func consumeNewline() {
        // most PKGBUILDs have no here-document: no lookup (and no hashing) per newline
        if !hereDocumentSkips.isEmpty, let resume = hereDocumentSkips[pos] { pos = resume } else { pos += 1 }
    }

    mutating func skipBlanks() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 32 || c == 9 || c == 13 { pos += 1 }
            else if c == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "\n") { pos += 2 }
            else if c == UInt8(ascii: "#") { skipComment() }
            else { break }
        }
    }

    mutating func skipComment() {
        while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
    }

    mutating func skipBlanksAndNewlines() {
        while true {
            skipBlanks()
            guard peek() == UInt8(ascii: "\n") else { return }
            consumeNewline()
        }
    }

    /// Blank lines, comments and stray `;` between commands.
    mutating func skipSeparators() {
        while true {
            skipBlanksAndNewlines()
            if peek() == UInt8(ascii: ";"), peek(1) != UInt8(ascii: ";") { pos += 1 } else { return }
        }
    }

    func describe(_ c: UInt8) -> String {
        if pos >= bytes.count { return "end of file" }
        if c == UInt8(ascii: "\n") { return "newline" }
        if c < 32 || c >= 127 { return "byte 0x\(String(c, radix: 16))" }
        return "'\(Character(UnicodeScalar(c)))'"
    }
}

/// A syntax error at a byte offset; the reader turns it into a diagnostic with a line.
struct ShellSyntaxError: Error, Sendable {
    var offset: Int
    var message: String
}

@inline(__always) func isASCIIDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
@inline(__always) func isLowercase(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
@inline(__always) func isNameStart(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 }
@inline(__always) func isNameByte(_ c: UInt8) -> Bool { isNameStart(c) || isASCIIDigit(c) }
@inline(__always) func isBlankOrEnd(_ c: UInt8) -> Bool { c == 0 || c == 32 || c == 9 || c == 10 || c == 13 }
/// Bytes that end a word outside quotes.
@inline(__always) func isMeta(_ c: UInt8) -> Bool {
    c == 32 || c == 9 || c == 10 || c == 13 || c == 59 || c == 38 || c == 124 || c == 60 || c == 62 || c == 40 || c == 41
}
@inline(__always) func isCommandEnd(_ c: UInt8) -> Bool {
    c == 10 || c == 59 || c == 38 || c == 124 || c == 41 || c == 0
}
@inline(__always) func isCommandEndOrBlank(_ c: UInt8) -> Bool { isCommandEnd(c) || isBlankOrEnd(c) }
