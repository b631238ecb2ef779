/// bash glob patterns (extglob off) as `case`, `[[ == ]]` and `${v#pat}`/`${v/pat/r}` use
/// them: `*`, `?`, `[...]` with ranges, negation and POSIX classes, backslash escapes.
/// Matching works on Unicode scalars, as bash does in a UTF-8 locale.
struct ShellPattern: Sendable {
    enum Element: Sendable {
        case scalar(Unicode.Scalar)
        case any
        case star
        case set(BracketSet)
    }

    struct BracketSet: Sendable {
        var negated = false
        var scalars: [Unicode.Scalar] = []
        var ranges: [ClosedRange<UInt32>] = []
        var classes: [String] = []

        func contains(_ c: Unicode.Scalar) -> Bool {
            var hit = scalars.contains(c) || ranges.contains { $0.contains(c.value) }
            if !hit { hit = classes.contains { ShellPattern.inClass($0, c) } }
            return hit != negated
        }
    }

    let elements: [Element]
    /// The pattern's text when it has no special character: matched by comparison.
    let literal: String?

    init(_ pattern: String) {
        let p = Array(pattern.unicodeScalars)
        var elements: [Element] = []
        var isLiteral = true
        var i = 0
        while i < p.count {
            let c = p[i]
            switch c {
            case "\\":
                if i + 1 < p.count { elements.append(.scalar(p[i + 1])); i += 2 } else { elements.append(.scalar(c)); i += 1 }
            case "*":
                isLiteral = false
                if case .star? = elements.last {} else { elements.append(.star) }
                i += 1
            case "?":
                isLiteral = false
                elements.append(.any)
                i += 1
            case "[":
                if let (set, next) = Self.parseBracket(p, i + 1) {
                    isLiteral = false
                    elements.append(.set(set))
                    i = next
                } else {
                    elements.append(.scalar(c))
                    i += 1
                }
            default:
                elements.append(.scalar(c))
                i += 1
            }
        }
        self.elements = elements
        if isLiteral {
            var s = String.UnicodeScalarView()
            for case .scalar(let c) in elements { s.append(c) }
            literal = String(s)
        } else {
            literal = nil
        }
    }

    /// A bracket expression starting after `[`; nil when unterminated (then `[` is literal).
    static func parseBracket(_ p: [Unicode.Scalar], _ start: Int) -> (BracketSet, Int)? {
        var set = BracketSet()
        var i = start
        if i < p.count, p[i] == "!" || p[i] == "^" { set.negated = true; i += 1 }
        var first = true
        while i < p.count {
            let c = p[i]
            if c == "]" && !first { return (set, i + 1) }
            first = false
            if c == "[", i + 1 < p.count, p[i + 1] == ":" {
                var j = i + 2
                var name = ""
                while j + 1 < p.count, !(p[j] == ":" && p[j + 1] == "]") { name.unicodeScalars.append(p[j]); j += 1 }
                if j + 1 < p.count {
                    set.classes.append(name)
                    i = j + 2
                    continue
                }
            }
            var low = c
            if c == "\\", i + 1 < p.count { low = p[i + 1]; i += 1 }
            if i + 2 < p.count, p[i + 1] == "-", p[i + 2] != "]" {
                var high = p[i + 2]
                var next = i + 3
                if high == "\\", i + 3 < p.count { high = p[i + 3]; next = i + 4 }
                if low.value <= high.value { set.ranges.append(low.value...high.value) }
                i = next
                continue
            }
            set.scalars.append(low)
            i += 1
        }
        return nil
    }

    static func inClass(_ name: String, _ c: Unicode.Scalar) -> Bool {
        let v = c.value
        switch name {
        case "alpha": return c.properties.isAlphabetic
        case "digit": return v >= 48 && v <= 57
        case "alnum": return c.properties.isAlphabetic || (v >= 48 && v <= 57)
        case "upper": return c.properties.isUppercase
        case "lower": return c.properties.isLowercase
        case "space": return v == 32 || (v >= 9 && v <= 13)
        case "blank": return v == 32 || v == 9
        case "punct": return v < 128 && c.properties.generalCategory.isPunctuationOrSymbol
        case "xdigit": return (v >= 48 && v <= 57) || (v >= 65 && v <= 70) || (v >= 97 && v <= 102)
        case "cntrl": return v < 32 || v == 127
        case "print": return v >= 32 && v != 127
        case "graph": return v > 32 && v != 127
        case "word": return c.properties.isAlphabetic || (v >= 48 && v <= 57) || v == 95
        default: return false
        }
    }

    /// Whether the whole of `s` matches. Every character compared is paid from `budget`.
    func matches(_ s: String, budget: inout ShellBudget) throws(ShellBudget.Exhausted) -> Bool {
        if let literal { return literal == s }
        let text = Array(s.unicodeScalars)
        return try matchLength(text, from: 0, to: text.count, budget: &budget)
    }

    /// Iterative glob matching with single-star backtracking: on a mismatch only the last
    /// star takes one more character, which is exact for `*`, `?` and `[...]` patterns.
    /// - Complexity: O(n·m) for n characters and m pattern elements, linear in practice.
    private func matchLength(_ text: [Unicode.Scalar], from: Int, to: Int,
                             budget: inout ShellBudget) throws(ShellBudget.Exhausted) -> Bool {
        var t = from, p = 0
        var starP = -1, starT = 0
        while t < to {
            try budget.spend()
            if p < elements.count {
                switch elements[p] {
                case .star:
                    starP = p
                    starT = t
                    p += 1
                    continue
                case .any:
                    t += 1; p += 1; continue
                case .scalar(let c):
                    if c == text[t] { t += 1; p += 1; continue }
                case .set(let set):
                    if set.contains(text[t]) { t += 1; p += 1; continue }
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < elements.count, case .star = elements[p] { p += 1 }
        return p == elements.count
    }

    /// The pattern as a nondeterministic automaton: state p means "elements[..<p]
    /// matched". Running it over the text from one start gives, in a single pass, every
    /// end at which the text matches, so the shortest and longest of them cost one scan.
    /// - Complexity: O(n·m) for n characters and m elements, whatever the pattern.
    private struct Automaton {
        let elements: [Element]
        let words: Int

        init(_ elements: [Element]) {
            self.elements = elements
            words = (elements.count + 1 + 63) / 64
        }

        func contains(_ s: [UInt64], _ p: Int) -> Bool { s[p >> 6] & (1 << UInt64(p & 63)) != 0 }
        func insert(_ s: inout [UInt64], _ p: Int) { s[p >> 6] |= 1 << UInt64(p & 63) }

        /// A star may match nothing: reaching it reaches what follows it.
        func close(_ s: inout [UInt64]) {
            for p in elements.indices where contains(s, p) {
                if case .star = elements[p] { insert(&s, p + 1) }
            }
        }

        func start() -> [UInt64] {
            var s = [UInt64](repeating: 0, count: words)
            insert(&s, 0)
            close(&s)
            return s
        }

        var accepting: Int { elements.count }

        /// The states after one more character, into `next`; one unit per live state.
        func step(_ s: [UInt64], _ c: Unicode.Scalar, into next: inout [UInt64],
                  budget: inout ShellBudget) throws(ShellBudget.Exhausted) -> Bool {
            var live = false
            for w in 0..<words { next[w] = 0 }
            for w in 0..<words where s[w] != 0 {
                var bits = s[w]
                while bits != 0 {
                    let p = (w << 6) + bits.trailingZeroBitCount
                    bits &= bits - 1
                    guard p < elements.count else { continue }
                    try budget.spend()
                    switch elements[p] {
                    case .star: insert(&next, p)
                    case .any: insert(&next, p + 1)
                    case .scalar(let x): if x == c { insert(&next, p + 1) }
                    case .set(let set): if set.contains(c) { insert(&next, p + 1) }
                    }
                    live = true
                }
            }
            close(&next)
            return live && next.contains { $0 != 0 }
        }

        /// Runs over the text from `start` (forward, or `backward` towards 0) and returns
        /// the first position (or, `longest`, the last) at which the automaton accepts:
        /// forward, the end of a prefix match; backward with the reversed pattern, the
        /// start of a suffix match.
        func scan(_ text: [Unicode.Scalar], from start: Int, backward: Bool, longest: Bool,
                  budget: inout ShellBudget) throws(ShellBudget.Exhausted) -> Int? {
            var state = self.start()
            var next = state
            var found: Int?
            var i = start
            while true {
                if contains(state, accepting) {
                    found = i
                    if !longest { return i }
                }
                guard backward ? i > 0 : i < text.count else { return found }
                guard try step(state, text[backward ? i - 1 : i], into: &next, budget: &budget) else { return found }
                swap(&state, &next)
                i += backward ? -1 : 1
            }
        }
    }

    /// The end of the shortest or longest match starting at `start`, scanning forward.
    private func prefixEnd(_ text: [Unicode.Scalar], from start: Int, longest: Bool,
                           budget: inout ShellBudget) throws(ShellBudget.Exhausted) -> Int? {
        try Automaton(elements).scan(text, from: start, backward: false, longest: longest, budget: &budget)
    }

    /// The start of the shortest or longest match ending at the end of `text`: the
    /// reversed pattern run backwards.
    private func suffixStart(_ text: [Unicode.Scalar], longest: Bool,
                             budget: inout ShellBudget) throws(ShellBudget.Exhausted) -> Int? {
        try Automaton(elements.reversed()).scan(text, from: text.count, backward: true, longest: longest, budget: &budget)
    }

    /// `${v#p}` (shortest) and `${v##p}` (longest).
    func removePrefix(of s: String, longest: Bool, budget: inout ShellBudget) throws(ShellBudget.Exhausted) -> String {
        if let literal { return s.hasPrefix(literal) && !literal.isEmpty ? String(s.unicodeScalars.dropFirst(literal.unicodeScalars.count)) : s }
        let text = Array(s.unicodeScalars)
        guard let end = try prefixEnd(text, from: 0, longest: longest, budget: &budget) else { return s }
        return String(String.UnicodeScalarView(text[end...]))
    }

    /// `${v%p}` (shortest) and `${v%%p}` (longest).
    func removeSuffix(of s: String, longest: Bool, budget: inout ShellBudget) throws(ShellBudget.Exhausted) -> String {
        if let literal { return s.hasSuffix(literal) && !literal.isEmpty ? String(s.unicodeScalars.dropLast(literal.unicodeScalars.count)) : s }
        let text = Array(s.unicodeScalars)
        guard let start = try suffixStart(text, longest: longest, budget: &budget) else { return s }
        return String(String.UnicodeScalarView(text[..<start]))
    }

    /// `${v/p/r}`, `${v//p/r}`, `${v/#p/r}`, `${v/%p/r}`: leftmost, longest matches. The
    /// result is paid for by the character and may not grow past ``ShellBudget/valueLimit``
    /// (nil then: a replacement that multiplies a long value).
    func replace(in s: String, with replacement: String, mode: ParameterExpansion.ReplaceMode,
                 budget: inout ShellBudget) throws(ShellBudget.Exhausted) -> String? {
        if elements.isEmpty {
            // an empty pattern matches the empty string at the start or the end only
            switch mode {
            case .prefix: return replacement + s
            case .suffix: return s + replacement
            case .first, .all: return s
            }
        }
        let text = Array(s.unicodeScalars)
        let r = Array(replacement.unicodeScalars)
        switch mode {
        case .prefix:
            guard let end = try prefixEnd(text, from: 0, longest: true, budget: &budget) else { return s }
            return String(String.UnicodeScalarView(substitute(r, match: text[..<end]) + text[end...]))
        case .suffix:
            guard let start = try suffixStart(text, longest: true, budget: &budget) else { return s }
            return String(String.UnicodeScalarView(text[..<start] + substitute(r, match: text[start...])))
        case .first, .all:
            var out: [Unicode.Scalar] = []
            var i = 0
            var replaced = false
            while i < text.count {
                if !(replaced && mode == .first), let end = try longestMatch(text, from: i, budget: &budget), end > i {
                    let piece = substitute(r, match: text[i..<end])
                    try budget.spend(piece.count)
                    out += piece
                    i = end
                    replaced = true
                } else {
                    out.append(text[i])
                    i += 1
                }
                if out.count > ShellBudget.valueLimit { return nil }
            }
            return String(String.UnicodeScalarView(out))
        }
    }

    private func longestMatch(_ text: [Unicode.Scalar], from start: Int,
                              budget: inout ShellBudget) throws(ShellBudget.Exhausted) -> Int? {
        if let literal {
            let l = Array(literal.unicodeScalars)
            guard start + l.count <= text.count, text[start..<(start + l.count)].elementsEqual(l) else { return nil }
            return start + l.count
        }
        return try prefixEnd(text, from: start, longest: true, budget: &budget)
    }

    /// Stands for the matched text in a replacement (bash 5.2's `&`); a private-use
    /// character no PKGBUILD contains.
    static let matchPlaceholder = "\u{F8FF}"

    /// The replacement for one match: `matchPlaceholder` becomes the matched text.
    func substitute(_ replacement: [Unicode.Scalar], match: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        guard replacement.contains("\u{F8FF}") else { return replacement }
        var out: [Unicode.Scalar] = []
        for c in replacement { if c == "\u{F8FF}" { out += match } else { out.append(c) } }
        return out
    }

    /// Escapes `text` so that, as a pattern, it matches itself.
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            if c == "*" || c == "?" || c == "[" || c == "]" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return String(out)
    }
}

private extension Unicode.GeneralCategory {
    var isPunctuationOrSymbol: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default: return false
        }
    }
}
