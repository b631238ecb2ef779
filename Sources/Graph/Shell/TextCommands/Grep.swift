/// GNU grep 3.8 on standard input under `LANG=C.UTF-8`: `-G` (basic, the default), `-E`
/// and `-F` patterns from the operand or `-e`, `-i`/`-y`, `-v`, `-x`, `-c`, `-q`, `-s`,
/// `-n`, `-m`, `-o` (one pattern), `-h`, `-z`. Basic and extended patterns run on the
/// reader's regex machine as sed's do (``SedRegex``). Exit status 0 when a line was
/// selected, 1 when none, 2 for an invalid option; a pattern glibc refuses is left to makepkg.
///
/// Unsupported: `-P`, `-w`, `-f`, `-l -L -H -b`, context (`-A -B -C`), `-r`, colours;
/// `-o` with several patterns; a backslash before a letter or digit grep reads
/// otherwise than sed (`\t`, `\n`, back-references: grep 3.8 warns and takes the letter);
/// input that is not UTF-8 or has NUL bytes outside `-z` (grep calls it binary).
enum Grep {
    static let spec = TextOptions(short: "EFGPe:f:iyvwxcqsnm:ohHlLbA:B:C:rRzUTZa", long: [
        .init(name: "extended-regexp", argument: .none, key: "E"),
        .init(name: "fixed-strings", argument: .none, key: "F"),
        .init(name: "basic-regexp", argument: .none, key: "G"),
        .init(name: "perl-regexp", argument: .none, key: "P"),
        .init(name: "regexp", argument: .required, key: "e"),
        .init(name: "file", argument: .required, key: "f"),
        .init(name: "ignore-case", argument: .none, key: "i"),
        .init(name: "no-ignore-case", argument: .none, key: "no-ignore-case"),
        .init(name: "invert-match", argument: .none, key: "v"),
        .init(name: "word-regexp", argument: .none, key: "w"),
        .init(name: "line-regexp", argument: .none, key: "x"),
        .init(name: "count", argument: .none, key: "c"),
        .init(name: "quiet", argument: .none, key: "q"),
        .init(name: "silent", argument: .none, key: "q"),
        .init(name: "no-messages", argument: .none, key: "s"),
        .init(name: "line-number", argument: .none, key: "n"),
        .init(name: "max-count", argument: .required, key: "m"),
        .init(name: "only-matching", argument: .none, key: "o"),
        .init(name: "no-filename", argument: .none, key: "h"),
        .init(name: "with-filename", argument: .none, key: "H"),
        .init(name: "files-with-matches", argument: .none, key: "l"),
        .init(name: "files-without-match", argument: .none, key: "L"),
        .init(name: "byte-offset", argument: .none, key: "b"),
        .init(name: "after-context", argument: .required, key: "A"),
        .init(name: "before-context", argument: .required, key: "B"),
        .init(name: "context", argument: .required, key: "C"),
        .init(name: "recursive", argument: .none, key: "r"),
        .init(name: "dereference-recursive", argument: .none, key: "R"),
        .init(name: "null-data", argument: .none, key: "z"),
        .init(name: "binary", argument: .none, key: "U"),
        .init(name: "initial-tab", argument: .none, key: "T"),
        .init(name: "null", argument: .none, key: "Z"),
        .init(name: "text", argument: .none, key: "a"),
        .init(name: "color", argument: .optional, key: "color"),
        .init(name: "colour", argument: .optional, key: "color"),
        .init(name: "label", argument: .required, key: "label"),
        .init(name: "line-buffered", argument: .none, key: "line-buffered"),
    ])

    static func run(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        let options: TextOptions.Parsed
        switch try call.options(spec, unevaluated: ["P", "f", "w", "H", "l", "L", "b", "A", "B", "C", "r", "R", "U", "T", "Z",
                                                    "a", "color", "label", "line-buffered"]) {
        case .success(let o): options = o
        case .failure(let e): return .failure(2, "grep: \(e.message)")
        }
        // the last of -E -F -G decides; GNU grep refuses two different ones
        let matchers = Set(options.options.map(\.key).filter { $0 == "E" || $0 == "F" || $0 == "G" })
        if matchers.count > 1 { return .failure(2, "grep: conflicting matchers specified") }
        let kind = matchers.first ?? "G"
        var ignoreCase = false
        for (key, _) in options.options {
            if key == "i" || key == "y" { ignoreCase = true }
            if key == "no-ignore-case" { ignoreCase = false }
        }
        var operands = options.operands
        var patterns: [String]
        let given = options.options.filter { $0.key == "e" }.map { $0.value ?? "" }
        if given.isEmpty {
            guard !operands.isEmpty else { return .failure(2, "Usage: grep [OPTION]... PATTERNS [FILE]...") }
            patterns = [operands.removeFirst()]
        } else {
            patterns = given
        }
        // each line of a pattern is a pattern
        patterns = patterns.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        var maxCount = Int.max
        if let m = options.last("m") {
            guard let n = TextNumbers.count(Substring(m)) else { return .failure(2, "grep: invalid max count") }
            maxCount = n
        }
        let invert = options.has("v"), wholeLine = options.has("x"), count = options.has("c")
        let quiet = options.has("q"), numbers = options.has("n"), onlyMatching = options.has("o")
        if onlyMatching, patterns.count > 1 { throw call.unsupported("-o with several patterns") }
        let terminator: UInt8 = options.has("z") ? 0 : 10

        var regexes: [SedRegex] = []
        for pattern in patterns {
            let scalars = Array(pattern.unicodeScalars)
            var source: [Unicode.Scalar]
            if kind == "F" {
                source = []
                for c in scalars {
                    if "\\.[]*^$+?(){}|".unicodeScalars.contains(c) { source.append("\\") }
                    source.append(c)
                }
            } else {
                source = scalars
                var i = 0
                while i + 1 < source.count {
                    if source[i] == "\\" {
                        let next = source[i + 1]
                        if next.properties.isAlphabetic || ("0"..."9").contains(next), !"wWsSbB".unicodeScalars.contains(next) {
                            throw call.unsupported("with the escape '\\\(next)' in a pattern")
                        }
                        i += 2
                    } else {
                        i += 1
                    }
                }
            }
            if wholeLine {
                // grep -x: the whole line is one match of the pattern
                source = kind == "G" ? Array("^\\(".unicodeScalars) + source + Array("\\)$".unicodeScalars)
                                     : Array("^(".unicodeScalars) + source + Array(")$".unicodeScalars)
            }
            do {
                regexes.append(try SedRegex(source, extended: kind != "G", ignoreCase: ignoreCase))
            } catch {
                switch error {
                // grep's own parser (dfa.c) forgives what glibc refuses (`-E 'a{1'` is
                // literal): which patterns it rejects is not guessed
                case .invalid(let message): throw .unsupported("grep: the pattern '\(pattern)' (\(message))")
                case .unsupported(let message): throw .unsupported("grep: \(message)")
                }
            }
        }
        // grep stops before reading when nothing can be selected: `-m 0`, or `-v` of the
        // one empty pattern without -x (no output, not even -c's count)
        if maxCount == 0 || (invert && !wholeLine && patterns == [""]) { return TextOutput(bytes: [], status: 1) }
        let input = try call.operandInput(operands)
        if terminator == 10, input.contains(0) { throw call.unsupported("on input with NUL bytes (a binary file to grep)") }
        guard String(validating: input, as: UTF8.self) != nil else { throw call.unsupported("on input that is not UTF-8") }

        var out: [UInt8] = []
        var selected = 0
        var budget = call.budget
        defer { call.budget = budget }
        var lineNumber = 0
        for record in input.records(terminator) {
            lineNumber += 1
            let text = Array(String(decoding: record, as: UTF8.self).unicodeScalars)
            var matches: [Range<Int>] = []
            var matched = false
            do throws(ShellBudget.Exhausted) {
                for regex in regexes {
                    if onlyMatching, !invert {
                        var start = 0
                        while start <= text.count, let found = try regex.match(text, from: start, budget: &budget), let whole = found[0] {
                            if !whole.isEmpty { matches.append(whole) }
                            start = whole.isEmpty ? whole.upperBound + 1 : whole.upperBound
                        }
                        let any = try regex.match(text, from: 0, budget: &budget)
                        if !matches.isEmpty || any != nil { matched = true }
                    } else if try regex.match(text, from: 0, budget: &budget) != nil {
                        matched = true
                        break
                    }
                }
            } catch {
                throw .budget(error)
            }
            guard matched != invert else { continue }
            selected += 1
            if quiet { return TextOutput(bytes: [], status: 0) }
            if !count {
                let prefix: [UInt8] = numbers ? Array("\(lineNumber):".utf8) : []
                if onlyMatching {
                    for range in matches {
                        out += prefix
                        out += Array(String(String.UnicodeScalarView(text[range])).utf8)
                        out.append(terminator)
                    }
                } else {
                    out += prefix
                    out += record
                    out.append(terminator)
                }
            }
            if selected >= maxCount { break }
        }
        if count, !quiet { out = Array("\(selected)\n".utf8) }
        return TextOutput(bytes: out, status: selected > 0 ? 0 : 1)
    }
}
