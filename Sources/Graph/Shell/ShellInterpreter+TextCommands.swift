/// Pipes, here-strings and here-documents feed the pure text commands (``TextCommands``):
/// `$(echo $pkgver | cut -d. -f1-3)` is evaluated in memory instead of needing makepkg.
extension ShellInterpreter {
    /// Runs `argv` as a pure text command; nil when it is not one.
    mutating func textCommand(_ argv: [String], offset: Int) throws -> Int32? {
        guard let implementation = TextCommands.named(argv[0]) else { return nil }
        var invocation = TextInvocation(name: argv[0], arguments: Array(argv.dropFirst()), input: input, budget: work)
        let result: TextOutput
        do {
            result = try implementation(&invocation)
        } catch {
            work = invocation.budget
            switch error {
            case .unsupported(let message):
                report(.unsupported, at: offset, message)
                return 0
            case .budget(let exhausted):
                try budgetExceeded("the command '\(argv[0])'", exhausted, at: offset)
            }
        }
        work = invocation.budget
        if invocation.readInput { input = .text("") }
        if !result.errors.isEmpty, stderrIntoOutput {
            report(.unsupported, at: offset, "\(argv[0]) prints an error ('\(result.errors)') into the output")
            return result.status
        }
        guard let text = String(validating: result.bytes, as: UTF8.self) else {
            report(.unsupported, at: offset, "\(argv[0]) prints bytes that are not UTF-8")
            return result.status
        }
        try write(text)
        return result.status
    }

    /// Runs `body` with `newInput` as its standard input (`<<<`, a here-document, a pipe).
    mutating func withInput(_ newInput: ShellInput?, _ body: (inout ShellInterpreter) throws -> Void) throws {
        guard let newInput else { return try body(&self) }
        let saved = input
        input = newInput
        defer { input = saved }
        try body(&self)
    }

    /// The input a redirection gives a command, nil when it gives none.
    mutating func inputRedirection(_ redirection: Redirection, target: String) -> ShellInput? {
        if let fd = redirection.fd, fd != 0 { return nil }
        switch redirection.op {
        case "<<<":
            return .text(target + "\n")
        case "<<", "<<-":
            let body = redirection.hereDocument ?? ""
            let quoted = redirection.target?.parts.contains { if case .literal = $0 { false } else { true } } ?? false
            // an unquoted body is expanded like a double-quoted word; without `$`, `` ` ``
            // or `\` that changes nothing
            if quoted || !body.contains(where: { $0 == "$" || $0 == "`" || $0 == "\\" }) { return .text(body) }
            return .unknown("an unquoted here-document with expansions")
        case "<", "<>":
            return .unknown("the file '\(target)'")
        default:
            return nil
        }
    }
}
