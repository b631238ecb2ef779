/// coreutils' `tr`: bytes translated, deleted (`-d`) or squeezed (`-s`), with sets of
/// characters, `\` escapes, ranges, `[:class:]`, `[=c=]` and `[c*n]` (coreutils' tr has
/// no multibyte support: it works on bytes even in a UTF-8 locale).
enum Tr {
    static func run(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        let spec = TextOptions(short: "cCdst", long: [
            .init(name: "complement", argument: .none, key: "c"),
            .init(name: "delete", argument: .none, key: "d"),
            .init(name: "squeeze-repeats", argument: .none, key: "s"),
            .init(name: "truncate-set1", argument: .none, key: "t"),
        ])
        let options: TextOptions.Parsed
        switch try call.options(spec) {
        case .success(let o): options = o
        case .failure(let e): return .failure(1, "tr: \(e.message)")
        }
        let complement = options.has("c") || options.has("C")
        let delete = options.has("d"), squeeze = options.has("s"), truncate = options.has("t")
        let operands = options.operands
        let needed = delete && squeeze ? 2 : (delete || (squeeze && operands.count < 2)) ? 1 : 2
        if operands.count < needed {
            return .failure(1, operands.isEmpty ? "tr: missing operand" : "tr: missing operand after '\(operands[0])'")
        }
        if operands.count > needed { return .failure(1, "tr: extra operand '\(operands[needed])'") }
        // GNU's set syntax is read in linear time; ours looks for `:]` again at each `[:`
        if operands.contains(where: { $0.utf8.count > 4096 }) { throw call.unsupported("with a set over 4 KiB") }
        guard var set1 = parse(operands[0], second: false) else { throw call.unsupported("with the set '\(operands[0])'") }
        if case .failure(let message) = set1 { return .failure(1, "tr: \(message)") }
        var set2: Parsed?
        if operands.count == 2 {
            guard let s = parse(operands[1], second: !delete) else { throw call.unsupported("with the set '\(operands[1])'") }
            if case .failure(let message) = s { return .failure(1, "tr: \(message)") }
            set2 = s
        }
        var first = set1.bytes
        if complement {
            if set2?.hasClasses == true { throw call.unsupported("-c with character classes in both sets") }
            if set1.hasClasses, !delete, let set2, Set(set2.bytes).count > 1 {
                return .failure(1, "tr: when translating with complemented character classes,\nstring2 must map all characters in the domain to one")
            }
            let present = Set(first)
            first = (0...255).map(UInt8.init).filter { !present.contains($0) }
            set1 = .set(first, classes: [])
        }
        let input = try call.standardInput()
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        try call.pay(input.count)
        if delete {
            let gone = Set(first)
            let squeezeSet = Set(set2?.bytes ?? [])
            for b in input where !gone.contains(b) {
                if squeeze, squeezeSet.contains(b), out.last == b { continue }
                out.append(b)
            }
            return TextOutput(bytes: out)
        }
        var map = Array(0...255).map(UInt8.init)
        var squeezeSet = Set(first)
        if let set2 {
            if set2.hasClasses, operands[0] != "[:upper:]", operands[0] != "[:lower:]" {
                throw call.unsupported("with a class in string2 not paired with [:upper:] or [:lower:]")
            }
            var second = set2.bytes
            if second.isEmpty, !first.isEmpty { return .failure(1, "tr: when not truncating set1, string2 must be non-empty") }
            if truncate { first = Array(first.prefix(second.count)) }
            if second.count < first.count { second += Array(repeating: second.last!, count: first.count - second.count) }
            for (a, b) in zip(first, second) { map[Int(a)] = b }
            squeezeSet = Set(set2.bytes)
        }
        for b in input {
            let t = map[Int(b)]
            if squeeze, squeezeSet.contains(t), out.last == t { continue }
            out.append(t)
        }
        return TextOutput(bytes: out)
    }

    enum Parsed {
        case set([UInt8], classes: [String])
        case failure(String)

        var bytes: [UInt8] { if case .set(let b, _) = self { b } else { [] } }
        var hasClasses: Bool { if case .set(_, let c) = self { !c.isEmpty } else { false } }
    }

    static let classes = ["alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "xdigit"]

    static func inClass(_ name: String, _ b: UInt8) -> Bool {
        let c = Unicode.Scalar(b)
        switch name {
        case "alnum": return inClass("alpha", b) || inClass("digit", b)
        case "alpha": return inClass("upper", b) || inClass("lower", b)
        case "upper": return b >= 65 && b <= 90
        case "lower": return b >= 97 && b <= 122
        case "digit": return b >= 48 && b <= 57
        case "xdigit": return inClass("digit", b) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)
        case "blank": return b == 32 || b == 9
        case "space": return b == 32 || (b >= 9 && b <= 13)
        case "cntrl": return b < 32 || b == 127
        case "print": return b >= 32 && b < 127
        case "graph": return b > 32 && b < 127
        case "punct": return inClass("graph", b) && !inClass("alnum", b)
        default: _ = c; return false
        }
    }

    /// A set's bytes in order; nil for a construct we do not evaluate.
    static func parse(_ text: String, second: Bool) -> Parsed? {
        let s = Array(text.utf8)
        var out: [UInt8] = []
        var classes: [String] = []
        var i = 0
        /// One character at `i`: a byte or a backslash escape.
        func character() -> UInt8 {
            let b = s[i]
            i += 1
            guard b == 92, i < s.count else { return b }
            let e = s[i]
            i += 1
            switch e {
            case UInt8(ascii: "a"): return 7
            case UInt8(ascii: "b"): return 8
            case UInt8(ascii: "f"): return 12
            case UInt8(ascii: "n"): return 10
            case UInt8(ascii: "r"): return 13
            case UInt8(ascii: "t"): return 9
            case UInt8(ascii: "v"): return 11
            case 48...55:
                var value = Int(e - 48)
                var n = 1
                while n < 3, i < s.count, s[i] >= 48, s[i] <= 55, value * 8 + Int(s[i] - 48) <= 255 {
                    value = value * 8 + Int(s[i] - 48)
                    i += 1
                    n += 1
                }
                return UInt8(value)
            default: return e
            }
        }
        while i < s.count {
            if s[i] == UInt8(ascii: "["), i + 1 < s.count {
                // [:class:], [=c=], [c*n]
                if s[i + 1] == UInt8(ascii: ":"), let end = find(s, from: i + 2, ":]") {
                    let name = String(decoding: s[(i + 2)..<end], as: UTF8.self)
                    guard classes.count < 8, Self.classes.contains(name) else {
                        return .failure("invalid character class '\(name)'")
                    }
                    if second, name != "upper", name != "lower" {
                        return .failure("when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'")
                    }
                    // case conversion: only the whole-set form `tr '[:lower:]' '[:upper:]'`
                    if second, text != "[:\(name):]" { return nil }
                    classes.append(name)
                    out += (0...255).map(UInt8.init).filter { inClass(name, $0) }
                    i = end + 2
                    continue
                }
                if s[i + 1] == UInt8(ascii: "="), i + 4 < s.count, s[i + 3] == UInt8(ascii: "="), s[i + 4] == UInt8(ascii: "]") {
                    if second { return nil }
                    out.append(s[i + 2])
                    i += 5
                    continue
                }
                if second, i + 2 < s.count, s[i + 2] == UInt8(ascii: "*") || (s[i + 1] == 92 && s.dropFirst(i + 2).contains(UInt8(ascii: "*"))) {
                    return nil
                }
                if s[i + 1] == UInt8(ascii: ":") || s[i + 1] == UInt8(ascii: "=") { return nil }
            }
            let low = character()
            if i + 1 < s.count, s[i] == UInt8(ascii: "-") {
                i += 1
                let high = character()
                guard low <= high else {
                    return .failure("range-endpoints of '\(low)-\(high)' are in reverse collating sequence order")
                }
                out += Array(low...high)
                continue
            }
            out.append(low)
        }
        return .set(out, classes: classes)
    }

    static func find(_ s: [UInt8], from: Int, _ end: String) -> Int? {
        let e = Array(end.utf8)
        var i = from
        while i + e.count <= s.count {
            if s[i..<(i + e.count)].elementsEqual(e) { return i }
            i += 1
        }
        return nil
    }
}
