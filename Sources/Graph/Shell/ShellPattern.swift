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

    /// Whether the whole of `s` matches.
    func matches(_ s: String) -> Bool {
        if let literal { return literal == s }
        let text = Array(s.unicodeScalars)
        return matchLength(text, from: 0, to: text.count)
    }

    func matches(_ text: [Unicode.Scalar], _ from: Int, _ to: Int) -> Bool {
        matchLength(text, from: from, to: to)
    }

    /// Iterative glob matching with single-star backtracking: linear in practice.
    private func matchLength(_ text: [Unicode.Scalar], from: Int, to: Int) -> Bool {
        var t = from, p = 0
        var starP = -1, starT = 0
        while t < to {
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

    /// `${v#p}` (shortest) and `${v##p}` (longest).
    func removePrefix(of s: String, longest: Bool) -> String {
        if let literal { return s.hasPrefix(literal) && !literal.isEmpty ? String(s.unicodeScalars.dropFirst(literal.unicodeScalars.count)) : s }
        let text = Array(s.unicodeScalars)
        let ends = longest ? Array((0...text.count).reversed()) : Array(0...text.count)
        for end in ends where matches(text, 0, end) {
            return String(String.UnicodeScalarView(text[end...]))
        }
        return s
    }

    /// `${v%p}` (shortest) and `${v%%p}` (longest).
    func removeSuffix(of s: String, longest: Bool) -> String {
        if let literal { return s.hasSuffix(literal) && !literal.isEmpty ? String(s.unicodeScalars.dropLast(literal.unicodeScalars.count)) : s }
        let text = Array(s.unicodeScalars)
        let starts = longest ? Array(0...text.count) : Array((0...text.count).reversed())
        for start in starts where matches(text, start, text.count) {
            return String(String.UnicodeScalarView(text[..<start]))
        }
        return s
    }

    /// `${v/p/r}`, `${v//p/r}`, `${v/#p/r}`, `${v/%p/r}`: leftmost, longest matches.
    func replace(in s: String, with replacement: String, mode: ParameterExpansion.ReplaceMode) -> String {
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
            for end in (0...text.count).reversed() where matches(text, 0, end) {
                return String(String.UnicodeScalarView(substitute(r, match: text[..<end]) + text[end...]))
            }
            return s
        case .suffix:
            for start in 0...text.count where matches(text, start, text.count) {
                return String(String.UnicodeScalarView(text[..<start] + substitute(r, match: text[start...])))
            }
            return s
        case .first, .all:
            var out: [Unicode.Scalar] = []
            var i = 0
            var replaced = false
            while i < text.count {
                if !(replaced && mode == .first), let end = longestMatch(text, from: i), end > i {
                    out += substitute(r, match: text[i..<end])
                    i = end
                    replaced = true
                } else {
                    out.append(text[i])
                    i += 1
                }
            }
            return String(String.UnicodeScalarView(out))
        }
    }

    private func longestMatch(_ text: [Unicode.Scalar], from start: Int) -> Int? {
        if let literal {
            let l = Array(literal.unicodeScalars)
            guard start + l.count <= text.count, text[start..<(start + l.count)].elementsEqual(l) else { return nil }
            return start + l.count
        }
        var end = text.count
        while end > start {
            if matches(text, start, end) { return end }
            end -= 1
        }
        return nil
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
