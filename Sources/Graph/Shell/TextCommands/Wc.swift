/// coreutils' `wc` on standard input: lines, words, characters, bytes, longest line.
enum Wc {
    static func run(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        let spec = TextOptions(short: "clLmw", long: [
            .init(name: "bytes", argument: .none, key: "c"),
            .init(name: "chars", argument: .none, key: "m"),
            .init(name: "lines", argument: .none, key: "l"),
            .init(name: "words", argument: .none, key: "w"),
            .init(name: "max-line-length", argument: .none, key: "L"),
            .init(name: "files0-from", argument: .required, key: "files0-from"),
            .init(name: "total", argument: .required, key: "total"),
        ])
        let options: TextOptions.Parsed
        switch try call.options(spec, unevaluated: ["files0-from", "total"]) {
        case .success(let o): options = o
        case .failure(let e): return .failure(1, "wc: \(e.message)")
        }
        if !options.operands.isEmpty { throw .unsupported("wc reads the file '\(options.operands[0])'") }
        var wanted = "lwmcL".filter { options.has(String($0)) }
        if wanted.isEmpty { wanted = "lwc" }
        let input = try call.standardInput()
        guard let text = String(validating: input, as: UTF8.self) else { throw .unsupported("wc reads bytes that are not UTF-8") }
        var lines = 0, words = 0, chars = 0, longest = 0, column = 0
        var inWord = false
        for c in text.unicodeScalars {
            chars += 1
            switch c {
            case "\n":
                lines += 1
                longest = max(longest, column)
                column = 0
                inWord = false
            case " ", "\t", "\u{0B}", "\u{0C}", "\r":
                if c == "\t" { column += 8 - column % 8 } else if c == " " { column += 1 } else if c == "\r" { column = 0 }
                inWord = false
            default:
                if wanted.contains("L"), !c.isASCII { throw call.unsupported("-L on non-ASCII text") }
                if wanted.contains("w"), !c.isASCII, c.properties.isWhitespace { throw call.unsupported("-w on Unicode spaces") }
                if c.isASCII, c.value < 32 || c.value == 127 {
                    // a control character is part of a word but has no width
                } else {
                    column += 1
                }
                if !inWord { words += 1; inWord = true }
            }
        }
        longest = max(longest, column)
        let values: [Character: Int] = ["l": lines, "w": words, "m": chars, "c": input.count, "L": longest]
        let numbers = wanted.map { String(values[$0]!) }
        let width = numbers.count == 1 ? 1 : 7
        let line = numbers.map { String(repeating: " ", count: max(0, width - $0.count)) + $0 }.joined(separator: " ")
        return TextOutput(bytes: Array((line + "\n").utf8))
    }
}
