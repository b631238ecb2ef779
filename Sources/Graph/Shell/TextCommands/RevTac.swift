/// util-linux's `rev` (characters of each line reversed) and coreutils' `tac` (records
/// in reverse order).
enum RevTac {
    static func rev(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        let options: TextOptions.Parsed
        switch try call.options(TextOptions(short: "0", long: [.init(name: "zero", argument: .none, key: "0")])) {
        case .success(let o): options = o
        case .failure(let e): return .failure(1, "rev: \(e.message)")
        }
        let terminator: Unicode.Scalar = options.has("0") ? "\0" : "\n"
        let input = try call.operandInput(options.operands)
        guard let text = String(validating: input, as: UTF8.self) else { throw .unsupported("rev reads bytes that are not UTF-8") }
        var out = String.UnicodeScalarView()
        var line: [Unicode.Scalar] = []
        for c in text.unicodeScalars {
            if c == terminator {
                out.append(contentsOf: line.reversed())
                out.append(c)
                line = []
            } else {
                line.append(c)
            }
        }
        out.append(contentsOf: line.reversed())
        return TextOutput(bytes: Array(String(out).utf8))
    }

    static func tac(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        let spec = TextOptions(short: "brs:", long: [
            .init(name: "before", argument: .none, key: "b"),
            .init(name: "regex", argument: .none, key: "r"),
            .init(name: "separator", argument: .required, key: "s"),
        ])
        let options: TextOptions.Parsed
        switch try call.options(spec, unevaluated: ["r"]) {
        case .success(let o): options = o
        case .failure(let e): return .failure(1, "tac: \(e.message)")
        }
        let separator = Array((options.last("s") ?? "\n").utf8)
        if separator.isEmpty { throw call.unsupported("with an empty separator") }
        let before = options.has("b")
        let input = try call.operandInput(options.operands)
        let (work, overflow) = input.count.multipliedReportingOverflow(by: separator.count)
        try call.pay(overflow ? Int.max : work)
        // the records, each with its separator (after it, or before it with -b)
        var records: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i + separator.count <= input.count {
            if input[i..<(i + separator.count)].elementsEqual(separator) {
                if before {
                    if i > start { records.append(input[start..<i]) }
                    start = i
                } else {
                    records.append(input[start..<(i + separator.count)])
                    start = i + separator.count
                }
                i += separator.count
            } else {
                i += 1
            }
        }
        if start < input.count { records.append(input[start...]) }
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        for record in records.reversed() { out += record }
        return TextOutput(bytes: out)
    }
}
