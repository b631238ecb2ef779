/// coreutils' `cut`: bytes (`-c` is the same: coreutils has no multibyte cut), or fields
/// split on one delimiter byte.
enum Cut {
    static let spec = TextOptions(short: "b:c:d:f:nsz", long: [
        .init(name: "bytes", argument: .required, key: "b"),
        .init(name: "characters", argument: .required, key: "c"),
        .init(name: "delimiter", argument: .required, key: "d"),
        .init(name: "fields", argument: .required, key: "f"),
        .init(name: "only-delimited", argument: .none, key: "s"),
        .init(name: "zero-terminated", argument: .none, key: "z"),
        .init(name: "complement", argument: .none, key: "complement"),
        .init(name: "output-delimiter", argument: .required, key: "output-delimiter"),
    ])

    /// A list's sorted, merged ranges (1-based, inclusive).
    typealias Ranges = [ClosedRange<Int>]

    static func run(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        let options: TextOptions.Parsed
        switch try call.options(spec) {
        case .success(let o): options = o
        case .failure(let e): return .failure(1, "cut: \(e.message)")
        }
        var list: String?
        var fieldMode = false
        for (key, value) in options.options where key == "b" || key == "c" || key == "f" {
            if list != nil { return .failure(1, "cut: only one list may be specified") }
            list = value
            fieldMode = key == "f"
        }
        guard let list else { return .failure(1, "cut: you must specify a list of bytes, characters, or fields") }
        var delimiter: UInt8 = 9
        if let d = options.last("d") {
            guard fieldMode else { return .failure(1, "cut: an input delimiter may be specified only when operating on fields") }
            guard d.utf8.count <= 1 else { return .failure(1, "cut: the delimiter must be a single character") }
            delimiter = d.utf8.first ?? 0
        }
        if options.has("s"), !fieldMode {
            return .failure(1, "cut: suppressing non-delimited lines makes sense\n\tonly when operating on fields")
        }
        var ranges: Ranges
        switch parseList(list) {
        case .success(let r): ranges = r
        case .failure(let e): return .failure(1, "cut: \(e.message)")
        }
        if options.has("complement") { ranges = complement(ranges) }
        let outputDelimiter = options.last("output-delimiter").map { Array($0.utf8) }
        let terminator: UInt8 = options.has("z") ? 0 : 10
        let input = try call.operandInput(options.operands)
        var out: [UInt8] = []
        for line in input.records(terminator) {
            try call.pay(line.count + 1)
            let before = out.count
            if fieldMode {
                let fields = line.split(separator: delimiter, omittingEmptySubsequences: false)
                if fields.count == 1 {
                    if options.has("s") { continue }
                    out += line
                } else {
                    var first = true
                    for (i, field) in fields.enumerated() where contains(ranges, i + 1) {
                        if !first { out += outputDelimiter ?? [delimiter] }
                        out += field
                        first = false
                    }
                }
            } else {
                var printed = false
                for (i, byte) in zip(1..., line) {
                    guard let range = find(ranges, i) else { continue }
                    if let outputDelimiter, printed, range.lowerBound == i { out += outputDelimiter }
                    printed = true
                    out.append(byte)
                }
            }
            out.append(terminator)
            // an output delimiter can make the output far larger than the input
            if outputDelimiter != nil {
                try call.pay(out.count - before)
                if out.count > ShellBudget.valueLimit { throw .unsupported(ShellBudget.tooLarge("cut's output", bytes: out.count)) }
            }
        }
        return TextOutput(bytes: out)
    }

    static func contains(_ ranges: Ranges, _ n: Int) -> Bool { find(ranges, n) != nil }

    /// The range holding `n` in the sorted, disjoint `ranges` (a binary search: a list
    /// can have a million ranges).
    static func find(_ ranges: Ranges, _ n: Int) -> ClosedRange<Int>? {
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < n { low = mid + 1 } else { high = mid }
        }
        return low < ranges.count && ranges[low].contains(n) ? ranges[low] : nil
    }

    struct ListError: Error { var message: String }

    /// coreutils' `set_fields`: `N`, `N-`, `N-M`, `-M`, separated by commas or blanks.
    static func parseList(_ text: String) -> Result<Ranges, ListError> {
        var pairs: [ClosedRange<Int>] = []
        var lhs = false, rhs = false, dash = false
        var initial = 1, value = 0
        let bytes = Array(text.utf8) + [0]
        for c in bytes {
            if c == UInt8(ascii: "-") {
                if dash { return .failure(ListError(message: "invalid byte or character range")) }
                dash = true
                if lhs && value == 0 { return .failure(ListError(message: "fields and positions are numbered from 1")) }
                initial = lhs ? value : 1
                value = 0
            } else if c == UInt8(ascii: ",") || c == 32 || c == 9 || c == 0 {
                if dash {
                    dash = false
                    if !lhs && !rhs { return .failure(ListError(message: "invalid range with no endpoint: -")) }
                    if !rhs {
                        pairs.append(initial...Int.max)
                    } else {
                        if value < initial { return .failure(ListError(message: "invalid decreasing range")) }
                        pairs.append(initial...value)
                    }
                } else {
                    if value == 0 { return .failure(ListError(message: "fields and positions are numbered from 1")) }
                    pairs.append(value...value)
                }
                value = 0
                lhs = false
                rhs = false
            } else if c >= 48 && c <= 57 {
                if dash { rhs = true } else { lhs = true }
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int(c - 48))
                if o1 || o2 || sum == Int.max { return .failure(ListError(message: "byte/character offset is too large")) }
                value = sum
            } else {
                return .failure(ListError(message: "invalid byte/character position '\(text)'"))
            }
        }
        pairs.sort { $0.lowerBound < $1.lowerBound }
        var merged: Ranges = []
        for pair in pairs {
            if let last = merged.last, pair.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, pair.upperBound)
            } else {
                merged.append(pair)
            }
        }
        return .success(merged)
    }

    static func complement(_ ranges: Ranges) -> Ranges {
        var out: Ranges = []
        var next = 1
        for r in ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound == Int.max ? Int.max : r.upperBound + 1
        }
        if next < Int.max { out.append(next...Int.max) }
        return out
    }
}
