/// bash arithmetic (`$(( ))`, `(( ))`, `let`, array indices) on 64-bit integers with
/// wrapping, C precedence, short-circuit `&&`/`||`/`?:`, assignments and `++`/`--`.
struct ShellArithmetic {
    struct Failure: Error { var message: String }

    let s: [UInt8]
    var i = 0
    /// Whether side effects happen: false on the side of `&&`/`||`/`?:` not taken.
    var live = true
    var depth = 0

    init(_ expression: String) { s = Array(expression.utf8) }

    mutating func evaluate(using shell: inout ShellInterpreter) throws -> Int {
        skip()
        if i >= s.count { return 0 }
        let v = try comma(&shell)
        skip()
        if i < s.count { throw Failure(message: "syntax error: unexpected '\(String(decoding: s[i...], as: UTF8.self))'") }
        return v
    }

    mutating func skip() { while i < s.count, s[i] == 32 || s[i] == 9 || s[i] == 10 || s[i] == 13 { i += 1 } }

    mutating func take(_ op: String) -> Bool {
        skip()
        let b = Array(op.utf8)
        guard i + b.count <= s.count, s[i..<(i + b.count)].elementsEqual(b) else { return false }
        i += b.count
        return true
    }

    /// Takes `op` only when it is not the start of a longer operator (`<` vs `<<`, `<=`).
    mutating func takeExact(_ op: String, notFollowedBy: String) -> Bool {
        skip()
        let b = Array(op.utf8)
        guard i + b.count <= s.count, s[i..<(i + b.count)].elementsEqual(b) else { return false }
        if i + b.count < s.count, notFollowedBy.utf8.contains(s[i + b.count]) { return false }
        i += b.count
        return true
    }

    mutating func comma(_ sh: inout ShellInterpreter) throws -> Int {
        var v = try assignment(&sh)
        while take(",") { v = try assignment(&sh) }
        return v
    }

    mutating func assignment(_ sh: inout ShellInterpreter) throws -> Int {
        skip()
        let save = i
        if let name = readName() {
            skip()
            for op in ["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|="] {
                let b = Array(op.utf8)
                if i + b.count <= s.count, s[i..<(i + b.count)].elementsEqual(b), !(op == "=" && i + 1 < s.count && s[i + 1] == UInt8(ascii: "=")) {
                    i += b.count
                    let rhs = try assignment(&sh)
                    let value = op == "=" ? rhs : try apply(String(op.dropLast()), try variable(name, &sh), rhs)
                    if live { sh.assignScalar(name, String(value)) }
                    return value
                }
            }
            i = save
        }
        return try conditional(&sh)
    }

    mutating func conditional(_ sh: inout ShellInterpreter) throws -> Int {
        let c = try binary(0, &sh)
        guard take("?") else { return c }
        let wasLive = live
        live = wasLive && c != 0
        let a = try assignment(&sh)
        guard take(":") else { throw Failure(message: "expected ':' in a conditional expression") }
        live = wasLive && c == 0
        let b = try assignment(&sh)
        live = wasLive
        return c != 0 ? a : b
    }

    static let levels: [[String]] = [["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<=", ">=", "<", ">"], ["<<", ">>"], ["+", "-"], ["*", "/", "%"]]

    mutating func binary(_ level: Int, _ sh: inout ShellInterpreter) throws -> Int {
        if level == Self.levels.count { return try power(&sh) }
        var v = try binary(level + 1, &sh)
        outer: while true {
            for op in Self.levels[level] {
                let matched: Bool
                switch op {
                case "|": matched = takeExact("|", notFollowedBy: "|=")
                case "&": matched = takeExact("&", notFollowedBy: "&=")
                case "^", "+", "-", "*", "/", "%": matched = takeExact(op, notFollowedBy: op == "*" ? "*=" : (op == "+" || op == "-" ? "=" + op : "="))
                case "<", ">": matched = takeExact(op, notFollowedBy: op + "=")
                case "<<", ">>": matched = takeExact(op, notFollowedBy: "=")
                default: matched = take(op)
                }
                guard matched else { continue }
                if op == "&&" || op == "||" {
                    let wasLive = live
                    if (op == "&&") == (v == 0) { live = false }
                    let r = try binary(level + 1, &sh)
                    live = wasLive
                    v = op == "&&" ? (v != 0 && r != 0 ? 1 : 0) : (v != 0 || r != 0 ? 1 : 0)
                } else {
                    v = try apply(op, v, try binary(level + 1, &sh))
                }
                continue outer
            }
            return v
        }
    }

    mutating func power(_ sh: inout ShellInterpreter) throws -> Int {
        let base = try unary(&sh)
        guard take("**") else { return base }
        let exponent = try power(&sh)
        guard exponent >= 0 else { throw Failure(message: "exponent less than 0") }
        var result = 1
        for _ in 0..<min(exponent, 64) { result = result &* base }
        if exponent > 64 { for _ in 64..<min(exponent, 10_000) { result = result &* base } }
        return result
    }

    func apply(_ op: String, _ a: Int, _ b: Int) throws -> Int {
        switch op {
        case "+": return a &+ b
        case "-": return a &- b
        case "*": return a &* b
        case "/", "%":
            guard b != 0 else { throw Failure(message: "division by 0") }
            if a == Int.min && b == -1 { return op == "/" ? Int.min : 0 }
            return op == "/" ? a / b : a % b
        case "<<": return a << (b & 63)
        case ">>": return a >> (b & 63)
        case "&": return a & b
        case "|": return a | b
        case "^": return a ^ b
        case "==": return a == b ? 1 : 0
        case "!=": return a != b ? 1 : 0
        case "<": return a < b ? 1 : 0
        case "<=": return a <= b ? 1 : 0
        case ">": return a > b ? 1 : 0
        case ">=": return a >= b ? 1 : 0
        default: throw Failure(message: "unknown operator '\(op)'")
        }
    }

    mutating func unary(_ sh: inout ShellInterpreter) throws -> Int {
        depth += 1
        defer { depth -= 1 }
        if depth > 200 { throw Failure(message: "expression nested too deeply") }
        skip()
        if take("++") || take("--") {
            let op = s[i - 1] == UInt8(ascii: "+") ? 1 : -1
            skip()
            guard let name = readName() else { throw Failure(message: "'++'/'--' needs a variable") }
            let v = try variable(name, &sh) &+ op
            if live { sh.assignScalar(name, String(v)) }
            return v
        }
        if take("!") { return try unary(&sh) == 0 ? 1 : 0 }
        if take("~") { return ~(try unary(&sh)) }
        if take("-") { return 0 &- (try unary(&sh)) }
        if take("+") { return try unary(&sh) }
        return try postfix(&sh)
    }

    mutating func postfix(_ sh: inout ShellInterpreter) throws -> Int {
        skip()
        guard i < s.count else { throw Failure(message: "operand expected") }
        if s[i] == UInt8(ascii: "(") {
            i += 1
            let v = try comma(&sh)
            guard take(")") else { throw Failure(message: "expected ')'") }
            return v
        }
        if isASCIIDigit(s[i]) { return try number() }
        if let name = readName() {
            skip()
            if i < s.count, s[i] == UInt8(ascii: "[") { throw Failure(message: "array elements in arithmetic are not supported") }
            let v = try variable(name, &sh)
            if take("++") { if live { sh.assignScalar(name, String(v &+ 1)) }; return v }
            if take("--") { if live { sh.assignScalar(name, String(v &- 1)) }; return v }
            return v
        }
        throw Failure(message: "operand expected")
    }

    mutating func readName() -> String? {
        guard i < s.count, isNameStart(s[i]) else { return nil }
        let start = i
        while i < s.count, isNameByte(s[i]) { i += 1 }
        return String(decoding: s[start..<i], as: UTF8.self)
    }

    /// Decimal, `0x` hex, leading-zero octal, `base#digits`.
    mutating func number() throws -> Int {
        let start = i
        while i < s.count, isNameByte(s[i]) || s[i] == UInt8(ascii: "#") || s[i] == UInt8(ascii: "@") { i += 1 }
        let text = String(decoding: s[start..<i], as: UTF8.self)
        return try Self.parseNumber(text)
    }

    static func parseNumber(_ text: String) throws -> Int {
        let bad = Failure(message: "value too great for base (error token is \"\(text)\")")
        if let hash = text.firstIndex(of: "#") {
            guard let base = Int(text[..<hash]), (2...64).contains(base) else { throw Failure(message: "invalid arithmetic base in '\(text)'") }
            var value = 0
            let digits = text[text.index(after: hash)...]
            if digits.isEmpty { throw bad }
            for c in digits.unicodeScalars {
                let d: Int
                switch c {
                case "0"..."9": d = Int(c.value - 48)
                case "a"..."z": d = Int(c.value - 97) + 10
                case "A"..."Z": d = base <= 36 ? Int(c.value - 65) + 10 : Int(c.value - 65) + 36
                case "@": d = 62
                case "_": d = 63
                default: throw bad
                }
                guard d < base else { throw bad }
                value = value &* base &+ d
            }
            return value
        }
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            guard let v = UInt64(text.dropFirst(2), radix: 16) else { throw bad }
            return Int(bitPattern: UInt(v))
        }
        if text.hasPrefix("0"), text.count > 1 {
            guard let v = UInt64(text.dropFirst(), radix: 8) else { throw bad }
            return Int(bitPattern: UInt(v))
        }
        guard let v = UInt64(text) else { throw bad }
        return Int(bitPattern: UInt(v))
    }

    /// A variable's value, itself evaluated as an expression (empty or unset is 0).
    mutating func variable(_ name: String, _ sh: inout ShellInterpreter) throws -> Int {
        guard let text = sh.scalarValue(name), !text.allSatisfy({ $0 == " " || $0 == "\t" }) else { return 0 }
        if let v = Int(text) { return v }
        depth += 1
        defer { depth -= 1 }
        if depth > 200 { throw Failure(message: "expression recursion level exceeded") }
        var inner = ShellArithmetic(text)
        inner.depth = depth
        inner.live = live
        return try inner.evaluate(using: &sh)
    }
}
