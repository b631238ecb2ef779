/// bash's `read` builtin on input the reader knows (a here-string, a quoted here-document,
/// a pipe from a pure command): `IFS=. read -ra parts <<< "$pkgver"`. It takes one line
/// (or up to `-d`'s delimiter) off the input, so `while read` loops over it line by line.
/// Input from makepkg's own standard input or a file, a timeout, a count or a file
/// descriptor need a real shell.
extension ShellInterpreter {
    mutating func readBuiltin(_ args: [String], offset: Int) throws -> Int32 {
        var raw = false
        var arrayName: String?
        var delimiter: UInt8 = 10
        var i = 0
        options: while i < args.count {
            let arg = Array(args[i].utf8)
            guard arg.count > 1, arg[0] == UInt8(ascii: "-") else { break }
            i += 1
            if args[i - 1] == "--" { break }
            var k = 1
            while k < arg.count {
                let option = arg[k]
                k += 1
                switch option {
                case UInt8(ascii: "r"): raw = true
                case UInt8(ascii: "s"), UInt8(ascii: "e"): break  // no terminal: no effect
                case UInt8(ascii: "a"), UInt8(ascii: "d"), UInt8(ascii: "p"):
                    let value: String
                    if k < arg.count {
                        value = String(decoding: arg[k...], as: UTF8.self)
                    } else if i < args.count {
                        value = args[i]
                        i += 1
                    } else {
                        report(.unsupported, at: offset, "read -\(UnicodeScalar(option)) without its argument")
                        return 2
                    }
                    k = arg.count
                    if option == UInt8(ascii: "a") { arrayName = value }
                    if option == UInt8(ascii: "d") {
                        // the first byte; `-d ''` reads up to a NUL
                        guard value.utf8.first.map({ $0 < 0x80 }) ?? true else {
                            report(.unsupported, at: offset, "read -d with a delimiter that is not ASCII")
                            return 2
                        }
                        delimiter = value.utf8.first ?? 0
                    }
                    // -p prints its prompt only when the input is a terminal
                default:
                    report(.unsupported, at: offset, "read -\(UnicodeScalar(option)) is not evaluated by the reader")
                    return 2
                }
            }
        }
        let names = Array(args[i...])
        for name in names + (arrayName.map { [$0] } ?? []) where !Self.isName(name) {
            report(.unsupported, at: offset, "read into '\(name)', which is not a variable name")
            return 1
        }
        let text: String
        switch input {
        case .text(let known): text = known
        case .inherited:
            report(.unsupported, at: offset, "reads makepkg's standard input")
            return 0
        case .unknown(let why):
            report(.unsupported, at: offset, "reads \(why)")
            return 0
        }
        let ifs = variables.value("IFS")?.scalarValue ?? " \t\n"
        guard ifs.utf8.allSatisfy({ $0 < 0x80 }) else {
            report(.unsupported, at: offset, "read with an IFS that is not ASCII")
            return 2
        }
        let line = ReadLine(text, delimiter: delimiter, raw: raw)
        try pay(line.consumed, for: "read", at: offset)
        input = .text(String(decoding: text.utf8.dropFirst(line.consumed), as: UTF8.self))
        let splitter = ReadLine.Splitter(ifs: Array(ifs.utf8))
        if let arrayName {
            assign(arrayName, .indexed(IndexedArray(splitter.fields(line.bytes, line.escaped))), offset: offset)
        } else if names.isEmpty {
            assign("REPLY", .scalar(String(decoding: line.bytes, as: UTF8.self)), offset: offset)
        } else {
            var rest = 0
            for (n, name) in names.enumerated() {
                let value = n == names.count - 1
                    ? splitter.remainder(line.bytes, line.escaped, from: rest)
                    : splitter.nextField(line.bytes, line.escaped, from: &rest)
                assign(name, .scalar(value), offset: offset)
            }
        }
        return line.sawDelimiter ? 0 : 1
    }

    static func isName(_ s: String) -> Bool {
        guard let first = s.utf8.first, isNameStart(first) else { return false }
        return s.utf8.allSatisfy(isNameByte)
    }
}

/// One line as `read` takes it: the bytes up to the delimiter, backslashes removed
/// (unless `-r`) and the bytes they escaped marked, so that they never separate fields.
struct ReadLine {
    var bytes: [UInt8] = []
    var escaped: [Bool] = []
    /// Input bytes taken, the delimiter included.
    var consumed = 0
    var sawDelimiter = false

    init(_ text: String, delimiter: UInt8, raw: Bool) {
        let input = Array(text.utf8)
        var i = 0
        while i < input.count {
            let c = input[i]
            i += 1
            if c == delimiter { sawDelimiter = true; break }
            if !raw, c == UInt8(ascii: "\\") {
                guard i < input.count else { break }
                let next = input[i]
                i += 1
                if next == 10 { continue }  // a line continues after backslash-newline
                bytes.append(next)
                escaped.append(true)
                continue
            }
            bytes.append(c)
            escaped.append(false)
        }
        consumed = i
    }

    /// IFS field splitting over a line: IFS whitespace runs separate (and are trimmed at
    /// the ends), each other IFS byte separates once, with the whitespace around it.
    struct Splitter {
        let separators: [UInt8]
        init(ifs: [UInt8]) { separators = ifs }

        func isSeparator(_ bytes: [UInt8], _ escaped: [Bool], _ i: Int) -> Bool { !escaped[i] && separators.contains(bytes[i]) }
        func isWhite(_ bytes: [UInt8], _ escaped: [Bool], _ i: Int) -> Bool {
            isSeparator(bytes, escaped, i) && (bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10)
        }

        func skipWhite(_ bytes: [UInt8], _ escaped: [Bool], _ i: inout Int) {
            while i < bytes.count, isWhite(bytes, escaped, i) { i += 1 }
        }

        /// The field at `i` (after IFS whitespace), and `i` past it and its one separator.
        func nextField(_ bytes: [UInt8], _ escaped: [Bool], from i: inout Int) -> String {
            skipWhite(bytes, escaped, &i)
            let start = i
            while i < bytes.count, !isSeparator(bytes, escaped, i) { i += 1 }
            let field = String(decoding: bytes[start..<i], as: UTF8.self)
            skipWhite(bytes, escaped, &i)
            if i < bytes.count, isSeparator(bytes, escaped, i), !isWhite(bytes, escaped, i) {
                i += 1
                skipWhite(bytes, escaped, &i)
            }
            return field
        }

        /// What the last name gets: the rest of the line without the IFS whitespace at its
        /// ends, or only its one field when that field and its separator are all there is.
        func remainder(_ bytes: [UInt8], _ escaped: [Bool], from start: Int) -> String {
            var i = start
            skipWhite(bytes, escaped, &i)
            let begin = i
            var probe = i
            let field = nextField(bytes, escaped, from: &probe)
            if probe >= bytes.count { return field }
            var end = bytes.count
            while end > begin, isWhite(bytes, escaped, end - 1) { end -= 1 }
            return String(decoding: bytes[begin..<end], as: UTF8.self)
        }

        /// Every field, as `read -a` assigns them.
        func fields(_ bytes: [UInt8], _ escaped: [Bool]) -> [String] {
            var out: [String] = []
            var i = 0
            skipWhite(bytes, escaped, &i)
            while i < bytes.count { out.append(nextField(bytes, escaped, from: &i)) }
            return out
        }
    }
}
