/// bash brace expansion over a word's parts: `a{b,c}d`, `{1..3}`, `{01..10}`, `{a..e..2}`.
/// Only unquoted literal text takes part in the syntax; quoted text and expansions move
/// along inside the alternatives as they are.
enum BraceExpansion {
    /// The most words one expansion yields.
    static let limit = 100_000
    /// The most characters all its words hold together (``ShellBudget/valueLimit``).
    static let sizeLimit = ShellBudget.valueLimit

    enum Token {
        case scalar(Unicode.Scalar)
        case part(WordPart)
    }

    /// Bash would expand it, but the reader will not hold that much: more than ``limit``
    /// words, or more than ``sizeLimit`` characters (`size`, counted as far as it got).
    struct TooLarge: Error {
        var words: Bool
        var size: Int
    }

    /// What an expansion has produced so far, for its bounds.
    struct Tally {
        var words = 0
        var size = 0
    }

    /// The words `parts` expands to. Every character produced, the intermediate
    /// alternatives' included, is paid for from `budget` and counted against
    /// ``sizeLimit`` before it is built.
    static func expand(_ parts: [WordPart], budget: inout ShellBudget) throws -> [[WordPart]] {
        let hasBrace = parts.contains { part in
            if case .literal(let s) = part { return s.unicodeScalars.contains("{") }
            return false
        }
        guard hasBrace else { return [parts] }
        var tokens: [Token] = []
        for part in parts {
            if case .literal(let s) = part { tokens += s.unicodeScalars.map(Token.scalar) } else { tokens.append(.part(part)) }
        }
        var tally = Tally()
        return try expand(tokens, tally: &tally, budget: &budget).map(toParts)
    }

    static func isScalar(_ t: Token, _ c: Unicode.Scalar) -> Bool {
        if case .scalar(let s) = t { return s == c }
        return false
    }

    static func expand(_ tokens: [Token], tally: inout Tally, budget: inout ShellBudget) throws -> [[Token]] {
        var i = 0
        while i < tokens.count {
            guard isScalar(tokens[i], "{") else { i += 1; continue }
            var depth = 0
            var commas: [Int] = []
            var close: Int?
            var j = i
            while j < tokens.count {
                if isScalar(tokens[j], "{") { depth += 1 }
                else if isScalar(tokens[j], "}") {
                    depth -= 1
                    if depth == 0 { close = j; break }
                } else if isScalar(tokens[j], ","), depth == 1 { commas.append(j) }
                j += 1
            }
            try budget.spend(j - i + 1)
            guard let close else { i += 1; continue }
            let prefix = tokens[..<i]
            let suffix = Array(tokens[(close + 1)...])
            var alternatives: [[Token]] = []
            if !commas.isEmpty {
                var start = i + 1
                for comma in commas + [close] {
                    alternatives += try expand(Array(tokens[start..<comma]), tally: &tally, budget: &budget)
                    start = comma + 1
                }
            } else if let sequence = try sequence(Array(tokens[(i + 1)..<close])) {
                let size = sequence.reduce(0) { $0 + $1.unicodeScalars.count }
                try count(words: sequence.count, size: size, &tally, &budget)
                alternatives = sequence.map { $0.unicodeScalars.map(Token.scalar) }
            } else {
                i += 1
                continue
            }
            let tails = try expand(suffix, tally: &tally, budget: &budget)
            // every alternative with every tail, after the prefix: counted before it is built
            let alternativesSize = alternatives.reduce(0) { $0 + $1.count }
            let tailsSize = tails.reduce(0) { $0 + $1.count }
            let words = alternatives.count.multipliedReportingOverflow(by: tails.count)
            let size = words.partialValue.multipliedReportingOverflow(by: prefix.count)
            let rest = alternativesSize.multipliedReportingOverflow(by: tails.count)
            let more = tailsSize.multipliedReportingOverflow(by: alternatives.count)
            guard !words.overflow, !size.overflow, !rest.overflow, !more.overflow,
                  words.partialValue <= limit else {
                throw TooLarge(words: true, size: tally.size)
            }
            try count(words: words.partialValue, size: size.partialValue + rest.partialValue + more.partialValue, &tally, &budget)
            var result: [[Token]] = []
            result.reserveCapacity(words.partialValue)
            for alternative in alternatives {
                for tail in tails {
                    var word = Array(prefix)
                    word.reserveCapacity(prefix.count + alternative.count + tail.count)
                    word += alternative
                    word += tail
                    result.append(word)
                }
            }
            return result
        }
        return [tokens]
    }

    /// Counts `words` words of `size` characters in all against the bounds and the budget.
    static func count(words: Int, size: Int, _ tally: inout Tally, _ budget: inout ShellBudget) throws {
        tally.words += words
        tally.size += size
        if tally.words > limit { throw TooLarge(words: true, size: tally.size) }
        if tally.size > sizeLimit { throw TooLarge(words: false, size: tally.size) }
        try budget.spend(words + size)
    }

    /// `{x..y[..step]}` over integers (zero-padded when an end has a leading zero) or letters.
    static func sequence(_ tokens: [Token]) throws -> [String]? {
        var text = ""
        for t in tokens {
            guard case .scalar(let c) = t else { return nil }
            text.unicodeScalars.append(c)
        }
        let fields = text.components(separatedBy: "..")
        guard fields.count == 2 || fields.count == 3 else { return nil }
        var step = 1
        if fields.count == 3 {
            guard let s = Int(fields[2]) else { return nil }
            step = s == 0 ? 1 : Int(clamping: s.magnitude)
        }
        if let a = Int(fields[0]), let b = Int(fields[1]) {
            let span = b.subtractingReportingOverflow(a)
            guard !span.overflow, span.partialValue.magnitude / UInt(step) < UInt(limit) else {
                // bash would expand it; reading it as a literal word would be a silent wrong answer
                throw TooLarge(words: true, size: 0)
            }
            let padded = [fields[0], fields[1]].contains { f in
                let digits = f.hasPrefix("-") ? f.dropFirst() : f[...]
                return digits.count > 1 && digits.hasPrefix("0")
            }
            let width = padded ? max(fields[0].count, fields[1].count) : 0
            return stride(from: a, through: b, by: a <= b ? step : -step).map { n in
                var s = String(abs(n))
                let signWidth = n < 0 ? 1 : 0
                if s.count + signWidth < width { s = String(repeating: "0", count: width - s.count - signWidth) + s }
                return n < 0 ? "-" + s : s
            }
        }
        let a = fields[0].unicodeScalars, b = fields[1].unicodeScalars
        guard a.count == 1, b.count == 1, let x = a.first, let y = b.first,
              x.properties.isAlphabetic, y.properties.isAlphabetic, x.isASCII, y.isASCII else { return nil }
        return stride(from: Int(x.value), through: Int(y.value), by: x.value <= y.value ? step : -step)
            .compactMap { Unicode.Scalar(UInt32($0)).map { String($0) } }
    }

    /// A short view of a word for diagnostics: its literal and quoted text, `$...` for
    /// expansions.
    static func sketch(_ parts: [WordPart]) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .literal(let s), .quoted(let s): text += s
            default: text += "$..."
            }
            if text.utf8.count > 60 { break }
        }
        // one line: a word may span lines (quotes, escaped newlines)
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        return ShellDiagnostic.excerpt(words.joined(separator: " "))
    }

    static func toParts(_ tokens: [Token]) -> [WordPart] {
        var parts: [WordPart] = []
        var text = String.UnicodeScalarView()
        for t in tokens {
            switch t {
            case .scalar(let c): text.append(c)
            case .part(let p):
                if !text.isEmpty { parts.append(.literal(String(text))); text = String.UnicodeScalarView() }
                parts.append(p)
            }
        }
        if !text.isEmpty { parts.append(.literal(String(text))) }
        return joinNames(parts)
    }

    /// `$v` followed by name characters after expansion reads a longer name, as in bash.
    static func joinNames(_ parts: [WordPart]) -> [WordPart] {
        var out: [WordPart] = []
        for part in parts {
            if case .literal(let text) = part, case .parameter(var e)? = out.last, e.unbraced,
               let first = text.utf8.first, isNameByte(first), !isASCIIDigit(e.name.utf8.first ?? 0) {
                let nameBytes = text.utf8.prefix { isNameByte($0) }
                e.name += String(decoding: nameBytes, as: UTF8.self)
                out[out.count - 1] = .parameter(e)
                let rest = String(decoding: text.utf8.dropFirst(nameBytes.count), as: UTF8.self)
                if !rest.isEmpty { out.append(.literal(rest)) }
            } else {
                out.append(part)
            }
        }
        return out
    }
}
