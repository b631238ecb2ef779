/// coreutils' `head` and `tail` on standard input: lines or bytes, counted from the start
/// or the end (`head -n -N`, `tail -n +N`), and the obsolete `-N` first argument.
enum HeadTail {
    struct Count {
        var number: Int
        var bytes: Bool
        /// head: all but the last `number`; tail: from the `number`th on.
        var fromOtherEnd: Bool
    }

    static func head(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        try run(&call, head: true)
    }

    static func tail(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        try run(&call, head: false)
    }

    static func run(_ call: inout TextInvocation, head: Bool) throws(TextCommandFailure) -> TextOutput {
        let name = head ? "head" : "tail"
        if let first = call.arguments.first, first.count > 1, first.hasPrefix("-"), first.utf8.dropFirst().allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            // the obsolete `head -5`, `tail -5`
            call.arguments[0] = "-n" + first.dropFirst()
        }
        var long: [TextOptions.Long] = [
            .init(name: "bytes", argument: .required, key: "c"),
            .init(name: "lines", argument: .required, key: "n"),
            .init(name: "quiet", argument: .none, key: "q"),
            .init(name: "silent", argument: .none, key: "q"),
            .init(name: "verbose", argument: .none, key: "v"),
            .init(name: "zero-terminated", argument: .none, key: "z"),
        ]
        if !head {
            long += [.init(name: "follow", argument: .optional, key: "f"), .init(name: "retry", argument: .none, key: "retry"),
                     .init(name: "pid", argument: .required, key: "pid"), .init(name: "sleep-interval", argument: .required, key: "s"),
                     .init(name: "max-unchanged-stats", argument: .required, key: "max-unchanged-stats")]
        }
        let spec = TextOptions(short: head ? "c:n:qvz" : "c:n:fFqs:vz", long: long)
        let options: TextOptions.Parsed
        switch try call.options(spec, unevaluated: ["v", "f", "F", "retry", "pid", "s", "max-unchanged-stats"]) {
        case .success(let o): options = o
        case .failure(let e): return .failure(1, "\(name): \(e.message)")
        }
        if options.operands.count > 1 { throw call.unsupported("with several files") }
        var count = Count(number: 10, bytes: false, fromOtherEnd: false)
        for (key, value) in options.options where key == "c" || key == "n" {
            var text = Substring(value ?? "")
            var other = false
            if head, text.first == "-" { other = true; text = text.dropFirst() } else if head, text.first == "+" { text = text.dropFirst() }
            if !head, text.first == "+" { other = true; text = text.dropFirst() } else if !head, text.first == "-" { text = text.dropFirst() }
            guard let n = TextNumbers.count(text) else {
                // digits with a multiplier suffix (`1k`) are valid; anything else is not
                if !(text.first?.isASCII == true && text.first!.isNumber) || !text.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }) {
                    return .failure(1, "\(name): invalid number of \(key == "c" ? "bytes" : "lines"): '\(value ?? "")'")
                }
                throw call.unsupported("with the count '\(value ?? "")'")
            }
            count = Count(number: n, bytes: key == "c", fromOtherEnd: other)
        }
        let input = try call.operandInput(options.operands)
        let terminator: UInt8 = options.has("z") ? 0 : 10
        let out = count.bytes ? bytes(input, count, head: head) : lines(input, count, head: head, terminator: terminator)
        return TextOutput(bytes: Array(out))
    }

    static func bytes(_ input: [UInt8], _ count: Count, head: Bool) -> ArraySlice<UInt8> {
        let n = min(count.number, input.count)
        switch (head, count.fromOtherEnd) {
        case (true, false): return input.prefix(n)
        case (true, true): return input.dropLast(n)
        case (false, false): return input.suffix(n)
        case (false, true): return input.dropFirst(max(count.number, 1) - 1)
        }
    }

    static func lines(_ input: [UInt8], _ count: Count, head: Bool, terminator: UInt8) -> ArraySlice<UInt8> {
        // the offsets just after each terminator
        var ends: [Int] = []
        for (i, b) in input.enumerated() where b == terminator { ends.append(i + 1) }
        if input.last != terminator, !input.isEmpty { ends.append(input.count) }
        let total = ends.count
        func prefix(_ k: Int) -> ArraySlice<UInt8> { min(k, total) <= 0 ? [] : input.prefix(ends[min(k, total) - 1]) }
        switch (head, count.fromOtherEnd) {
        case (true, false): return prefix(count.number)
        case (true, true): return prefix(total - min(count.number, total))
        case (false, false):
            let skip = total - min(count.number, total)
            return skip == 0 ? input[...] : input.dropFirst(ends[skip - 1])
        case (false, true):
            let skip = max(count.number, 1) - 1
            if skip >= total { return [] }
            return skip == 0 ? input[...] : input.dropFirst(ends[skip - 1])
        }
    }
}
