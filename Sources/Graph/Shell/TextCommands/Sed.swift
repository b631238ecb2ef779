/// GNU sed 4.9 on standard input: `-n`, `-e`, `-E`/`-r`, `-z`, `-s`, `-u`, `--posix`
/// aside; the script's commands are those ``SedScript`` reads.
enum Sed {
    static let spec = TextOptions(short: "bnrsuEe:f:l:i::z", long: [
        .init(name: "quiet", argument: .none, key: "n"),
        .init(name: "silent", argument: .none, key: "n"),
        .init(name: "expression", argument: .required, key: "e"),
        .init(name: "file", argument: .required, key: "f"),
        .init(name: "in-place", argument: .optional, key: "i"),
        .init(name: "line-length", argument: .required, key: "l"),
        .init(name: "regexp-extended", argument: .none, key: "E"),
        .init(name: "separate", argument: .none, key: "s"),
        .init(name: "unbuffered", argument: .none, key: "u"),
        .init(name: "null-data", argument: .none, key: "z"),
        .init(name: "zero-terminated", argument: .none, key: "z"),
        .init(name: "binary", argument: .none, key: "b"),
        .init(name: "follow-symlinks", argument: .none, key: "follow-symlinks"),
        .init(name: "posix", argument: .none, key: "posix"),
        .init(name: "debug", argument: .none, key: "debug"),
        .init(name: "sandbox", argument: .none, key: "sandbox"),
    ])

    static func run(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        let options: TextOptions.Parsed
        switch try call.options(spec, unevaluated: ["f", "i", "posix", "debug"]) {
        case .success(let o): options = o
        case .failure(let e): return .failure(1, "sed: \(e.message)")
        }
        var operands = options.operands
        var pieces = options.options.filter { $0.key == "e" }.map { $0.value ?? "" }
        if pieces.isEmpty {
            guard !operands.isEmpty else { return .failure(1, "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...") }
            pieces = [operands.removeFirst()]
        }
        if let l = options.last("l"), TextNumbers.count(Substring(l)) == nil {
            return .failure(1, "sed: invalid line length: \(l)")
        }
        let extended = options.has("E") || options.has("r")
        let script: SedScript
        do {
            script = try SedScript(pieces.joined(separator: "\n"), extended: extended)
        } catch {
            switch error {
            case .invalid(let message): return .failure(1, "sed: -e expression #1: \(message)")
            case .unsupported(let message): throw .unsupported("sed: \(message) is not evaluated by the reader")
            }
        }
        let input = try call.operandInput(operands)
        guard let text = String(validating: input, as: UTF8.self) else { throw .unsupported("sed reads bytes that are not UTF-8") }
        var machine = SedMachine(script: script, quiet: options.has("n"), terminator: options.has("z") ? "\0" : "\n",
                                 text: text, budget: call.budget)
        defer { call.budget = machine.budget }
        do {
            try machine.run()
        } catch {
            switch error {
            case .budget(let exhausted): throw .budget(exhausted)
            case .unsupported(let message): throw .unsupported(message)
            }
        }
        return TextOutput(bytes: Array(String(machine.out).utf8), status: machine.status)
    }
}

/// Runs a ``SedScript`` over its input, cycle by cycle, as GNU sed's `execute.c`.
struct SedMachine {
    let script: SedScript
    let quiet: Bool
    let terminator: Unicode.Scalar
    var budget: ShellBudget

    var lines: [[Unicode.Scalar]]
    /// Whether the input's last line ended with the terminator.
    var lastLineTerminated: Bool
    var nextLine = 0
    var lineNumber = 0

    var pattern: [Unicode.Scalar] = []
    var hold: [Unicode.Scalar] = []
    /// GNU sed keeps the missing-newline mark with the buffer: `x` and `g` carry it.
    var holdChomped = true
    /// Whether the line in the pattern space had its terminator.
    var chomped = true
    var out = String.UnicodeScalarView()
    /// The last output lacked its terminator (added before anything else is written).
    var missingNewline = false
    var status: Int32 = 0
    var substituted = false
    var lastRegex: SedRegex?
    /// Per command: whether its range is active, and a numeric end.
    var rangeActive: [Bool]
    var rangeEnd: [Int]
    /// A range that starts at a line number ended: it never starts again.
    var rangeClosed: [Bool]

    enum Failure: Error {
        case budget(ShellBudget.Exhausted)
        case unsupported(String)
    }

    init(script: SedScript, quiet: Bool, terminator: Unicode.Scalar, text: String, budget: ShellBudget) {
        self.script = script
        self.quiet = quiet
        self.terminator = terminator
        self.budget = budget
        var lines: [[Unicode.Scalar]] = [[]]
        for c in text.unicodeScalars {
            if c == terminator { lines.append([]) } else { lines[lines.count - 1].append(c) }
        }
        lastLineTerminated = lines.last!.isEmpty
        if lastLineTerminated { lines.removeLast() }
        self.lines = lines
        rangeActive = script.commands.map { if case .zero? = $0.first { true } else { false } }
        rangeEnd = Array(repeating: 0, count: script.commands.count)
        rangeClosed = Array(repeating: false, count: script.commands.count)
    }

    mutating func pay(_ units: Int) throws(Failure) {
        do { try budget.spend(units) } catch { throw .budget(error) }
    }

    var isLastLine: Bool { nextLine >= lines.count }

    /// Reads the next line into the pattern space (appending after a newline for `N`).
    mutating func read(append: Bool) throws(Failure) -> Bool {
        guard nextLine < lines.count else { return false }
        let line = lines[nextLine]
        try pay(line.count + 1)
        nextLine += 1
        lineNumber += 1
        chomped = nextLine < lines.count || lastLineTerminated
        if append { pattern.append(terminator); pattern += line } else { pattern = line }
        // GNU sed's read_pattern_space clears `t`'s flag on every read, `N` and `n` too
        // (a cycle that `D` restarts without reading keeps it)
        substituted = false
        return true
    }

    mutating func emit(_ text: [Unicode.Scalar], terminated: Bool) throws(Failure) {
        try pay(text.count + 1)
        if out.count + text.count > ShellBudget.valueLimit {
            throw .unsupported(ShellBudget.tooLarge("sed's output", bytes: out.count + text.count))
        }
        if missingNewline { out.append(terminator); missingNewline = false }
        out.append(contentsOf: text)
        if terminated { out.append(terminator) } else { missingNewline = true }
    }

    mutating func autoprint() throws(Failure) {
        if !quiet { try emit(pattern, terminated: chomped) }
    }

    mutating func run() throws(Failure) {
        cycles: while try read(append: false) {
            var restart = false
            repeat {
                restart = false
                switch try execute() {
                case .endOfCycle:
                    try autoprint()
                case .deleted:
                    break
                case .restartWithoutReading:
                    restart = true
                case .endOfInput:
                    try autoprint()
                    break cycles
                case .quit(let code, let print):
                    // q ends the line it prints, even the input's unterminated last one
                    if print, !quiet { try emit(pattern, terminated: true) }
                    status = code
                    break cycles
                }
            } while restart
        }
    }

    enum CycleEnd {
        case endOfCycle, deleted, restartWithoutReading
        /// `n` or `N` without a next line: GNU sed prints the pattern space and stops.
        case endOfInput
        case quit(Int32, print: Bool)
    }

    mutating func execute() throws(Failure) -> CycleEnd {
        var pc = 0
        let commands = script.commands
        while pc < commands.count {
            try pay(1)
            let command = commands[pc]
            let selected = try matches(command, at: pc) != command.negated
            pc += 1
            guard selected else {
                if case .block(let end) = command.kind { pc = end + 1 }
                continue
            }
            switch command.kind {
            case .block, .blockEnd, .label:
                break
            case .substitute(let s):
                if try substitute(s) {
                    substituted = true
                    if s.print { try emit(pattern, terminated: chomped) }
                }
            case .transliterate(let map):
                try pay(pattern.count)
                pattern = pattern.map { map[$0] ?? $0 }
            case .print:
                try emit(pattern, terminated: chomped)
            case .delete:
                return .deleted
            case .printFirstLine:
                let first = Array(pattern.prefix { $0 != terminator })
                try emit(first, terminated: first.count < pattern.count || chomped)
            case .deleteFirstLine:
                guard let newline = pattern.firstIndex(of: terminator) else { return .deleted }
                pattern.removeSubrange(...newline)
                return .restartWithoutReading
            case .next:
                if isLastLine { return .endOfInput }
                try autoprint()
                _ = try read(append: false)
            case .appendNext:
                if isLastLine { return .endOfInput }
                _ = try read(append: true)
            case .hold: try pay(pattern.count); hold = pattern; holdChomped = chomped
            case .holdAppend: try pay(pattern.count); hold.append(terminator); hold += pattern; holdChomped = chomped
            case .get: try pay(hold.count); pattern = hold; chomped = holdChomped
            case .getAppend: try pay(hold.count); pattern.append(terminator); pattern += hold; chomped = holdChomped
            case .exchange: swap(&pattern, &hold); swap(&chomped, &holdChomped)
            case .zap: pattern = []
            case .lineNumber:
                try emit(Array(String(lineNumber).unicodeScalars), terminated: true)
            case .quit(let code): return .quit(code, print: true)
            case .quitSilently(let code): return .quit(code, print: false)
            case .branch(let label):
                pc = label.isEmpty ? commands.count : script.labels[label]!
            case .branchIfSubstituted(let label):
                if substituted {
                    substituted = false
                    pc = label.isEmpty ? commands.count : script.labels[label]!
                }
            case .branchUnlessSubstituted(let label):
                if substituted { substituted = false } else { pc = label.isEmpty ? commands.count : script.labels[label]! }
            }
        }
        return .endOfCycle
    }

    // MARK: addresses

    mutating func matches(_ command: SedScript.Command, at index: Int) throws(Failure) -> Bool {
        guard let first = command.first else { return true }
        guard let end = command.end else { return try matches(first) }
        let l = lineNumber
        var startsAtLine = false
        if case .line = first { startsAtLine = true }
        if rangeActive[index] {
            var ended = false
            defer { if ended { rangeActive[index] = false; rangeClosed[index] = startsAtLine } }
            switch end {
            case .address(.regex(let r)):
                ended = try search(r, in: pattern) != nil
                return true
            case .address(.last):
                ended = isLastLine
                return true
            case .address:
                ended = rangeEnd[index] <= l
                return l <= rangeEnd[index]
            case .plus, .multiple:
                // GNU sed matches the line that reaches or passes the end, even past it
                ended = rangeEnd[index] <= l
                return true
            }
        }
        // a range from line N starts at the first line from N on that reaches it (an `n`
        // may have read line N past the command), once
        if case .line(let n) = first {
            guard !rangeClosed[index], l >= n else { return false }
            if l > n, case .address(.line(let last)) = end, l > last { return false }
        } else {
            guard try matches(first) else { return false }
        }
        var single = false
        switch end {
        case .address(.last):
            // GNU sed ends a range to `$` that starts on the last line at once: a cycle
            // restarted by `D` on that line does not match it again
            if isLastLine { single = true }
        case .address(.line(let n)):
            if n <= l { single = true }
            rangeEnd[index] = n
        case .plus(let n):
            if n == 0 { single = true }
            rangeEnd[index] = l + n
        case .multiple(let n):
            // the next multiple after this line, even when this one is a multiple
            if n <= 0 { single = true }
            rangeEnd[index] = n <= 0 ? l : (l / n + 1) * n
        default:
            break
        }
        if single { rangeClosed[index] = startsAtLine } else { rangeActive[index] = true }
        return true
    }

    mutating func matches(_ address: SedScript.Address) throws(Failure) -> Bool {
        switch address {
        case .line(let n): return lineNumber == n
        case .last: return isLastLine
        case .zero: return false
        case .step(let first, let step):
            if step <= 0 { return lineNumber == first }
            return lineNumber >= first && (lineNumber - first) % step == 0
        case .regex(let r):
            return try search(r, in: pattern) != nil
        }
    }

    /// The first match of `regex` (nil: the last one used) from `start`.
    mutating func search(_ regex: SedRegex?, in text: [Unicode.Scalar], from start: Int = 0) throws(Failure) -> [Range<Int>?]? {
        guard let regex = regex ?? lastRegex else { throw .unsupported("sed: no previous regular expression") }
        lastRegex = regex
        do {
            return try regex.match(text, from: start, budget: &budget)
        } catch {
            throw .budget(error)
        }
    }

    // MARK: s

    mutating func substitute(_ s: SedScript.Substitution) throws(Failure) -> Bool {
        if s.regex == nil, let last = lastRegex, s.replacement.contains(where: {
            if case .group(let g) = $0 { g > last.regex.groupCount } else { false }
        }) {
            throw .unsupported("sed: a reference beyond the groups of the previous regular expression")
        }
        var result: [Unicode.Scalar] = []
        var start = 0
        var copied = 0
        var count = 0
        var replaced = false
        var previousEnd: Int?
        while start <= pattern.count, let m = try search(s.regex, in: pattern, from: start), let whole = m[0] {
            // an empty match right after the previous match is skipped
            if whole.isEmpty, whole.lowerBound == previousEnd {
                if whole.lowerBound >= pattern.count { break }
                if !pattern[whole.lowerBound].isASCII {
                    throw .unsupported("sed: an empty match before a multibyte character")
                }
                start = whole.lowerBound + 1
                continue
            }
            if whole.isEmpty, whole.lowerBound < pattern.count, !pattern[whole.lowerBound].isASCII, s.global || count + 1 < s.occurrence {
                // GNU sed steps over an empty match by one byte, into the character
                throw .unsupported("sed: an empty match before a multibyte character")
            }
            count += 1
            if count >= s.occurrence {
                result += pattern[copied..<whole.lowerBound]
                try appendReplacement(s.replacement, m, to: &result)
                copied = whole.upperBound
                replaced = true
                if !s.global { break }
            }
            previousEnd = whole.upperBound
            start = whole.isEmpty ? whole.upperBound + 1 : whole.upperBound
            if whole.isEmpty, whole.lowerBound >= pattern.count { break }
        }
        guard replaced else { return false }
        result += pattern[copied...]
        try pay(result.count)
        pattern = result
        return true
    }

    mutating func appendReplacement(_ parts: [SedScript.ReplacementPart], _ m: [Range<Int>?], to result: inout [Unicode.Scalar]) throws(Failure) {
        var mode: Character = "E"
        var oneShot: Character?
        func add(_ text: some Sequence<Unicode.Scalar>) {
            for c in text {
                var c = c
                if let shot = oneShot {
                    c = shot == "u" ? SedRegex.upper(c) : Self.lower(c)
                    oneShot = nil
                } else if mode == "U" {
                    c = SedRegex.upper(c)
                } else if mode == "L" {
                    c = Self.lower(c)
                }
                result.append(c)
            }
        }
        for part in parts {
            switch part {
            case .text(let t): add(t)
            case .group(let g):
                if g < m.count, let r = m[g] { add(pattern[r]) }
            case .caseChange(let c):
                if c == "u" || c == "l" { oneShot = c } else { mode = c; oneShot = nil }
            }
        }
        try pay(result.count / 64 + 1)
        if result.count > ShellBudget.valueLimit {
            throw .unsupported(ShellBudget.tooLarge("sed's substitution", bytes: result.count))
        }
    }

    static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        if c.isASCII { return c.value >= 65 && c.value <= 90 ? Unicode.Scalar(c.value + 32)! : c }
        let mapped = c.properties.lowercaseMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first! : c
    }
}
