/// `[[ ... ]]`, `test` and `[`: string, pattern, regex and integer tests. File tests
/// would look at the build machine, not the sandbox, so they are reported instead.
extension ShellInterpreter {
    static let unaryFileTests: Set<String> = [
        "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u",
        "-w", "-x", "-G", "-L", "-N", "-O", "-S",
    ]
    static let binaryOperators: Set<String> = [
        "=", "==", "!=", "=~", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef",
    ]

    // MARK: [[ ]]

    mutating func evaluateConditional(_ tokens: [ConditionalToken], offset: Int) throws -> Bool {
        var index = 0
        let result = try conditionalOr(tokens, &index, offset: offset)
        if index != tokens.count {
            report(.syntax, at: offset, "unexpected token in [[ ]]")
            throw ControlFlow.abort
        }
        return result
    }

    mutating func conditionalOr(_ t: [ConditionalToken], _ i: inout Int, offset: Int) throws -> Bool {
        var value = try conditionalAnd(t, &i, offset: offset)
        while i < t.count, case .or = t[i] {
            i += 1
            // bash evaluates the right side only when needed
            if value { _ = try skipConditional(t, &i, offset: offset) } else { value = try conditionalAnd(t, &i, offset: offset) }
        }
        return value
    }

    mutating func conditionalAnd(_ t: [ConditionalToken], _ i: inout Int, offset: Int) throws -> Bool {
        var value = try conditionalNot(t, &i, offset: offset)
        while i < t.count, case .and = t[i] {
            i += 1
            if !value { _ = try skipConditionalTerm(t, &i, offset: offset) } else { value = try conditionalNot(t, &i, offset: offset) }
        }
        return value
    }

    /// Moves past one `&&`-level term without evaluating it.
    mutating func skipConditionalTerm(_ t: [ConditionalToken], _ i: inout Int, offset: Int) throws -> Bool {
        let saved = (variables, diagnostics)
        let r = try conditionalNot(t, &i, offset: offset)
        (variables, diagnostics) = saved
        return r
    }

    mutating func skipConditional(_ t: [ConditionalToken], _ i: inout Int, offset: Int) throws -> Bool {
        let saved = (variables, diagnostics)
        let r = try conditionalAnd(t, &i, offset: offset)
        (variables, diagnostics) = saved
        return r
    }

    mutating func conditionalNot(_ t: [ConditionalToken], _ i: inout Int, offset: Int) throws -> Bool {
        guard i < t.count else { report(.syntax, at: offset, "unexpected end of [[ ]]"); throw ControlFlow.abort }
        switch t[i] {
        case .not:
            i += 1
            return try !conditionalNot(t, &i, offset: offset)
        case .open:
            i += 1
            let value = try conditionalOr(t, &i, offset: offset)
            guard i < t.count, case .close = t[i] else { report(.syntax, at: offset, "expected ')' in [[ ]]"); throw ControlFlow.abort }
            i += 1
            return value
        case .word(let first):
            i += 1
            if let op = first.literalText, op.hasPrefix("-"), op.count == 2, i < t.count, case .word(let operand) = t[i],
               !(i + 1 < t.count && isBinaryOperator(t[i + 1])) {
                i += 1
                return try unaryTest(op, try expandString(operand), offset: first.offset)
            }
            if i < t.count, case .word(let opWord) = t[i], let op = opWord.literalText, Self.binaryOperators.contains(op) {
                i += 1
                guard i < t.count, case .word(let right) = t[i] else {
                    report(.syntax, at: offset, "expected an operand after '\(op)' in [[ ]]")
                    throw ControlFlow.abort
                }
                i += 1
                let left = try expandString(first)
                switch op {
                case "=", "==", "!=":
                    let pattern = try expandPattern(right)
                    let matched = try metered("the pattern '\(pattern)'", at: right.offset) {
                        try ShellPattern(pattern).matches(left, budget: &$0)
                    }
                    return matched == (op != "!=")
                case "=~": return try regexMatch(left, right, offset: offset)
                default: return try binaryTest(op, left, try expandString(right), arithmeticOperands: true, offset: offset)
                }
            }
            return !(try expandString(first)).isEmpty
        default:
            report(.syntax, at: offset, "unexpected operator in [[ ]]")
            throw ControlFlow.abort
        }
    }

    func isBinaryOperator(_ token: ConditionalToken) -> Bool {
        if case .word(let w) = token, let text = w.literalText { return Self.binaryOperators.contains(text) }
        return false
    }

    mutating func regexMatch(_ left: String, _ right: ShellWord, offset: Int) throws -> Bool {
        var pattern = ""
        for segment in try segments(right.parts, quoted: false) {
            switch segment {
            case .literal(let s), .expanded(let s): pattern += s
            case .quoted(let s): pattern += s.unicodeScalars.map { "\\^$.|?*+()[]{}".unicodeScalars.contains($0) ? "\\\($0)" : String($0) }.joined()
            case .fieldBreak: pattern += " "
            }
        }
        let regex: ShellRegex
        do {
            regex = try ShellRegex(pattern)
        } catch .invalid {
            // glibc's regcomp refuses it: bash's test fails with status 2, silently
            return false
        } catch .unsupported(let what) {
            report(.unsupported, at: right.offset, "the regular expression '\(pattern)' uses \(what)")
            return false
        } catch .tooLarge {
            report(.unsupported, at: right.offset,
                   "the regular expression '\(pattern)' exceeds the reader's budget (\(ShellRegex.instructionLimit) instructions)",
                   always: true)
            throw ControlFlow.abort
        }
        let text = Array(left.unicodeScalars)
        let match = try metered("the regular expression '\(pattern)'", at: right.offset) { try regex.firstMatch(in: text, budget: &$0) }
        guard let match else {
            variables.update("BASH_REMATCH") { $0.value = .indexed(IndexedArray()) }
            return false
        }
        let groups = match.map { range in range.map { String(String.UnicodeScalarView(text[$0])) } ?? "" }
        variables.update("BASH_REMATCH") { $0.value = .indexed(IndexedArray(groups)) }
        return true
    }

    mutating func unaryTest(_ op: String, _ operand: String, offset: Int) throws -> Bool {
        switch op {
        case "-z": return operand.isEmpty
        case "-n": return !operand.isEmpty
        case "-v":
            if let open = operand.firstIndex(of: "[") {
                return variables.value(String(operand[..<open])) != nil
            }
            return variables.value(operand) != nil
        case "-o": return false
        default:
            if Self.unaryFileTests.contains(op) {
                report(.unsupported, at: offset, "tests the file '\(operand)' with \(op)")
                return false
            }
            report(.syntax, at: offset, "unknown test operator '\(op)'")
            throw ControlFlow.abort
        }
    }

    mutating func binaryTest(_ op: String, _ left: String, _ right: String, arithmeticOperands: Bool, offset: Int) throws -> Bool {
        switch op {
        case "=", "==": return left == right
        case "!=": return left != right
        case "<": return Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8))
        case ">": return Array(right.utf8).lexicographicallyPrecedes(Array(left.utf8))
        case "-nt", "-ot", "-ef":
            report(.unsupported, at: offset, "compares the files '\(left)' and '\(right)'")
            return false
        default:
            let a: Int, b: Int
            if arithmeticOperands {
                a = try arithmetic(left, offset: offset)
                b = try arithmetic(right, offset: offset)
            } else {
                guard let x = Int(left.trimmingBlanks), let y = Int(right.trimmingBlanks) else {
                    // after something the reader could not evaluate, an operand may just be
                    // a value it does not know (`$(gcc -dumpversion | cut -d. -f1)`)
                    let unknown = diagnostics.contains { $0.kind == .unsupported }
                    report(unknown ? .unsupported : .syntax, at: offset, "integer expression expected in '\(left) \(op) \(right)'")
                    throw TestFailure()
                }
                a = x
                b = y
            }
            switch op {
            case "-eq": return a == b
            case "-ne": return a != b
            case "-lt": return a < b
            case "-le": return a <= b
            case "-gt": return a > b
            default: return a >= b
            }
        }
    }

    // MARK: test and [

    struct TestFailure: Error {}

    mutating func testBuiltin(_ args: [String], offset: Int) throws -> Int32 {
        do {
            var i = 0
            let value = try testOr(args, &i, offset: offset)
            if i != args.count {
                report(.syntax, at: offset, "test: too many arguments")
                return 2
            }
            return value ? 0 : 1
        } catch is TestFailure {
            return 2
        }
    }

    mutating func testOr(_ a: [String], _ i: inout Int, offset: Int) throws -> Bool {
        var value = try testAnd(a, &i, offset: offset)
        while i < a.count, a[i] == "-o" {
            i += 1
            let right = try testAnd(a, &i, offset: offset)
            value = value || right
        }
        return value
    }

    mutating func testAnd(_ a: [String], _ i: inout Int, offset: Int) throws -> Bool {
        var value = try testPrimary(a, &i, offset: offset)
        while i < a.count, a[i] == "-a" {
            i += 1
            let right = try testPrimary(a, &i, offset: offset)
            value = value && right
        }
        return value
    }

    mutating func testPrimary(_ a: [String], _ i: inout Int, offset: Int) throws -> Bool {
        guard i < a.count else { return false }
        let remaining = a.count - i
        if a[i] == "!" && remaining > 1 {
            i += 1
            return try !testPrimary(a, &i, offset: offset)
        }
        if a[i] == "(" && remaining >= 3 {
            i += 1
            let value = try testOr(a, &i, offset: offset)
            if i < a.count, a[i] == ")" { i += 1 }
            return value
        }
        if remaining >= 3, Self.binaryOperators.contains(a[i + 1]), a[i + 1] != "=~" {
            let (left, op, right) = (a[i], a[i + 1], a[i + 2])
            i += 3
            return try binaryTest(op, left, right, arithmeticOperands: false, offset: offset)
        }
        if remaining >= 2, a[i].hasPrefix("-"), a[i].count == 2 {
            let op = a[i], operand = a[i + 1]
            i += 2
            return try unaryTest(op, operand, offset: offset)
        }
        let value = a[i]
        i += 1
        return !value.isEmpty
    }
}

extension String {
    var trimmingBlanks: Substring {
        var s = self[...]
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
