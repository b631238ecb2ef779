/// coreutils' `basename` and `dirname`: string operations on file names (gnulib's
/// `base_name` and `dir_len`), nothing is looked up.
enum PathNames {
    static func basename(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        let spec = TextOptions(short: "as:z", long: [
            .init(name: "multiple", argument: .none, key: "a"),
            .init(name: "suffix", argument: .required, key: "s"),
            .init(name: "zero", argument: .none, key: "z"),
        ])
        let options: TextOptions.Parsed
        switch try call.options(spec) {
        case .success(let o): options = o
        case .failure(let e): return .failure(1, "basename: \(e.message)")
        }
        let suffixOption = options.last("s")
        let multiple = options.has("a") || suffixOption != nil
        var operands = options.operands
        guard !operands.isEmpty else { return .failure(1, "basename: missing operand") }
        var suffix = suffixOption
        if !multiple {
            guard operands.count <= 2 else { return .failure(1, "basename: extra operand '\(operands[2])'") }
            if operands.count == 2 { suffix = operands[1] }
            operands = [operands[0]]
        }
        let terminator = options.has("z") ? "\0" : "\n"
        var out = ""
        for name in operands {
            try call.pay(name.utf8.count + 1)
            out += base(name, suffix: suffix) + terminator
        }
        return TextOutput(bytes: Array(out.utf8))
    }

    static func dirname(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        let spec = TextOptions(short: "z", long: [.init(name: "zero", argument: .none, key: "z")])
        let options: TextOptions.Parsed
        switch try call.options(spec) {
        case .success(let o): options = o
        case .failure(let e): return .failure(1, "dirname: \(e.message)")
        }
        guard !options.operands.isEmpty else { return .failure(1, "dirname: missing operand") }
        let terminator = options.has("z") ? "\0" : "\n"
        var out = ""
        for name in options.operands {
            try call.pay(name.utf8.count + 1)
            out += directory(name) + terminator
        }
        return TextOutput(bytes: Array(out.utf8))
    }

    /// The last component without trailing slashes, and without `suffix` unless that is
    /// all of it; `/` for a name of slashes.
    static func base(_ name: String, suffix: String?) -> String {
        let bytes = Array(name.utf8)
        if bytes.isEmpty { return "" }
        var end = bytes.count
        while end > 0, bytes[end - 1] == 47 { end -= 1 }
        if end == 0 { return "/" }
        var start = end
        while start > 0, bytes[start - 1] != 47 { start -= 1 }
        var result = Array(bytes[start..<end])
        if let suffix, !suffix.isEmpty {
            let s = Array(suffix.utf8)
            if s.count < result.count, result.suffix(s.count).elementsEqual(s) { result.removeLast(s.count) }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// gnulib's `mdir_name`: the name without its last component and the slashes before
    /// it; `.` when nothing is left, `/` for the root.
    static func directory(_ name: String) -> String {
        let bytes = Array(name.utf8)
        let prefix = bytes.first == 47 ? 1 : 0
        // gnulib's last_component: after the leading slashes, the last run that follows a slash
        var base = 0
        while base < bytes.count, bytes[base] == 47 { base += 1 }
        var lastWasSlash = false
        for i in base..<bytes.count {
            if bytes[i] == 47 { lastWasSlash = true } else if lastWasSlash { base = i; lastWasSlash = false }
        }
        var length = base
        while prefix < length, bytes[length - 1] == 47 { length -= 1 }
        if length == 0 { return "." }
        return String(decoding: bytes[..<length], as: UTF8.self)
    }
}
