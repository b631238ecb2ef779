/// The one-line awk programs PKGBUILDs use to pick fields:
/// `awk -F. '{print $1$2}'`, `awk -F. '{ printf "%d%02d%02d00", $1, $2, $3 }'` (sqlite).
///
/// Only a program that is one action, without a pattern, of `print` and `printf`
/// statements over `$N`, `$NF`, `$0`, `NF`, `NR` and string literals (juxtaposed to
/// concatenate), with `-F` one character or none, is evaluated; `printf` takes `%d`, `%i`,
/// `%s` and `%%` with flags, width and precision. Within that subset Debian's mawk (what
/// makepkg runs under) and Arch's gawk agree, and the reader answers as they do; where
/// they differ (a number written in hexadecimal, a width over non-ASCII text), and for
/// anything else an awk program can do, the PKGBUILD is left to makepkg.
enum Awk {
    enum Term {
        case field(Int)
        case lastField
        case fieldCount
        case recordNumber
        case string(String)
    }

    enum Statement {
        case print([[Term]])
        case printf([[Term]])
    }

    static func run(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        var separator: UInt8?
        var arguments = call.arguments[...]
        while let first = arguments.first, first.hasPrefix("-"), first != "-" {
            arguments = arguments.dropFirst()
            if first == "--" { break }
            guard first.hasPrefix("-F") else { throw call.unsupported("\(first)") }
            var value = String(first.dropFirst(2))
            if value.isEmpty {
                guard let next = arguments.first else { throw call.unsupported("-F without its argument") }
                value = next
                arguments = arguments.dropFirst()
            }
            let bytes = value == "\\t" ? [UInt8(9)] : Array(value.utf8)  // awk reads escapes in -F
            guard bytes.count == 1, bytes[0] < 0x80, bytes[0] != UInt8(ascii: "\\") else {
                throw call.unsupported("-F '\(value)' (only one character is evaluated)")
            }
            separator = bytes[0] == 32 ? nil : bytes[0]
        }
        guard let program = arguments.first else { throw call.unsupported("without a program") }
        let statements = try parse(program, call)
        let input = try call.operandInput(Array(arguments.dropFirst()))
        guard String(validating: input, as: UTF8.self) != nil else { throw call.unsupported("on input that is not UTF-8") }
        var out: [UInt8] = []
        var number = 0
        for record in input.records(10) {
            number += 1
            try call.pay(record.count + 1)
            let fields = split(record, separator)
            func value(_ term: Term) -> [UInt8] {
                switch term {
                case .field(let n): return n == 0 ? Array(record) : (n <= fields.count ? Array(fields[n - 1]) : [])
                case .lastField: return fields.last.map(Array.init) ?? Array(record)  // $NF of no field is $0
                case .fieldCount: return Array(String(fields.count).utf8)
                case .recordNumber: return Array(String(number).utf8)
                case .string(let s): return Array(s.utf8)
                }
            }
            func concatenation(_ terms: [Term]) -> [UInt8] { terms.flatMap(value) }
            for statement in statements {
                switch statement {
                case .print(let expressions):
                    if expressions.isEmpty {
                        out += record
                    } else {
                        for (i, expression) in expressions.enumerated() {
                            if i > 0 { out.append(32) }
                            out += concatenation(expression)
                        }
                    }
                    out.append(10)
                case .printf(let expressions):
                    guard let format = expressions.first else { throw call.unsupported("printf without a format") }
                    out += try printf(concatenation(format), expressions.dropFirst().map(concatenation), call)
                }
                try call.pay(out.count / 64)
            }
        }
        return TextOutput(bytes: out)
    }

    /// Fields as awk splits them: runs of blanks (leading and trailing ignored), or each
    /// `separator`.
    static func split(_ record: ArraySlice<UInt8>, _ separator: UInt8?) -> [ArraySlice<UInt8>] {
        guard let separator else {
            return record.split(whereSeparator: { $0 == 32 || $0 == 9 || $0 == 10 })
        }
        if record.isEmpty { return [] }
        return record.split(separator: separator, omittingEmptySubsequences: false)
    }

    // MARK: the program

    static func parse(_ text: String, _ call: TextInvocation) throws(TextCommandFailure) -> [Statement] {
        let s = Array(text.unicodeScalars)
        var i = 0
        func blanks() { while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 } }
        func separators() { while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == ";" { i += 1 } }
        func word() -> String {
            var w = ""
            while i < s.count, s[i].properties.isAlphabetic || s[i] == "_" { w.unicodeScalars.append(s[i]); i += 1 }
            return w
        }
        let beyond = call.unsupported("with the program '\(text)' (only print and printf of fields are evaluated)")
        separators()
        guard i < s.count, s[i] == "{" else { throw beyond }
        i += 1
        var statements: [Statement] = []
        while true {
            separators()
            guard i < s.count else { throw beyond }
            if s[i] == "}" { i += 1; break }
            let keyword = word()
            guard keyword == "print" || keyword == "printf" else { throw beyond }
            blanks()
            var parenthesized = false
            if i < s.count, s[i] == "(" { parenthesized = true; i += 1 }
            var expressions: [[Term]] = []
            var current: [Term] = []
            terms: while true {
                blanks()
                guard i < s.count else { throw beyond }
                let c = s[i]
                switch c {
                case ";", "\n", "}":
                    if parenthesized { throw beyond }
                    break terms
                case ")":
                    guard parenthesized else { throw beyond }
                    i += 1
                    break terms
                case ",":
                    guard !current.isEmpty else { throw beyond }
                    expressions.append(current)
                    current = []
                    i += 1
                case "$":
                    i += 1
                    if i < s.count, let d = s[i].properties.numericType, d == .decimal, s[i].isASCII {
                        var n = 0
                        while i < s.count, s[i].isASCII, ("0"..."9").contains(s[i]) {
                            n = n * 10 + Int(s[i].value - 48)
                            i += 1
                            if n > 1_000_000 { throw beyond }
                        }
                        current.append(.field(n))
                    } else if word() == "NF" {
                        current.append(.lastField)
                    } else {
                        throw beyond
                    }
                case "\"":
                    i += 1
                    var literal = ""
                    while i < s.count, s[i] != "\"" {
                        if s[i] == "\\" {
                            i += 1
                            guard i < s.count else { throw beyond }
                            switch s[i] {
                            case "n": literal += "\n"
                            case "t": literal += "\t"
                            case "\\": literal += "\\"
                            case "\"": literal += "\""
                            case "/": literal += "/"
                            default: throw beyond
                            }
                        } else {
                            literal.unicodeScalars.append(s[i])
                        }
                        i += 1
                    }
                    guard i < s.count else { throw beyond }
                    i += 1
                    current.append(.string(literal))
                default:
                    switch word() {
                    case "NF": current.append(.fieldCount)
                    case "NR": current.append(.recordNumber)
                    default: throw beyond
                    }
                }
            }
            if !current.isEmpty { expressions.append(current) } else if !expressions.isEmpty { throw beyond }
            if keyword == "printf", expressions.isEmpty { throw beyond }
            statements.append(keyword == "print" ? .print(expressions) : .printf(expressions))
        }
        separators()
        guard i == s.count else { throw beyond }
        return statements
    }

    // MARK: printf

    /// awk's `printf` for `%d %i %s %%` with flags `- 0 + space`, a width and a precision.
    static func printf(_ format: [UInt8], _ arguments: [[UInt8]], _ call: TextInvocation) throws(TextCommandFailure) -> [UInt8] {
        var out: [UInt8] = []
        var next = 0
        var i = 0
        while i < format.count {
            let c = format[i]
            i += 1
            guard c == UInt8(ascii: "%") else { out.append(c); continue }
            guard i < format.count else { throw call.unsupported("printf with a lone '%'") }
            if format[i] == UInt8(ascii: "%") { out.append(c); i += 1; continue }
            var left = false, zero = false, plus = false, space = false
            while i < format.count, "-0+ ".utf8.contains(format[i]) {
                switch format[i] {
                case UInt8(ascii: "-"): left = true
                case UInt8(ascii: "0"): zero = true
                case UInt8(ascii: "+"): plus = true
                default: space = true
                }
                i += 1
            }
            var width = 0
            while i < format.count, format[i] >= 48, format[i] <= 57 { width = min(width * 10 + Int(format[i] - 48), 10_000); i += 1 }
            var precision: Int?
            if i < format.count, format[i] == UInt8(ascii: ".") {
                i += 1
                var p = 0
                while i < format.count, format[i] >= 48, format[i] <= 57 { p = min(p * 10 + Int(format[i] - 48), 10_000); i += 1 }
                precision = p
            }
            guard i < format.count else { throw call.unsupported("printf with an unfinished conversion") }
            let conversion = format[i]
            i += 1
            guard next < arguments.count else { throw call.unsupported("printf with fewer arguments than conversions") }
            let argument = arguments[next]
            next += 1
            var body: [UInt8]
            switch conversion {
            case UInt8(ascii: "d"), UInt8(ascii: "i"):
                guard let value = integer(argument) else { throw call.unsupported("printf %d of '\(String(decoding: argument, as: UTF8.self))'") }
                var digits = Array(String(value.magnitude).utf8)
                if let precision {
                    if precision == 0, value == 0 { digits = [] }
                    if digits.count < precision { digits = Array(repeating: 48, count: precision - digits.count) + digits }
                }
                let sign: [UInt8] = value < 0 ? [45] : plus ? [43] : space ? [32] : []
                if zero, !left, precision == nil, sign.count + digits.count < width {
                    digits = Array(repeating: 48, count: width - sign.count - digits.count) + digits
                }
                body = sign + digits
            case UInt8(ascii: "s"):
                body = argument
                if argument.contains(where: { $0 >= 0x80 }), precision != nil || width > 0 {
                    throw call.unsupported("printf with a width or precision over non-ASCII text")
                }
                if let precision, body.count > precision { body = Array(body.prefix(precision)) }
            default:
                throw call.unsupported("printf %\(UnicodeScalar(conversion))")
            }
            if body.count < width {
                let pad = Array(repeating: UInt8(32), count: width - body.count)
                body = left ? body + pad : pad + body
            }
            out += body
        }
        return out
    }

    /// A field as a number for `%d`: decimal digits with a sign and a fraction (cut
    /// toward zero), blanks around, or the empty string (0). Anything else (hexadecimal,
    /// exponents, trailing text) is where mawk and gawk may part, so it is not guessed.
    static func integer(_ text: [UInt8]) -> Int? {
        var s = text[...]
        while let f = s.first, f == 32 || f == 9 || f == 10 { s = s.dropFirst() }
        while let l = s.last, l == 32 || l == 9 || l == 10 { s = s.dropLast() }
        if s.isEmpty { return 0 }
        var negative = false
        if let f = s.first, f == 45 || f == 43 { negative = f == 45; s = s.dropFirst() }
        let whole = s.prefix { $0 >= 48 && $0 <= 57 }
        var rest = s.dropFirst(whole.count)
        if rest.first == 46 { rest = rest.dropFirst().drop { $0 >= 48 && $0 <= 57 } }
        guard !whole.isEmpty, rest.isEmpty, whole.count <= 15 else { return nil }
        let value = Int(String(decoding: whole, as: UTF8.self))!
        return negative ? -value : value
    }
}
