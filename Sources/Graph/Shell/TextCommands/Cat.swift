/// `cat` of standard input (`-` or no operand): the text unchanged. Its numbering and
/// marking options are unsupported.
enum Cat {
    static func run(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        let spec = TextOptions(short: "AbeEnstTuv", long: [
            .init(name: "show-all", argument: .none, key: "A"),
            .init(name: "number-nonblank", argument: .none, key: "b"),
            .init(name: "show-ends", argument: .none, key: "E"),
            .init(name: "number", argument: .none, key: "n"),
            .init(name: "squeeze-blank", argument: .none, key: "s"),
            .init(name: "show-tabs", argument: .none, key: "T"),
            .init(name: "show-nonprinting", argument: .none, key: "v"),
        ])
        let options: TextOptions.Parsed
        switch try call.options(spec, unevaluated: ["A", "b", "e", "E", "n", "s", "t", "T", "v"]) {
        case .success(let o): options = o
        case .failure(let e): return .failure(1, "cat: \(e.message)")
        }
        return TextOutput(bytes: try call.operandInput(options.operands))
    }
}
