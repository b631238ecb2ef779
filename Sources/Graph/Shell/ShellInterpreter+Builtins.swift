/// The builtins a PKGBUILD may run at its top level that have no effect outside the
/// shell, so evaluating them in memory is exactly what bash would do.
extension ShellInterpreter {
    /// Runs `argv` as a builtin; nil when it is not one we evaluate.
    mutating func builtin(_ argv: [String], declarationArguments: [Int: Assignment], offset: Int) throws -> Int32? {
        let args = Array(argv.dropFirst())
        switch argv[0] {
        case ":", "true": return 0
        case "false": return 1
        case "echo": return try echo(args)
        case "printf": return try printfBuiltin(args, offset: offset)
        case "declare", "typeset", "local", "export", "readonly":
            return try declare(argv[0], args, declarationArguments: declarationArguments, offset: offset)
        case "unset": return try unsetBuiltin(args)
        case "eval": return try eval(args.joined(separator: " "), offset: offset)
        case "test": return try testBuiltin(args, offset: offset)
        case "[":
            guard args.last == "]" else {
                report(.syntax, at: offset, "'[' without its closing ']'")
                return 2
            }
            return try testBuiltin(Array(args.dropLast()), offset: offset)
        case "let":
            var status: Int32 = 1
            for expression in args { status = try arithmetic(expression, offset: offset) != 0 ? 0 : 1 }
            return status
        case "shift":
            let n = args.first.flatMap { Int($0) } ?? 1
            if n < 0 || n > positional.count { return 1 }
            positional.removeFirst(n)
            return 0
        case "set":
            if let dash = args.firstIndex(of: "--") { positional = Array(args[(dash + 1)...]) }
            return 0
        case "shopt", "umask": return 0
        case "return":
            throw ControlFlow.returnFunction(Int32(truncatingIfNeeded: args.first.flatMap { Int($0) } ?? Int(decidingStatus())))
        case "exit":
            throw ControlFlow.exit(Int32(truncatingIfNeeded: args.first.flatMap { Int($0) } ?? Int(decidingStatus())))
        case "break": throw ControlFlow.breakLoop(max(1, args.first.flatMap { Int($0) } ?? 1))
        case "continue": throw ControlFlow.continueLoop(max(1, args.first.flatMap { Int($0) } ?? 1))
        case "read": return try readBuiltin(args, offset: offset)
        case "in_opt_array": return Self.optionState(args.first ?? "", in: args.dropFirst())
        case "check_opt_array": return Self.checkOption(args)
        case "check_option": return Self.checkOption(args + optionArrays(["OPTIONS", "options"]))
        case "check_buildenv": return Self.checkOption(args + optionArrays(["BUILDENV"]))
        case "check_buildoption": return Self.checkOption(args + optionArrays(["BUILDENV", "options"]))
        default:
            if Self.printingHelpers.contains(argv[0]) { return 0 }
            return nil
        }
    }

    // makepkg's option helpers (util/option.sh), which a PKGBUILD may call while makepkg
    // sources it: they only read arrays

    /// `in_opt_array NEEDLE OPTION...`: the last of NEEDLE and !NEEDLE decides; 0 when it
    /// is enabled, 1 when disabled, 127 when neither is there.
    static func optionState(_ needle: String, in options: ArraySlice<String>) -> Int32 {
        for option in options.reversed() {
            if option == needle { return 0 }
            if option == "!" + needle { return 1 }
        }
        return 127
    }

    /// `check_opt_array OPTION EXPECTED OPTION...`: whether the option is as EXPECTED
    /// (`y` or `n`), 127 when the arrays do not name it.
    static func checkOption(_ args: [String]) -> Int32 {
        let expected = args.count > 1 ? args[1] : ""
        switch optionState(args.first ?? "", in: args.dropFirst(2)) {
        case 0: return expected == "y" ? 0 : 1
        case 1: return expected == "n" ? 0 : 1
        default: return 127
        }
    }

    /// `"${NAME[@]}"` of each of `names`, one after the other.
    func optionArrays(_ names: [String]) -> [String] { names.flatMap { variables.value($0)?.allValues ?? [] } }

    mutating func write(_ text: String) throws {
        try pay(text.utf8.count, for: "output", at: currentOffset)
        guard !captures.isEmpty else {
            // makepkg's own standard output: `makepkg --printsrcinfo` prints it first
            if printed.utf8.count + text.utf8.count > Self.printedLimit {
                report(.unsupported, at: currentOffset, "prints over \(Self.printedLimit >> 10) KiB while makepkg sources it")
                return
            }
            printed += text
            return
        }
        if captures[captures.count - 1].utf8.count + text.utf8.count > ShellBudget.valueLimit {
            report(.unsupported, at: currentOffset, ShellBudget.tooLarge("a command substitution's output",
                                                                         bytes: captures[captures.count - 1].utf8.count + text.utf8.count),
                   always: true)
            throw ControlFlow.abort
        }
        captures[captures.count - 1] += text
    }

    mutating func echo(_ args: [String]) throws -> Int32 {
        var args = args[...]
        var newline = true, escapes = false
        while let flag = args.first, flag.count > 1, flag.hasPrefix("-"), flag.dropFirst().allSatisfy({ "neE".contains($0) }) {
            for c in flag.dropFirst() {
                if c == "n" { newline = false } else { escapes = c == "e" }
            }
            args = args.dropFirst()
        }
        var text = args.joined(separator: " ")
        if escapes {
            let (decoded, stop) = ShellPrintf.decodeEscapes(text, stopAtC: true)
            text = decoded
            if stop { newline = false }
        }
        try write(newline ? text + "\n" : text)
        return 0
    }

    mutating func printfBuiltin(_ args: [String], offset: Int) throws -> Int32 {
        var args = args[...]
        var target: String?
        if args.first == "-v", args.count >= 2 {
            target = args[args.startIndex + 1]
            args = args.dropFirst(2)
        }
        if args.first == "--" { args = args.dropFirst() }
        guard let format = args.first else {
            report(.syntax, at: offset, "printf: usage: printf [-v var] format [arguments]")
            return 2
        }
        let output: String
        do {
            output = try ShellPrintf.format(format, Array(args.dropFirst()))
        } catch let e as ShellPrintf.Failure {
            report(.unsupported, at: offset, "printf: \(e.message)", always: e.overBudget)
            if e.overBudget { throw ControlFlow.abort }
            return 1
        }
        if let target {
            try pay(output.utf8.count, for: "printf -v", at: offset)
            if target.contains("[") {
                var parser = ShellParser(target + "=" )
                if let assignment = try? parser.parseAssignmentIfPresent(), let key = assignment.index {
                    try assignElement(assignment.name, key: key, value: output, append: false, offset: offset)
                    return 0
                }
            }
            assign(target, .scalar(output), offset: offset)
        } else {
            try write(output)
        }
        return 0
    }

    /// `declare`, `local`, `typeset`, `export`, `readonly`: attributes and assignments.
    /// Like bash, `declare` and `local` inside a function make locals of it (a PKGBUILD
    /// is sourced inside makepkg's `source_safe` function, so its top level is one).
    mutating func declare(_ command: String, _ args: [String], declarationArguments: [Int: Assignment], offset: Int) throws -> Int32 {
        var flags = Set<Character>()
        var names: [(Int, String)] = []
        var optionsDone = false
        for (i, arg) in args.enumerated() {
            if declarationArguments[i + 1] != nil { names.append((i + 1, "")); continue }
            if !optionsDone, arg == "--" { optionsDone = true; continue }
            if !optionsDone, arg.count > 1, arg.hasPrefix("-") || arg.hasPrefix("+") {
                // `+x` removes an attribute: nothing a PKGBUILD's values depend on
                if arg.hasPrefix("-") { flags.formUnion(arg.dropFirst()) }
                continue
            }
            names.append((i + 1, arg))
        }
        if flags.contains("f") || flags.contains("F") {
            var status: Int32 = 0
            for (_, name) in names {
                guard let function = functions[name] else { status = 1; continue }
                if !flags.contains("F") { try write("\(name) () \n\(function.bodyText)\n") } else { try write(name + "\n") }
            }
            return status
        }
        if flags.contains("p") {
            report(.unsupported, at: offset, "\(command) -p prints declarations")
            return 0
        }
        if flags.contains("n") {
            report(.unsupported, at: offset, "\(command) -n (a name reference) is not evaluated by the reader")
            return 0
        }
        let makeLocal = (command == "local" || command == "declare" || command == "typeset")
            && !flags.contains("g") && variables.scopes.count > 1
        if command == "local" && variables.scopes.count == 1 {
            report(.syntax, at: offset, "local: can only be used in a function")
            return 1
        }
        for (index, text) in names {
            if let assignment = declarationArguments[index] {
                prepareDeclaration(assignment.name, flags: flags, local: makeLocal)
                try perform(assignment, local: makeLocal)
                finishDeclaration(assignment.name, flags: flags)
                continue
            }
            let name: String, value: String?
            if let eq = text.firstIndex(of: "=") {
                name = String(text[..<eq])
                value = String(text[text.index(after: eq)...])
            } else {
                name = text
                value = nil
            }
            var plain = name
            var append = false
            if plain.hasSuffix("+") { plain.removeLast(); append = true }
            guard Self.isName(plain) else {
                report(.syntax, at: offset, "\(command): '\(text)': not a valid identifier")
                continue
            }
            prepareDeclaration(plain, flags: flags, local: makeLocal)
            if let value {
                if append { appendScalar(plain, value, offset: offset) } else { assign(plain, .scalar(value), offset: offset, local: makeLocal) }
            }
            finishDeclaration(plain, flags: flags)
        }
        return 0
    }

    /// Creates the variable in the right scope with its array kind before a value arrives.
    mutating func prepareDeclaration(_ name: String, flags: Set<Character>, local: Bool) {
        let at = assignmentOffset(0)
        let setKind: (inout ShellVariable) -> Void = { variable in
            // declared by the PKGBUILD (`declare -p` sees it), value or not
            if variable.assignedAt == nil { variable.assignedAt = at }
            if flags.contains("A") {
                variable.isAssociative = true
                if variable.value == nil { variable.value = .associative(AssociativeArray()) }
            }
            if flags.contains("a") {
                variable.isIndexedArray = true
                if variable.value == nil { variable.value = .indexed(IndexedArray()) }
            }
            if flags.contains("i") { variable.isInteger = true }
        }
        if local {
            if variables.scopes[variables.scopes.count - 1][name] == nil {
                variables.declareLocal(name) { _ in }
            }
            variables.declareLocal(name, setKind)
        } else {
            variables.update(name, setKind)
        }
    }

    mutating func finishDeclaration(_ name: String, flags: Set<Character>) {
        if flags.contains("r") { variables.update(name) { $0.isReadonly = true } }
    }

    mutating func unsetBuiltin(_ args: [String]) throws -> Int32 {
        var functionsOnly = false
        for arg in args {
            if arg == "-f" { functionsOnly = true; continue }
            if arg == "-v" { functionsOnly = false; continue }
            if functionsOnly { functions[arg] = nil; continue }
            if let open = arg.firstIndex(of: "["), arg.hasSuffix("]") {
                let name = String(arg[..<open])
                let key = String(arg[arg.index(after: open)..<arg.index(before: arg.endIndex)])
                var moved = 0
                variables.update(name) { variable in
                    if var a = variable.takeIndexed() {
                        if let i = Int(key) { moved = a.remove(i < 0 ? a.nextIndex + i : i) }
                        variable.value = .indexed(a)
                    } else if var a = variable.takeAssociative() {
                        moved = a.remove(key)
                        variable.value = .associative(a)
                    }
                }
                try pay(moved, for: "unset \(name)[...]", at: currentOffset)
            } else if variables.variable(arg)?.isReadonly != true {
                variables.unset(arg)
            } else if functions[arg] != nil {
                functions[arg] = nil
            }
        }
        return 0
    }

    /// `eval TEXT`: the text is parsed and run here; diagnostics point at the eval.
    mutating func eval(_ text: String, offset: Int) throws -> Int32 {
        let savedOrigin = originOverride
        originOverride = originOverride ?? offset
        defer { originOverride = savedOrigin }
        try pay(text.utf8.count, for: "eval", at: offset)
        var parser = ShellParser(text)
        lastStatus = 0
        while true {
            do {
                guard let command = try parser.nextCommand() else { break }
                try execute(command)
            } catch let e as ShellSyntaxError {
                report(.syntax, at: offset, "in eval: \(e.message)")
                return 1
            }
        }
        // eval's status is its last command's: one the reader does not know is read here
        return decidingStatus()
    }

    /// The interpreter's variables as the arithmetic evaluator sees them.
    func scalarValue(_ name: String) -> String? { variables.value(name)?.scalarValue }

    mutating func assignScalar(_ name: String, _ value: String) { assign(name, .scalar(value), offset: 0) }
}
