/// bash's `[[ text =~ regex ]]`: a POSIX extended regular expression as glibc's
/// `regcomp(REG_EXTENDED)` reads it, matched without backtracking.
///
/// The expression is compiled to a program for a Pike VM (Thompson's construction with
/// capture slots): every thread advances one character at a time, at most one thread per
/// instruction, so a match costs O(n·m) steps for n characters and m instructions
/// whatever the expression (`(a|aa)*(a|aa)*b` included), each step paid from the
/// PKGBUILD's ``ShellBudget``.
///
/// Semantics are POSIX's leftmost-longest for the whole match, as glibc's: the earliest
/// start, and from it the longest match. Among several longest matches the groups are
/// those a backtracking matcher would have found first (greedy repetitions, earlier
/// alternatives preferred), which is what glibc reports in the cases we compared
/// (`BashDifferentialTests`), though strict POSIX asks for the longest first group.
///
/// Syntax is glibc's: `|`, `( )`, `* + ? {m} {m,} {m,n} {,n}` (at most 32767),
/// `^ $ .`, bracket expressions with ranges, `[:class:]`, `[=x=]`, `[.x.]`, and the GNU
/// escapes `\w \W \s \S \b \B \< \> \` \'`; any other escaped character is itself.
/// A pattern glibc rejects is ``Failure/invalid`` (bash's status 2, a false test); a
/// back-reference (`\1`) or a multi-character collating element, which a finite
/// automaton cannot or we do not evaluate, is ``Failure/unsupported``.
struct ShellRegex {
    enum Failure: Error, Equatable {
        /// glibc's regcomp refuses the pattern: the test is false (status 2).
        case invalid(String)
        /// Valid, but not something this matcher evaluates: the makepkg fallback must.
        case unsupported(String)
        /// The compiled program would exceed ``instructionLimit``.
        case tooLarge
    }

    /// The most instructions a program may have (`(a{1000}){1000}` has a million).
    static let instructionLimit = 100_000
    /// glibc's RE_DUP_MAX.
    static let repetitionLimit = 32767

    enum Assertion {
        case begin, end, wordBoundary, notWordBoundary, wordStart, wordEnd
    }

    indirect enum Node {
        case empty
        case scalar(Unicode.Scalar)
        case any
        case set(ShellPattern.BracketSet)
        case assertion(Assertion)
        case group(Node, index: Int)
        case concat([Node])
        case alternate([Node])
        case repetition(Node, min: Int, max: Int?)
    }

    enum Instruction {
        case scalar(Unicode.Scalar)
        case any
        case set(ShellPattern.BracketSet)
        case assertion(Assertion)
        /// Continue at both; the first is preferred.
        case split(Int, Int)
        case jump(Int)
        case save(Int)
        case match
    }

    let program: [Instruction]
    /// Parenthesized groups (BASH_REMATCH has one more element: the whole match).
    let groupCount: Int

    init(_ pattern: String) throws(Failure) {
        var parser = Parser(Array(pattern.unicodeScalars))
        let node = try parser.parse()
        groupCount = parser.groups
        var compiler = Compiler()
        compiler.emit(.save(0))
        try compiler.compile(node)
        compiler.emit(.save(1))
        compiler.emit(.match)
        program = compiler.program
    }

    // MARK: matching

    /// The leftmost-longest match in `text`: for the whole match and each group, its
    /// range of Unicode scalars, nil for a group that took no part; nil when none.
    func firstMatch(in text: [Unicode.Scalar], budget: inout ShellBudget) throws(ShellBudget.Exhausted) -> [Range<Int>?]? {
        try budget.spend(program.count)
        var current = ThreadList(size: program.count)
        var next = ThreadList(size: program.count)
        var best: [Int]?
        let fresh = [Int](repeating: -1, count: 2 * (groupCount + 1))
        var pos = 0
        while true {
            if best == nil { try add(&current, 0, fresh, at: pos, in: text, budget: &budget) }
            // no thread left: done once a match is known; else the next start may match
            if current.threads.isEmpty, best != nil { break }
            next.clear()
            for thread in current.threads {
                try budget.spend()
                // a thread that started after the match found cannot be leftmost
                if let best, thread.slots[0] > best[0] { continue }
                switch program[thread.pc] {
                case .match:
                    // leftmost first, then longest; among equals the preferred thread, first here
                    let start = thread.slots[0]
                    if let known = best, start > known[0] || (start == known[0] && pos <= known[1]) { break }
                    best = thread.slots
                case .scalar(let c):
                    if pos < text.count, text[pos] == c { try add(&next, thread.pc + 1, thread.slots, at: pos + 1, in: text, budget: &budget) }
                case .any:
                    if pos < text.count { try add(&next, thread.pc + 1, thread.slots, at: pos + 1, in: text, budget: &budget) }
                case .set(let set):
                    if pos < text.count, set.contains(text[pos]) { try add(&next, thread.pc + 1, thread.slots, at: pos + 1, in: text, budget: &budget) }
                default:
                    break  // control instructions never stand in a list
                }
            }
            swap(&current, &next)
            if pos == text.count { break }
            pos += 1
        }
        guard let best else { return nil }
        return (0...groupCount).map { g in
            let (start, end) = (best[2 * g], best[2 * g + 1])
            return start >= 0 && end >= start ? start..<end : nil
        }
    }

    struct Thread {
        var pc: Int
        var slots: [Int]
    }

    /// The threads of one position in priority order, at most one per instruction.
    struct ThreadList {
        var threads: [Thread] = []
        var mark: [Int]
        var generation = 1

        init(size: Int) { mark = [Int](repeating: 0, count: size) }

        mutating func clear() {
            threads.removeAll(keepingCapacity: true)
            generation += 1
        }

        /// Marks `pc` visited; false when it already was.
        mutating func visit(_ pc: Int) -> Bool {
            if mark[pc] == generation { return false }
            mark[pc] = generation
            return true
        }
    }

    /// Follows the control instructions from `pc` (depth first, preferred branch first,
    /// with an explicit stack) and adds the threads that wait for a character or match.
    func add(_ list: inout ThreadList, _ pc: Int, _ slots: [Int], at pos: Int, in text: [Unicode.Scalar],
             budget: inout ShellBudget) throws(ShellBudget.Exhausted) {
        var stack = [(pc, slots)]
        while let (pc, slots) = stack.popLast() {
            guard list.visit(pc) else { continue }
            try budget.spend()
            switch program[pc] {
            case .jump(let target):
                stack.append((target, slots))
            case .split(let preferred, let other):
                stack.append((other, slots))
                stack.append((preferred, slots))
            case .save(let slot):
                var s = slots
                s[slot] = pos
                stack.append((pc + 1, s))
            case .assertion(let a):
                if holds(a, at: pos, in: text) { stack.append((pc + 1, slots)) }
            default:
                list.threads.append(Thread(pc: pc, slots: slots))
            }
        }
    }

    func holds(_ assertion: Assertion, at pos: Int, in text: [Unicode.Scalar]) -> Bool {
        let before = pos > 0 && Self.isWord(text[pos - 1])
        let after = pos < text.count && Self.isWord(text[pos])
        switch assertion {
        case .begin: return pos == 0
        case .end: return pos == text.count
        case .wordBoundary: return before != after
        case .notWordBoundary: return before == after
        case .wordStart: return !before && after
        case .wordEnd: return before && !after
        }
    }

    static func isWord(_ c: Unicode.Scalar) -> Bool { ShellPattern.inClass("alnum", c) || c == "_" }

    // MARK: compiling

    struct Compiler {
        var program: [Instruction] = []

        mutating func emit(_ instruction: Instruction) { program.append(instruction) }

        mutating func check() throws(Failure) {
            if program.count > ShellRegex.instructionLimit { throw .tooLarge }
        }

        mutating func compile(_ node: Node) throws(Failure) {
            try check()
            switch node {
            case .empty: break
            case .scalar(let c): emit(.scalar(c))
            case .any: emit(.any)
            case .set(let set): emit(.set(set))
            case .assertion(let a): emit(.assertion(a))
            case .group(let inner, let index):
                emit(.save(2 * index))
                try compile(inner)
                emit(.save(2 * index + 1))
            case .concat(let nodes):
                for n in nodes { try compile(n) }
            case .alternate(let branches):
                var jumps: [Int] = []
                for (i, branch) in branches.enumerated() {
                    if i < branches.count - 1 {
                        let split = program.count
                        emit(.split(split + 1, -1))
                        try compile(branch)
                        jumps.append(program.count)
                        emit(.jump(-1))
                        program[split] = .split(split + 1, program.count)
                    } else {
                        try compile(branch)
                    }
                }
                for j in jumps { program[j] = .jump(program.count) }
            case .repetition(let inner, let min, let max):
                for _ in 0..<min { try compile(inner) }
                if let max {
                    var exits: [Int] = []
                    for _ in min..<max {
                        exits.append(program.count)
                        emit(.split(program.count + 1, -1))
                        try compile(inner)
                    }
                    for e in exits { program[e] = .split(e + 1, program.count) }
                } else {
                    let loop = program.count
                    emit(.split(loop + 1, -1))
                    try compile(inner)
                    emit(.jump(loop))
                    program[loop] = .split(loop + 1, program.count)
                }
            }
        }
    }

    // MARK: parsing

    struct Parser {
        let p: [Unicode.Scalar]
        var i = 0
        var groups = 0
        var depth = 0

        init(_ p: [Unicode.Scalar]) { self.p = p }

        mutating func parse() throws(Failure) -> Node {
            let node = try alternation()
            // an unmatched `)` is an ordinary character at the top level (alternation stops at it)
            guard i == p.count else { throw .invalid("unexpected '\(p[i])'") }
            return node
        }

        mutating func alternation() throws(Failure) -> Node {
            var branches = [try branch()]
            while i < p.count, p[i] == "|" {
                i += 1
                branches.append(try branch())
            }
            return branches.count == 1 ? branches[0] : .alternate(branches)
        }

        mutating func branch() throws(Failure) -> Node {
            var pieces: [Node] = []
            while i < p.count, p[i] != "|", !(p[i] == ")" && depth > 0) {
                var atom = try self.atom()
                var quantifiable = true
                if case .assertion = atom { quantifiable = false }
                while i < p.count, let bounds = try quantifier() {
                    guard quantifiable else { throw .invalid("a repetition follows an anchor") }
                    atom = .repetition(atom, min: bounds.min, max: bounds.max)
                }
                pieces.append(atom)
            }
            return pieces.count == 1 ? pieces[0] : pieces.isEmpty ? .empty : .concat(pieces)
        }

        /// `* + ? {m,n}` at `i`, consumed; nil when `i` holds something else.
        mutating func quantifier() throws(Failure) -> (min: Int, max: Int?)? {
            switch p[i] {
            case "*": i += 1; return (0, nil)
            case "+": i += 1; return (1, nil)
            case "?": i += 1; return (0, 1)
            case "{":
                i += 1
                let min = number()
                var max = min
                if i < p.count, p[i] == "," {
                    i += 1
                    max = number()
                    if max == nil, i < p.count, p[i] == "}" {
                        i += 1
                        guard (min ?? 0) <= ShellRegex.repetitionLimit else { throw .invalid("invalid interval") }
                        return (min ?? 0, nil)
                    }
                } else if min == nil {
                    throw .invalid("invalid interval")
                }
                guard i < p.count, p[i] == "}" else { throw .invalid("unterminated interval") }
                i += 1
                let low = min ?? 0
                guard let high = max, low <= high, high <= ShellRegex.repetitionLimit else {
                    throw .invalid("invalid interval")
                }
                return (low, high)
            default:
                return nil
            }
        }

        mutating func number() -> Int? {
            var value: Int?
            while i < p.count, let d = digit(p[i]) {
                value = min((value ?? 0) * 10 + d, ShellRegex.repetitionLimit + 1)
                i += 1
            }
            return value
        }

        func digit(_ c: Unicode.Scalar) -> Int? { c >= "0" && c <= "9" ? Int(c.value - 48) : nil }

        mutating func atom() throws(Failure) -> Node {
            let c = p[i]
            i += 1
            switch c {
            case "(":
                groups += 1
                let index = groups
                depth += 1
                let inner = try alternation()
                depth -= 1
                guard i < p.count, p[i] == ")" else { throw .invalid("unmatched '('") }
                i += 1
                return .group(inner, index: index)
            case "*", "+", "?", "{":
                throw .invalid("'\(c)' repeats nothing")
            case "^": return .assertion(.begin)
            case "$": return .assertion(.end)
            case ".": return .any
            case "[": return .set(try bracket())
            case "\\":
                guard i < p.count else { throw .invalid("trailing backslash") }
                let e = p[i]
                i += 1
                switch e {
                case "w", "W":
                    var set = ShellPattern.BracketSet()
                    set.classes = ["alnum"]
                    set.scalars = ["_"]
                    set.negated = e == "W"
                    return .set(set)
                case "s", "S":
                    var set = ShellPattern.BracketSet()
                    set.classes = ["space"]
                    set.negated = e == "S"
                    return .set(set)
                case "b": return .assertion(.wordBoundary)
                case "B": return .assertion(.notWordBoundary)
                case "<": return .assertion(.wordStart)
                case ">": return .assertion(.wordEnd)
                case "`": return .assertion(.begin)
                case "'": return .assertion(.end)
                case "1"..."9": throw .unsupported("a back-reference (\\\(e))")
                default: return .scalar(e)
                }
            default:
                return .scalar(c)
            }
        }

        static let classes: Set<String> = ["alpha", "upper", "lower", "digit", "xdigit", "space", "print", "punct",
                                           "graph", "cntrl", "blank", "alnum"]

        /// A bracket expression after its `[`.
        mutating func bracket() throws(Failure) -> ShellPattern.BracketSet {
            var set = ShellPattern.BracketSet()
            if i < p.count, p[i] == "^" { set.negated = true; i += 1 }
            var first = true
            while true {
                guard i < p.count else { throw .invalid("unterminated [") }
                if p[i] == "]", !first { i += 1; return set }
                first = false
                if p[i] == "[", i + 1 < p.count, p[i + 1] == ":" {
                    let name = try delimited(":")
                    guard Self.classes.contains(name) else { throw .invalid("invalid character class '\(name)'") }
                    set.classes.append(name)
                    if i < p.count, p[i] == "-", i + 1 < p.count, p[i + 1] != "]" { throw .invalid("invalid range end") }
                    continue
                }
                let low = try element()
                if i + 1 < p.count, p[i] == "-", p[i + 1] != "]" {
                    i += 1
                    if p[i] == "[", i + 1 < p.count, p[i + 1] == ":" { throw .invalid("invalid range end") }
                    let high = try element()
                    guard low.value <= high.value else { throw .invalid("invalid range end") }
                    set.ranges.append(low.value...high.value)
                    if i + 1 < p.count, p[i] == "-", p[i + 1] != "]" { throw .invalid("invalid range end") }
                    continue
                }
                set.scalars.append(low)
            }
        }

        /// One character of a bracket expression: itself, `[.x.]` or `[=x=]`.
        mutating func element() throws(Failure) -> Unicode.Scalar {
            if p[i] == "[", i + 1 < p.count, p[i + 1] == "." || p[i + 1] == "=" {
                let kind = p[i + 1]
                let name = try delimited(kind)
                let scalars = Array(name.unicodeScalars)
                guard scalars.count == 1 else {
                    throw .unsupported("the collating element [\(kind)\(name)\(kind)]")
                }
                return scalars[0]
            }
            let c = p[i]
            i += 1
            return c
        }

        /// The name in `[:name:]` (`[.name.]`, `[=name=]`) at `i`, consumed.
        mutating func delimited(_ kind: Unicode.Scalar) throws(Failure) -> String {
            var j = i + 2
            var name = String.UnicodeScalarView()
            while j + 1 < p.count, !(p[j] == kind && p[j + 1] == "]") {
                name.append(p[j])
                j += 1
            }
            guard j + 1 < p.count else { throw .invalid("unterminated [\(kind)") }
            i = j + 2
            return String(name)
        }
    }
}
