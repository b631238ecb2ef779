/// bash's `printf` and `echo -e`: formats and backslash escapes, in memory.
enum ShellPrintf {
    struct Failure: Error {
        var message: String
        /// The output would exceed ``ShellBudget/valueLimit``: bash would try to allocate it
        /// (and dies at 2 GiB: `xrealloc: cannot allocate`).
        var overBudget = false
    }

    /// Formats like bash's printf builtin, reusing the format while arguments remain. No
    /// output longer than `limit` bytes is made: a width or precision that would exceed
    /// it is refused before anything is allocated.
    static func format(_ format: String, _ arguments: [String], limit: Int = ShellBudget.valueLimit) throws -> String {
        let f = Array(format.unicodeScalars)
        var out = ""
        var args = arguments[...]
        repeat {
            let consumedBefore = args.count
            var i = 0
            while i < f.count {
                let c = f[i]
                if c == "\\" {
                    let (text, next, stop) = escape(f, i + 1, inFormat: true)
                    out += text
                    i = next
                    if stop { return out }
                    continue
                }
                guard c == "%" else { out.unicodeScalars.append(c); i += 1; continue }
                i += 1
                guard i < f.count else { out += "%"; break }
                if f[i] == "%" { out += "%"; i += 1; continue }
                var spec = "%"
                while i < f.count, "-+ #0".unicodeScalars.contains(f[i]) { spec.unicodeScalars.append(f[i]); i += 1 }
                var width: Int?
                var precision: Int?
                if i < f.count, f[i] == "*" {
                    // bash's getint: an int; a negative width left-justifies
                    let w = try starArgument(args.popFirst())
                    if w < 0 { spec += "-" }
                    width = Int(w.magnitude)
                    i += 1
                } else {
                    width = digitsValue(f, &i)
                }
                if i < f.count, f[i] == "." {
                    i += 1
                    if i < f.count, f[i] == "*" {
                        // a negative precision is taken as if it were missing
                        let p = try starArgument(args.popFirst())
                        precision = p < 0 ? nil : p
                        i += 1
                    } else {
                        precision = digitsValue(f, &i) ?? 0
                    }
                }
                while i < f.count, "hlLqjzt".unicodeScalars.contains(f[i]) { i += 1 }
                guard i < f.count else { throw Failure(message: "'\(format)': missing format character") }
                let conversion = f[i]
                i += 1
                let flags = spec
                let argument = args.popFirst()
                for (name, value) in [("width", width), ("precision", precision)] {
                    guard let value, value > limit else { continue }
                    // a precision only pads numbers; a string's is a cut, free of charge
                    if name == "precision", !"diouxX".unicodeScalars.contains(conversion) { continue }
                    throw Failure(message: "the \(name) \(value) of '%\(conversion)' is over the reader's memory budget "
                                  + "(\(limit >> 20) MiB per value)", overBudget: true)
                }
                out += try convert(conversion, argument, flags: flags, width: width, precision: precision)
                if out.utf8.count > limit {
                    throw Failure(message: "the output of '\(format)' is over the reader's memory budget "
                                  + "(\(limit >> 20) MiB per value)", overBudget: true)
                }
            }
            if args.count == consumedBefore { break }
        } while !args.isEmpty
        return out
    }

    static func convert(_ conversion: Unicode.Scalar, _ argument: String?, flags: String, width: Int?, precision: Int?) throws -> String {
        var body: String
        var numeric = false
        switch conversion {
        case "s":
            body = argument ?? ""
            if let precision { body = String(body.prefix(precision)) }
        case "b":
            body = decodeEscapes(argument ?? "", stopAtC: false).text
            if let precision { body = String(body.prefix(precision)) }
        case "q":
            let a = argument ?? ""
            body = a.isEmpty ? "''" : a.unicodeScalars.map { c in
                (c.properties.isAlphabetic || ("0"..."9").contains(c) || "_-./=:,+@%^".unicodeScalars.contains(c)) ? String(c) : "\\\(c)"
            }.joined()
        case "c":
            body = argument.flatMap { $0.first.map(String.init) } ?? ""
        case "d", "i", "u", "x", "X", "o":
            numeric = true
            let value = try integer(argument ?? "0")
            switch conversion {
            case "x": body = String(UInt64(bitPattern: Int64(value)), radix: 16)
            case "X": body = String(UInt64(bitPattern: Int64(value)), radix: 16).uppercased()
            case "o": body = String(UInt64(bitPattern: Int64(value)), radix: 8)
            case "u": body = String(UInt64(bitPattern: Int64(value)))
            default: body = String(value.magnitude)
            }
            if let precision, body.count < precision { body = String(repeating: "0", count: precision - body.count) + body }
            if flags.contains("#"), value != 0 {
                if conversion == "x" { body = "0x" + body } else if conversion == "X" { body = "0X" + body } else if conversion == "o" { body = "0" + body }
            }
            if conversion == "d" || conversion == "i" {
                if value < 0 { body = "-" + body } else if flags.contains("+") { body = "+" + body } else if flags.contains(" ") { body = " " + body }
            }
        default:
            throw Failure(message: "the conversion '%\(conversion)' is not supported")
        }
        guard let width, body.count < width else { return body }
        let padCount = width - body.count
        if flags.contains("-") { return body + String(repeating: " ", count: padCount) }
        if numeric, flags.contains("0"), precision == nil {
            let signed = body.first == "-" || body.first == "+" || body.first == " "
            if signed { return String(body.first!) + String(repeating: "0", count: padCount) + body.dropFirst() }
            return String(repeating: "0", count: padCount) + body
        }
        return String(repeating: " ", count: padCount) + body
    }

    /// The decimal digits at `i` (consumed) as a number, saturating instead of
    /// overflowing; nil when there are none.
    static func digitsValue(_ f: [Unicode.Scalar], _ i: inout Int) -> Int? {
        var value: Int?
        while i < f.count, ("0"..."9").contains(f[i]) {
            let (times, o1) = (value ?? 0).multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(f[i].value - 48))
            value = o1 || o2 ? Int.max : sum
            i += 1
        }
        return value
    }

    /// A `*` width or precision: bash reads an int, clamping what does not fit (with a
    /// warning: "Numerical result out of range").
    static func starArgument(_ text: String?) throws -> Int {
        guard let text else { return 0 }
        let value: Int
        do { value = try integer(text) } catch { value = 0 }
        return min(max(value, Int(Int32.min) + 1), Int(Int32.max))
    }

    /// printf's numeric arguments: decimal, 0x hex, 0 octal, 'c (a character's code).
    static func integer(_ text: String) throws -> Int {
        let t = text.trimmingBlanks
        if t.isEmpty { return 0 }
        if t.first == "'" || t.first == "\"" { return Int(t.dropFirst().unicodeScalars.first?.value ?? 0) }
        var s = t
        var negative = false
        if s.first == "-" || s.first == "+" { negative = s.first == "-"; s = s.dropFirst() }
        var value: Int?
        if s.hasPrefix("0x") || s.hasPrefix("0X") { value = Int(s.dropFirst(2), radix: 16) }
        else if s.hasPrefix("0"), s.count > 1 { value = Int(s.dropFirst(), radix: 8) }
        else { value = Int(s) }
        guard let value else { throw Failure(message: "'\(text)': invalid number") }
        return negative ? -value : value
    }

    /// One backslash escape of a printf format or `%b` argument, starting after the backslash.
    static func escape(_ s: [Unicode.Scalar], _ start: Int, inFormat: Bool) -> (String, Int, Bool) {
        guard start < s.count else { return ("\\", start, false) }
        let c = s[start]
        var i = start + 1
        switch c {
        case "n": return ("\n", i, false)
        case "t": return ("\t", i, false)
        case "r": return ("\r", i, false)
        case "a": return ("\u{07}", i, false)
        case "b": return ("\u{08}", i, false)
        case "f": return ("\u{0C}", i, false)
        case "v": return ("\u{0B}", i, false)
        case "e", "E": return ("\u{1B}", i, false)
        case "\\": return ("\\", i, false)
        case "\"" where inFormat: return ("\"", i, false)
        case "'" where inFormat: return ("'", i, false)
        case "c" where !inFormat: return ("", i, true)
        case "x":
            var value: UInt32 = 0, n = 0
            while n < 2, i < s.count, let d = hexValue(UInt8(truncatingIfNeeded: s[i].value)), s[i].isASCII { value = value * 16 + UInt32(d); i += 1; n += 1 }
            if n == 0 { return ("\\x", i, false) }
            return (String(UnicodeScalar(UInt8(value))), i, false)
        case "0"..."7":
            var value: UInt32 = 0, n = 0
            var j = start
            if c == "0" && !inFormat { j += 1 }
            i = j
            while n < 3, i < s.count, ("0"..."7").contains(s[i]) { value = value * 8 + (s[i].value - 48); i += 1; n += 1 }
            return (String(UnicodeScalar(UInt8(value & 0xff))), i, false)
        default:
            return ("\\" + String(c), i, false)
        }
    }

    /// Decodes the escapes of `echo -e` and `%b`; `stop` is true after `\c`.
    static func decodeEscapes(_ text: String, stopAtC: Bool) -> (text: String, stop: Bool) {
        let s = Array(text.unicodeScalars)
        var out = ""
        var i = 0
        while i < s.count {
            if s[i] == "\\" {
                let (t, next, stop) = escape(s, i + 1, inFormat: false)
                out += t
                if stop { return (out, true) }
                i = next
            } else {
                out.unicodeScalars.append(s[i])
                i += 1
            }
        }
        return (out, false)
    }
}
