/// coreutils' `expr`: `| & < <= = == != >= > + - * / % :`, `match`, `substr`, `index`,
/// `length`, `+ TOKEN` and parentheses; integers of any size in coreutils, here those of
/// 64 bits (an overflow is unsupported). `length`, `substr`, `index` and `:` count
/// characters, as coreutils 9.1 does in a UTF-8 locale; `:` is a basic regular expression
/// anchored at the start.
enum Expr {
    enum Value {
        case integer(Int)
        case string(String)

        var text: String {
            switch self {
            case .integer(let i): return String(i)
            case .string(let s): return s
            }
        }

        /// coreutils' `null`: 0, "", or a string of zeros with an optional `-`.
        var isNull: Bool {
            switch self {
            case .integer(let i): return i == 0
            case .string(let s):
                if s.isEmpty { return true }
                var rest = Substring(s)
                if rest.first == "-" { rest = rest.dropFirst() }
                return !rest.isEmpty && rest.allSatisfy { $0 == "0" }
            }
        }

        enum IntegerForm { case notInteger, tooLarge, value(Int) }

        /// The integer a value stands for: `-?[0-9]+`.
        var integer: IntegerForm {
            switch self {
            case .integer(let i): return .value(i)
            case .string(let s):
                var rest = Substring(s)
                let negative = rest.first == "-"
                if negative { rest = rest.dropFirst() }
                guard !rest.isEmpty, rest.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return .notInteger }
                guard let v = Int(rest) else { return .tooLarge }
                return .value(negative ? -v : v)
            }
        }
    }

    enum Failure: Error {
        case syntax(String)
        case error(String)
        case unsupported(String)
        case budget(ShellBudget.Exhausted)
    }

    static func run(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        var args = call.arguments[...]
        if args.first == "--help" || args.first == "--version" { throw call.unsupported(args.first!) }
        if args.first == "--" { args = args.dropFirst() }
        guard !args.isEmpty else { return .failure(2, "expr: missing operand") }
        var parser = Parser(args: Array(args), budget: call.budget)
        defer { call.budget = parser.budget }
        do throws(Failure) {
            let v = try parser.or(evaluate: true)
            guard parser.i == parser.args.count else { throw Failure.syntax("syntax error: unexpected argument '\(parser.args[parser.i])'") }
            return TextOutput(bytes: Array((v.text + "\n").utf8), status: v.isNull ? 1 : 0)
        } catch {
            switch error {
            case .syntax(let m): return .failure(2, "expr: \(m)")
            case .error(let m): return .failure(2, "expr: \(m)")
            case .unsupported(let m): throw .unsupported("expr: \(m)")
            case .budget(let b): throw .budget(b)
            }
        }
    }

    struct Parser {
        let args: [String]
        var budget: ShellBudget
        var i = 0

        init(args: [String], budget: ShellBudget) {
            self.args = args
            self.budget = budget
        }

        mutating func next(_ token: String) -> Bool {
            if i < args.count, args[i] == token { i += 1; return true }
            return false
        }

        mutating func or(evaluate: Bool) throws(Failure) -> Value {
            var l = try and(evaluate: evaluate)
            while next("|") {
                let r = try and(evaluate: evaluate && l.isNull)
                if l.isNull { l = r.isNull ? .integer(0) : r }
            }
            return l
        }

        mutating func and(evaluate: Bool) throws(Failure) -> Value {
            var l = try comparison(evaluate: evaluate)
            while next("&") {
                let r = try comparison(evaluate: evaluate && !l.isNull)
                if l.isNull || r.isNull { l = .integer(0) }
            }
            return l
        }

        mutating func comparison(evaluate: Bool) throws(Failure) -> Value {
            var l = try additive(evaluate: evaluate)
            while i < args.count, ["<", "<=", "=", "==", "!=", ">=", ">"].contains(args[i]) {
                let op = args[i]
                i += 1
                let r = try additive(evaluate: evaluate)
                guard evaluate else { continue }
                let c: Int
                switch (l.integer, r.integer) {
                case (.value(let x), .value(let y)):
                    c = x < y ? -1 : (x == y ? 0 : 1)
                case (.notInteger, _), (_, .notInteger):
                    c = Sort.lexicographic(Array(l.text.utf8)[...], Array(r.text.utf8)[...])
                default:
                    throw .unsupported("an integer over 64 bits")
                }
                let result: Bool
                switch op {
                case "<": result = c < 0
                case "<=": result = c <= 0
                case "=", "==": result = c == 0
                case "!=": result = c != 0
                case ">=": result = c >= 0
                default: result = c > 0
                }
                l = .integer(result ? 1 : 0)
            }
            return l
        }

        func integers(_ l: Value, _ r: Value) throws(Failure) -> (Int, Int) {
            switch (l.integer, r.integer) {
            case (.value(let x), .value(let y)): return (x, y)
            case (.notInteger, _), (_, .notInteger): throw .error("non-integer argument")
            default: throw .unsupported("an integer over 64 bits")
            }
        }

        mutating func additive(evaluate: Bool) throws(Failure) -> Value {
            var l = try multiplicative(evaluate: evaluate)
            while i < args.count, args[i] == "+" || args[i] == "-" {
                let op = args[i]
                i += 1
                let r = try multiplicative(evaluate: evaluate)
                guard evaluate else { continue }
                let (x, y) = try integers(l, r)
                let (v, overflow) = op == "+" ? x.addingReportingOverflow(y) : x.subtractingReportingOverflow(y)
                if overflow { throw .unsupported("an integer over 64 bits") }
                l = .integer(v)
            }
            return l
        }

        mutating func multiplicative(evaluate: Bool) throws(Failure) -> Value {
            var l = try match(evaluate: evaluate)
            while i < args.count, args[i] == "*" || args[i] == "/" || args[i] == "%" {
                let op = args[i]
                i += 1
                let r = try match(evaluate: evaluate)
                guard evaluate else { continue }
                let (x, y) = try integers(l, r)
                if op != "*", y == 0 { throw .error("division by zero") }
                let (v, overflow) = op == "*" ? x.multipliedReportingOverflow(by: y)
                    : op == "/" ? x.dividedReportingOverflow(by: y) : x.remainderReportingOverflow(dividingBy: y)
                if overflow { throw .unsupported("an integer over 64 bits") }
                l = .integer(v)
            }
            return l
        }

        mutating func match(evaluate: Bool) throws(Failure) -> Value {
            var l = try unary(evaluate: evaluate)
            while next(":") {
                let r = try unary(evaluate: evaluate)
                if evaluate { l = try regexMatch(l.text, r.text) }
            }
            return l
        }

        mutating func regexMatch(_ string: String, _ pattern: String) throws(Failure) -> Value {
            let p = Array(pattern.unicodeScalars)
            for (k, c) in p.enumerated() where c == "\\" && k + 1 < p.count && "ntafvr{".unicodeScalars.contains(p[k + 1]) {
                throw .unsupported("the escape \\\(p[k + 1]) in a regular expression")
            }
            let regex: SedRegex
            do {
                regex = try SedRegex(["^"] + p, extended: false, ignoreCase: false)
            } catch {
                throw .unsupported("the regular expression '\(pattern)'")
            }
            let text = Array(string.unicodeScalars)
            let m: [Range<Int>?]?
            do { m = try regex.match(text, from: 0, budget: &budget) } catch { throw .budget(error) }
            if regex.regex.groupCount > 0 {
                guard let m, let g = m[1] else { return .string("") }
                return .string(String(String.UnicodeScalarView(text[g])))
            }
            guard let m, let whole = m[0] else { return .integer(0) }
            return .integer(whole.count)
        }

        /// Nested parentheses and prefix operators: the parser recurses on them.
        var depth = 0

        mutating func unary(evaluate: Bool) throws(Failure) -> Value {
            do { try budget.spend(1) } catch { throw .budget(error) }
            depth += 1
            defer { depth -= 1 }
            if depth > 500 { throw .unsupported("an expression nested over 500 deep") }
            if i < args.count {
                switch args[i] {
                case "+":
                    i += 1
                    guard i < args.count else { throw .syntax("syntax error: missing argument after '+'") }
                    i += 1
                    return .string(args[i - 1])
                case "length":
                    i += 1
                    let v = try unary(evaluate: evaluate)
                    return .integer(v.text.unicodeScalars.count)
                case "match":
                    i += 1
                    let s = try unary(evaluate: evaluate)
                    let p = try unary(evaluate: evaluate)
                    return evaluate ? try regexMatch(s.text, p.text) : .integer(0)
                case "index":
                    i += 1
                    let s = Array(try unary(evaluate: evaluate).text.unicodeScalars)
                    let chars = Set(try unary(evaluate: evaluate).text.unicodeScalars)
                    return .integer(s.firstIndex(where: chars.contains).map { $0 + 1 } ?? 0)
                case "substr":
                    i += 1
                    let s = Array(try unary(evaluate: evaluate).text.unicodeScalars)
                    let p = try unary(evaluate: evaluate), n = try unary(evaluate: evaluate)
                    guard case .value(let pos) = p.integer, case .value(let len) = n.integer,
                          pos > 0, pos <= s.count, len > 0 else { return .string("") }
                    return .string(String(String.UnicodeScalarView(s[(pos - 1)..<(pos - 1 + min(len, s.count - pos + 1))])))
                default: break
                }
            }
            return try primary(evaluate: evaluate)
        }

        mutating func primary(evaluate: Bool) throws(Failure) -> Value {
            guard i < args.count else {
                throw .syntax(i == 0 ? "syntax error: missing argument" : "syntax error: missing argument after '\(args[i - 1])'")
            }
            if next("(") {
                let v = try or(evaluate: evaluate)
                guard i < args.count else { throw .syntax("syntax error: expecting ')' after '\(args[i - 1])'") }
                guard next(")") else { throw .syntax("syntax error: expecting ')' instead of '\(args[i])'") }
                return v
            }
            if args[i] == ")" { throw .syntax("syntax error: unexpected ')'") }
            i += 1
            return .string(args[i - 1])
        }
    }
}
