/// bash arithmetic (`$(( ))`, `(( ))`, `let`, array indices) on 64-bit integers with
/// wrapping, C precedence, short-circuit `&&`/`||`/`?:`, assignments and `++`/`--`.
///
/// Evaluation pays the PKGBUILD's ``ShellBudget``: each operand one unit, each byte of
/// text read one unit. A variable's value is itself an expression, so `a=b+b; b=c+c; ...`
/// evaluates 2^n operands for n variables: the budget, not the nesting limit, bounds it.
struct ShellArithmetic {
    struct Failure: Error { var message: String }

    let s: [UInt8]
    var i = 0
    /// Whether side effects happen: false on the side of `&&`/`||`/`?:` not taken.
    var live = true
    var depth = 0
    /// Where the expression stands in the PKGBUILD, for a budget diagnostic.
    let offset: Int

    init(_ expression: String, offset: Int = 0) {
        s = Array(expression.utf8)
        self.offset = offset
    }

    mutating func evaluate(using shell: inout ShellInterpreter) throws -> Int {
        try pay(1 + s.count, &shell)
        skip()
        if i >= s.count { return 0 }
        let v = try comma(&shell)
        skip()
        if i < s.count { throw Failure(message: "syntax error: unexpected '\(String(decoding: s[i...], as: UTF8.self))'") }
        return v
    }

    func pay(_ units: Int, _ sh: inout ShellInterpreter) throws {
        try sh.pay(units, for: "the arithmetic expression '\(ShellDiagnostic.excerpt(String(decoding: s, as: UTF8.self)))'", at: offset)
    }

    mutating func skip() { while i < s.count, s[i] == 32 || s[i] == 9 || s[i] == 10 || s[i] == 13 { i += 1 } }

    /// The byte `k` places ahead, 0 past the end.
    func byte(_ k: Int = 0) -> UInt8 { i + k < s.count ? s[i + k] : 0 }

    /// Takes the operator `op` after blanks.
    mutating func take(_ op: StaticString) -> Bool {
        skip()
        let n = op.utf8CodeUnitCount
        guard i + n <= s.count else { return false }
        for k in 0..<n where s[i + k] != op.utf8Start[k] { return false }
        i += n
        return true
    }

    mutating func comma(_ sh: inout ShellInterpreter) throws -> Int {
        var v = try assignment(&sh)
        while take(",") { v = try assignment(&sh) }
        return v
    }

    /// `=` and the compound assignments: the operator, or nil for `=`; its length.
    func assignmentOperator() -> (op: BinaryOperator?, length: Int)? {
        let a = byte(), b = byte(1), c = byte(2)
        let eq = UInt8(ascii: "=")
        if a == eq { return b == eq ? nil : (nil, 1) }
        if (a == UInt8(ascii: "<") || a == UInt8(ascii: ">")) && b == a && c == eq {
            return (a == UInt8(ascii: "<") ? .shiftLeft : .shiftRight, 3)
        }
        guard b == eq else { return nil }
        switch a {
        case UInt8(ascii: "+"): return (.add, 2)
        case UInt8(ascii: "-"): return (.subtract, 2)
        case UInt8(ascii: "*"): return (.multiply, 2)
        case UInt8(ascii: "/"): return (.divide, 2)
        case UInt8(ascii: "%"): return (.remainder, 2)
        case UInt8(ascii: "&"): return (.bitAnd, 2)
        case UInt8(ascii: "^"): return (.bitXor, 2)
        case UInt8(ascii: "|"): return (.bitOr, 2)
        default: return nil
        }
    }

    mutating func assignment(_ sh: inout ShellInterpreter) throws -> Int {
        skip()
        let save = i
        if let name = readName() {
            skip()
            if let (op, length) = assignmentOperator() {
                i += length
                let rhs = try assignment(&sh)
                let value = try op.map { try apply($0, try variable(name, &sh), rhs) } ?? rhs
                if live { sh.assignScalar(name, String(value)) }
                return value
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

    /// The binary operators, by C precedence (`level`: higher binds tighter).
    enum BinaryOperator {
        case or, and, bitOr, bitXor, bitAnd, equal, notEqual, lessEqual, greaterEqual, less, greater
        case shiftLeft, shiftRight, add, subtract, multiply, divide, remainder

        var level: Int {
            switch self {
            case .or: 0
            case .and: 1
            case .bitOr: 2
            case .bitXor: 3
            case .bitAnd: 4
            case .equal, .notEqual: 5
            case .lessEqual, .greaterEqual, .less, .greater: 6
            case .shiftLeft, .shiftRight: 7
            case .add, .subtract: 8
            case .multiply, .divide, .remainder: 9
            }
        }
    }

    /// The binary operator after blanks, and its length; nil where there is none (an
    /// assignment operator, `**`, `++`, the end).
    mutating func binaryOperator() -> (op: BinaryOperator, length: Int)? {
        skip()
        let a = byte(), b = byte(1)
        let eq = UInt8(ascii: "=")
        switch a {
        case UInt8(ascii: "|"): return b == a ? (.or, 2) : b == eq ? nil : (.bitOr, 1)
        case UInt8(ascii: "&"): return b == a ? (.and, 2) : b == eq ? nil : (.bitAnd, 1)
        case UInt8(ascii: "^"): return b == eq ? nil : (.bitXor, 1)
        case UInt8(ascii: "="): return b == eq ? (.equal, 2) : nil
        case UInt8(ascii: "!"): return b == eq ? (.notEqual, 2) : nil
        case UInt8(ascii: "<"), UInt8(ascii: ">"):
            let less = a == UInt8(ascii: "<")
            if b == eq { return (less ? .lessEqual : .greaterEqual, 2) }
            if b == a { return byte(2) == eq ? nil : (less ? .shiftLeft : .shiftRight, 2) }
            return (less ? .less : .greater, 1)
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return b == eq || b == a ? nil : (a == UInt8(ascii: "+") ? .add : .subtract, 1)
        case UInt8(ascii: "*"): return b == eq || b == a ? nil : (.multiply, 1)
        case UInt8(ascii: "/"): return b == eq ? nil : (.divide, 1)
        case UInt8(ascii: "%"): return b == eq ? nil : (.remainder, 1)
        default: return nil
        }
    }

    /// The operators of `level` and above, left to right (precedence climbing).
    mutating func binary(_ level: Int, _ sh: inout ShellInterpreter) throws -> Int {
        var v = try power(&sh)
        while let (op, length) = binaryOperator(), op.level >= level {
            i += length
            if op == .and || op == .or {
                let wasLive = live
                if (op == .and) == (v == 0) { live = false }
                let r = try binary(op.level + 1, &sh)
                live = wasLive
                v = op == .and ? (v != 0 && r != 0 ? 1 : 0) : (v != 0 || r != 0 ? 1 : 0)
            } else {
                v = try apply(op, v, try binary(op.level + 1, &sh))
            }
        }
        return v
    }

    mutating func power(_ sh: inout ShellInterpreter) throws -> Int {
        let base = try unary(&sh)
        guard take("**") else { return base }
        let exponent = try power(&sh)
        guard exponent >= 0 else { throw Failure(message: "exponent less than 0") }
        try pay(min(exponent, 10_000) / 64, &sh)
        var result = 1
        for _ in 0..<min(exponent, 64) { result = result &* base }
        if exponent > 64 { for _ in 64..<min(exponent, 10_000) { result = result &* base } }
        return result
    }

    func apply(_ op: BinaryOperator, _ a: Int, _ b: Int) throws -> Int {
        switch op {
        case .add: return a &+ b
        case .subtract: return a &- b
        case .multiply: return a &* b
        case .divide, .remainder:
            guard b != 0 else { throw Failure(message: "division by 0") }
            if a == Int.min && b == -1 { return op == .divide ? Int.min : 0 }
            return op == .divide ? a / b : a % b
        case .shiftLeft: return a << (b & 63)
        case .shiftRight: return a >> (b & 63)
        case .bitAnd: return a & b
        case .bitOr: return a | b
        case .bitXor: return a ^ b
        case .equal: return a == b ? 1 : 0
        case .notEqual: return a != b ? 1 : 0
        case .less: return a < b ? 1 : 0
        case .lessEqual: return a <= b ? 1 : 0
        case .greater: return a > b ? 1 : 0
        case .greaterEqual: return a >= b ? 1 : 0
        case .and, .or: return 0  // short-circuit: evaluated in `binary`
        }
    }

    mutating func unary(_ sh: inout ShellInterpreter) throws -> Int {
        depth += 1
        defer { depth -= 1 }
        if depth > 200 { throw Failure(message: "expression nested too deeply") }
        try pay(1, &sh)
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
        sh.noteRead(name)
        guard let text = sh.scalarValue(name), !text.allSatisfy({ $0 == " " || $0 == "\t" }) else { return 0 }
        if let v = Int(text) { return v }
        depth += 1
        defer { depth -= 1 }
        if depth > 200 { throw Failure(message: "expression recursion level exceeded") }
        var inner = ShellArithmetic(text, offset: offset)
        inner.depth = depth
        inner.live = live
        return try inner.evaluate(using: &sh)
    }
}
