/// coreutils' `uniq` on standard input: adjacent equal lines (after `-f` fields, `-s`
/// characters, at most `-w` characters, `-i` case-blind) once, or counted, or only the
/// repeated (`-d`, `-D`) or unique (`-u`) ones.
enum Uniq {
    static func run(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        let spec = TextOptions(short: "cdDf:is:uw:z", long: [
            .init(name: "count", argument: .none, key: "c"),
            .init(name: "repeated", argument: .none, key: "d"),
            .init(name: "all-repeated", argument: .optional, key: "D"),
            .init(name: "group", argument: .optional, key: "group"),
            .init(name: "skip-fields", argument: .required, key: "f"),
            .init(name: "ignore-case", argument: .none, key: "i"),
            .init(name: "skip-chars", argument: .required, key: "s"),
            .init(name: "unique", argument: .none, key: "u"),
            .init(name: "check-chars", argument: .required, key: "w"),
            .init(name: "zero-terminated", argument: .none, key: "z"),
        ])
        let options: TextOptions.Parsed
        switch try call.options(spec, unevaluated: ["group"]) {
        case .success(let o): options = o
        case .failure(let e): return .failure(1, "uniq: \(e.message)")
        }
        if options.operands.count > 1 { throw .unsupported("uniq writes the file '\(options.operands[1])'") }
        var skipFields = 0, skipChars = 0, checkChars = Int.max
        for (key, value) in options.options where key == "f" || key == "s" || key == "w" {
            guard let n = TextNumbers.count(Substring(value ?? "")) else {
                return .failure(1, "uniq: invalid number: '\(value ?? "")'")
            }
            if key == "f" { skipFields = n } else if key == "s" { skipChars = n } else { checkChars = n }
        }
        if let method = options.options.last(where: { $0.key == "D" })?.value, method != "none" {
            throw call.unsupported("--all-repeated=\(method)")
        }
        let count = options.has("c"), repeated = options.has("d"), allRepeated = options.has("D"), unique = options.has("u")
        if allRepeated && unique { throw call.unsupported("-D with -u") }
        if count && allRepeated {
            return .failure(1, "uniq: printing all duplicated lines and repeat counts is meaningless")
        }
        let ignoreCase = options.has("i")
        let terminator: UInt8 = options.has("z") ? 0 : 10
        let input = try call.operandInput(Array(options.operands.prefix(1)))
        if ignoreCase, input.contains(where: { $0 >= 128 }) { throw call.unsupported("-i on non-ASCII text") }

        func key(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var i = line.startIndex
            var fields = skipFields
            while fields > 0, i < line.endIndex {
                fields -= 1
                while i < line.endIndex, line[i] == 32 || line[i] == 9 { i += 1 }
                while i < line.endIndex, line[i] != 32, line[i] != 9 { i += 1 }
            }
            i = min(line.endIndex, i + min(skipChars, line.endIndex - i))
            let end = min(line.endIndex, i + min(checkChars, line.endIndex - i))
            return line[i..<end]
        }
        func equal(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
            ignoreCase ? a.elementsEqual(b) { Self.upper($0) == Self.upper($1) } : a.elementsEqual(b)
        }
        if input.contains(where: { $0 >= 128 }), skipChars > 0 || checkChars < Int.max {
            throw call.unsupported("-s or -w on non-ASCII text")
        }
        var out: [UInt8] = []
        let lines = input.records(terminator)
        var i = 0
        while i < lines.count {
            var j = i + 1
            let k = key(lines[i])
            while j < lines.count, equal(key(lines[j]), k) { j += 1 }
            try call.pay(j - i + lines[i].count)
            let n = j - i
            if allRepeated {
                if n > 1 { for line in lines[i..<j] { out += line; out.append(terminator) } }
            } else if (n > 1 && !unique) || (n == 1 && !repeated) {
                if !(repeated && unique) {
                    if count {
                        let number = String(n)
                        out += Array((String(repeating: " ", count: max(0, 7 - number.count)) + number + " ").utf8)
                    }
                    out += lines[i]
                    out.append(terminator)
                }
            }
            i = j
        }
        return TextOutput(bytes: out)
    }

    static func upper(_ b: UInt8) -> UInt8 { b >= 97 && b <= 122 ? b - 32 : b }
}
