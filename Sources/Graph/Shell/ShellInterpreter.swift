/// Evaluates the bash subset of PKGBUILDs without executing anything.
///
/// Assignments, arrays, expansions, conditions, loops, `case`, functions and the pure
/// builtins (`echo`, `printf`, `declare`, `eval`, `test`, ...) are evaluated in memory.
/// Whatever would need a real shell (an external command, `source`, a file test, reading
/// input) is not run: it is recorded as an `unsupported` diagnostic, which makes the
/// result need the sandboxed makepkg fallback, and evaluation goes on.
struct ShellInterpreter {
    var variables = ShellScopes()
    var functions: [String: FunctionDefinition] = [:]
    var positional: [String] = []
    var lastStatus: Int32 = 0 { didSet { unknownStatus = nil } }
    /// Why `lastStatus` is unknown: the held-back diagnostics of the assignment that set
    /// it (``ShellInterpreter+UnknownValues``); nil when it is bash's.
    var unknownStatus: [ShellDiagnostic]?
    /// Variables whose values came from commands the reader could not run, with the
    /// diagnostics held back until something reads them.
    var unknownValues: [String: UnknownValue] = [:]
    /// Whether assignments hold such diagnostics back: only while sourcing the PKGBUILD.
    var deferUnknownValues = false
    /// makepkg's environment (makepkg.conf and its own variables): never held back.
    var environmentVariables: [String: ShellVariable] = [:]
    /// Every diagnostic reported while deferring, with its substitution depth.
    var diagnosticLog: [LoggedDiagnostic] = []
    var diagnosticLogFull = false
    /// Command substitutions being run, one inside the other.
    var substitutionDepth = 0
    var diagnostics: [ShellDiagnostic] = []
    /// `unsupported` diagnostics past ``diagnosticLimit``, counted, not kept.
    var unreported = 0
    /// Set by every `unsupported` report: what ran since it was cleared did something
    /// only a shell can, so its status is not bash's (a loop condition clears and reads it).
    var unfaithful = false
    /// Output of `echo`/`printf` while a command substitution captures it.
    var captures: [String] = []
    /// What was printed to makepkg's standard output (a top-level `echo`), up to
    /// ``printedLimit`` bytes.
    var printed = ""
    static let printedLimit = 64 << 10
    /// What the command being run reads on its standard input (a pipe, `<<<`, ...).
    var input: ShellInput = .inherited
    /// Whether stderr goes where stdout goes (`2>&1`) for the command being run.
    var stderrIntoOutput = false
    /// Commands left; loops that do not end run into it (the message of
    /// ``tooManySteps(at:)`` names the number).
    var budget = ShellInterpreter.commandLimit
    /// The commands one PKGBUILD may run.
    static let commandLimit = 50_000
    /// The work and time this PKGBUILD may still cost (``ShellBudget``).
    var work = ShellBudget()
    /// Whether running out of `work` has been reported (once is enough).
    var workExhausted = false
    /// The offset of the command being run, for diagnostics of work no word owns.
    var currentOffset = 0
    /// How sourcing the text ended, for makepkg's `source_safe`: set by ``run(_:)``.
    var sourceEnd: SourceEnd = .completed
    /// Command substitutions run so far (an assignment's status is its last one's).
    var substitutions = 0
    /// Set while running text that is not the PKGBUILD's own (eval, declare -f): the
    /// offset of the command that brought it, so diagnostics still point into the file.
    var originOverride: Int?
    var functionDepth = 0
    /// Names of the makepkg helpers (`msg`, `warning`, ...) that only print.
    static let printingHelpers: Set<String> = ["msg", "msg2", "warning", "error", "plain", "plainerr"]

    init() {}

    // MARK: running text

    /// Parses and runs `text` one top-level command at a time, as `source` does. A syntax
    /// error stops it (bash gives up on the rest of the file) after what came before ran.
    mutating func run(_ text: String) {
        var parser = ShellParser(text)
        sourceEnd = .completed
        while true {
            do {
                guard let command = try parser.nextCommand() else { return }
                try execute(command)
            } catch let e as ShellSyntaxError {
                diagnostics.append(ShellDiagnostic(offset: originOverride ?? e.offset, kind: .syntax, message: e.message))
                sourceEnd = .stopped
                return
            } catch let flow as ControlFlow {
                switch flow {
                case .exit(let status):
                    // `exit` in a sourced file ends the shell that sources it: makepkg
                    sourceEnd = .exited(status: status, offset: currentOffset)
                case .returnFunction(let status):
                    // `return` at the top level of a sourced file ends the file with its status
                    lastStatus = status
                case .abort:
                    sourceEnd = .stopped
                case .breakLoop, .continueLoop:
                    continue
                }
                return
            } catch {
                sourceEnd = .stopped
                return
            }
        }
    }

    /// How running a sourced text ended.
    enum SourceEnd: Equatable {
        /// It ran to its end (or a top-level `return`): `lastStatus` is `source`'s status.
        case completed
        /// A top-level `exit` ended the shell, at the offset of the command that ran it.
        case exited(status: Int32, offset: Int)
        /// A syntax error or the interpreter giving up stopped it.
        case stopped
    }

    // MARK: budget

    /// Pays `units` of work for `construct`; past the budget the PKGBUILD gets one
    /// diagnostic naming the construct and the budget, and evaluation stops.
    mutating func pay(_ units: Int, for construct: @autoclosure () -> String, at offset: Int) throws {
        do {
            try work.spend(units)
        } catch {
            try budgetExceeded(construct(), error, at: offset)
        }
    }

    /// Runs `body` (a pattern or regular expression match) on the budget.
    mutating func metered<T>(_ construct: @autoclosure () -> String, at offset: Int,
                             _ body: (inout ShellBudget) throws -> T) throws -> T {
        do {
            return try body(&work)
        } catch let error as ShellBudget.Exhausted {
            try budgetExceeded(construct(), error, at: offset)
        }
    }

    /// Reports the exhausted budget once and stops evaluation.
    mutating func budgetExceeded(_ construct: String, _ error: ShellBudget.Exhausted, at offset: Int) throws -> Never {
        if !workExhausted {
            workExhausted = true
            report(.unsupported, at: offset, work.exceeded(by: construct, error), always: true)
        }
        throw ControlFlow.abort
    }

    /// The command budget (``budget``) ran out: one diagnostic, and evaluation stops.
    mutating func tooManySteps(at offset: Int) throws -> Never {
        report(.unsupported, at: offset, "evaluation stopped after too many steps (\(Self.commandLimit) commands: a loop that does not end?)", always: true)
        throw ControlFlow.abort
    }

    // MARK: commands

    mutating func execute(_ commands: [ShellCommand]) throws {
        for command in commands { try execute(command) }
    }

    mutating func execute(_ command: ShellCommand) throws {
        budget -= 1
        if budget < 0 { try tooManySteps(at: currentOffset) }
        try pay(1, for: "evaluation", at: currentOffset)
        switch command {
        case .simple(let simple):
            try executeSimple(simple)
        case .pipeline(let commands, let negated, _):
            if commands.count == 1 {
                try execute(commands[0])
            } else {
                // each command of a pipeline runs in a subshell: `exit` ends only that one
                let saved = (variables, positional, input)
                defer { input = saved.2 }
                for (i, c) in commands.enumerated() {
                    if i < commands.count - 1 { captures.append("") }
                    let unfaithfulBefore = unfaithful
                    unfaithful = false
                    do { try execute(c) } catch ControlFlow.exit(let status) { lastStatus = status }
                    let unknownOutput = unfaithful
                    unfaithful = unfaithful || unfaithfulBefore
                    // what a command printed is the next one's standard input; what a command
                    // the reader could not run printed is unknown (`ninja -t targets | while read`)
                    if i < commands.count - 1 {
                        let output = captures.popLast() ?? ""
                        input = unknownOutput ? .unknown("the output of a command the reader cannot run") : .text(output)
                    }
                }
                (variables, positional) = (saved.0, saved.1)
            }
            if negated { lastStatus = decidingStatus() == 0 ? 1 : 0 }
        case .andOr(let first, let rest):
            try execute(first)
            for (op, next) in rest {
                if (op == .and) == (decidingStatus() == 0) { try execute(next) }
            }
        case .ifClause(let branches, let elseBody):
            for branch in branches {
                try execute(branch.condition)
                if decidingStatus() == 0 { try execute(branch.body); return }
            }
            if let elseBody { try execute(elseBody) } else { lastStatus = 0 }
        case .forIn(let name, let words, let body, _):
            var items = positional
            if let words {
                items = []
                for word in words { items.append(contentsOf: try expandFields(word)) }
            }
            lastStatus = 0
            loop: for item in items {
                assign(name, .scalar(item), offset: 0)
                do { try execute(body) } catch let flow as ControlFlow {
                    switch flow {
                    case .breakLoop(let n): if n > 1 { throw ControlFlow.breakLoop(n - 1) }; break loop
                    case .continueLoop(let n): if n > 1 { throw ControlFlow.continueLoop(n - 1) }; continue loop
                    default: throw flow
                    }
                }
            }
        case .forArithmetic(let initial, let test, let step, let body, let offset):
            _ = try arithmetic(initial, offset: offset)
            loop: while try test.allSatisfy(\.isWhitespace) || arithmetic(test, offset: offset) != 0 {
                budget -= 1
                if budget < 0 { try tooManySteps(at: offset) }
                do { try execute(body) } catch let flow as ControlFlow {
                    switch flow {
                    case .breakLoop(let n): if n > 1 { throw ControlFlow.breakLoop(n - 1) }; break loop
                    case .continueLoop(let n): if n > 1 { throw ControlFlow.continueLoop(n - 1) }
                    default: throw flow
                    }
                }
                _ = try arithmetic(step, offset: offset)
            }
        case .whileLoop(let condition, let body, let until):
            // the status of the last body command run, or 0 when none ran
            var status: Int32 = 0
            var statusUnknown: [ShellDiagnostic]?
            defer { lastStatus = status; unknownStatus = statusUnknown }
            loop: while true {
                unfaithful = false
                try execute(condition)
                let conditionStatus = decidingStatus()
                // the condition did something only a shell can (`... | while read x`, a file
                // test): its status is unknown, so is the loop's course; the PKGBUILD needs
                // the fallback already, and spinning to the command budget tells nothing more
                if unfaithful { break }
                if (conditionStatus == 0) == until { break }
                defer { status = lastStatus; statusUnknown = unknownStatus }
                do { try execute(body) } catch let flow as ControlFlow {
                    switch flow {
                    case .breakLoop(let n): if n > 1 { throw ControlFlow.breakLoop(n - 1) }; break loop
                    case .continueLoop(let n): if n > 1 { throw ControlFlow.continueLoop(n - 1) }
                    default: throw flow
                    }
                }
            }
        case .caseClause(let subject, let items):
            try executeCase(subject: subject, items: items)
        case .group(let body):
            try execute(body)
        case .subshell(let body):
            let saved = (variables, positional, functions)
            defer { (variables, positional, functions) = saved }
            do { try execute(body) } catch ControlFlow.exit(let status) { lastStatus = status }
        case .conditional(let tokens, let offset):
            lastStatus = try evaluateConditional(tokens, offset: offset) ? 0 : 1
        case .arithmetic(let text, let offset):
            lastStatus = try arithmetic(text, offset: offset) != 0 ? 0 : 1
        case .function(var definition):
            if let originOverride { definition.offset = originOverride }
            functions[definition.name] = definition
            lastStatus = 0
        case .redirected(let inner, let redirections):
            try withRedirections(redirections, offset: 0) { try $0.execute(inner) }
        }
    }

    mutating func executeCase(subject: ShellWord, items: [CaseItem]) throws {
        let value = try expandString(subject)
        lastStatus = 0
        var index = 0
        var fallingThrough = false
        while index < items.count {
            let item = items[index]
            var matched = fallingThrough
            if !matched {
                for pattern in item.patterns {
                    let text = try expandPattern(pattern)
                    if try metered("the case pattern '\(text)'", at: pattern.offset, { try ShellPattern(text).matches(value, budget: &$0) }) {
                        matched = true
                        break
                    }
                }
            }
            if matched {
                try execute(item.body)
                switch item.terminator {
                case .stop: return
                case .fallThrough: fallingThrough = true
                case .testNext: fallingThrough = false
                }
            }
            index += 1
        }
    }

    mutating func executeSimple(_ command: SimpleCommand) throws {
        currentOffset = originOverride ?? command.offset
        var argv: [String] = []
        var declarationArguments: [Int: Assignment] = [:]
        for (i, word) in command.words.enumerated() {
            if let assignment = command.declarationAssignments[i] {
                declarationArguments[argv.count] = assignment
                argv.append("")
            } else {
                argv.append(contentsOf: try expandFields(word))
            }
        }
        if argv.isEmpty {
            // an assignment's status is its last command substitution's, else 0
            let before = substitutions
            for assignment in command.assignments { try perform(assignment) }
            if command.assignments.isEmpty || command.words.isEmpty == false || substitutions == before { lastStatus = 0 }
            if !command.redirections.isEmpty {
                try withRedirections(command.redirections, offset: command.offset) { _ in }
            }
            return
        }
        var temporaryScope: Int?
        defer { if let temporaryScope { variables.scopes.removeSubrange(temporaryScope...) } }
        if !command.assignments.isEmpty {
            if Self.declarationBuiltins.contains(argv[0]) {
                // `A=1 declare x`: evaluated for their diagnostics and dropped
                let saved = variables
                for assignment in command.assignments { try perform(assignment) }
                variables = saved
            } else {
                // Assignments before a command apply to that command only, as bash's
                // temporary environment does: `IFS=. read -ra v`, `LC_ALL=C f`. They go to
                // a scope of their own, which goes away after the command with them alone:
                // what the command assigns itself (`read`'s names, a function's globals) stays.
                variables.scopes.append([:])
                temporaryScope = variables.scopes.count - 1
                for assignment in command.assignments {
                    variables.scopes[variables.scopes.count - 1][assignment.name] = variables.variable(assignment.name) ?? ShellVariable()
                    try perform(assignment)
                }
            }
        }
        try withRedirections(command.redirections, offset: command.offset) { shell in
            try shell.invoke(argv, declarationArguments: declarationArguments, offset: command.offset)
        }
    }

    static let declarationBuiltins: Set<String> = ["declare", "typeset", "local", "export", "readonly"]

    /// Runs `body` with the command's redirections: output sent to a file or stderr is
    /// not captured; reading a file or writing one is something only a shell can do.
    mutating func withRedirections(_ redirections: [Redirection], offset: Int,
                                   _ body: (inout ShellInterpreter) throws -> Void) throws {
        var discardOutput = false
        var newInput: ShellInput?
        let savedStderr = stderrIntoOutput
        defer { stderrIntoOutput = savedStderr }
        for redirection in redirections {
            let target = try redirection.target.map { try expandString($0) } ?? ""
            // `2>/dev/null` leaves stdout alone
            let stdout = redirection.fd == nil || redirection.fd == 1 || redirection.op.hasPrefix("&")
            switch redirection.op {
            case ">", ">>", ">|", "&>", "&>>":
                if target != "/dev/null" {
                    report(.unsupported, at: redirection.target?.offset ?? offset, "writes to the file '\(target)'")
                }
                if stdout { discardOutput = true }
                if redirection.fd == 2 { stderrIntoOutput = false }
            case ">&":
                if target == "2", stdout { discardOutput = true }
                if target == "1", redirection.fd == 2, !discardOutput { stderrIntoOutput = true }
            case "<", "<>":
                report(.unsupported, at: redirection.target?.offset ?? offset, "reads the file '\(target)'")
            default:
                break
            }
            newInput = inputRedirection(redirection, target: target) ?? newInput
        }
        try withInput(newInput) { shell in
            if discardOutput {
                shell.captures.append("")
                defer { _ = shell.captures.popLast() }
                try body(&shell)
            } else {
                try body(&shell)
            }
        }
    }

    /// Calls a function, a builtin, or reports a command that would need a real shell.
    mutating func invoke(_ argv: [String], declarationArguments: [Int: Assignment] = [:], offset: Int) throws {
        let name = argv[0]
        if let function = functions[name] {
            try call(function, arguments: Array(argv.dropFirst()))
            return
        }
        if let status = try builtin(argv, declarationArguments: declarationArguments, offset: offset) {
            lastStatus = status
            return
        }
        if let status = try textCommand(argv, offset: offset) {
            lastStatus = status
            return
        }
        report(.unsupported, at: offset, "runs the command '\(name)'")
        lastStatus = 0
    }

    mutating func call(_ function: FunctionDefinition, arguments: [String]) throws {
        functionDepth += 1
        defer { functionDepth -= 1 }
        if functionDepth > 100 {
            report(.unsupported, at: function.offset, "function '\(function.name)' recurses too deeply", always: true)
            throw ControlFlow.abort
        }
        let savedPositional = positional
        positional = arguments
        variables.scopes.append([:])
        defer {
            variables.scopes.removeLast()
            positional = savedPositional
        }
        do {
            try execute(function.body)
        } catch ControlFlow.returnFunction(let status) {
            lastStatus = status
        }
    }

    // MARK: assignments

    mutating func perform(_ assignment: Assignment, local: Bool = false) throws {
        switch assignment.value {
        case .scalar(let word):
            if deferUnknownValues, assignment.index == nil {
                try performDeferring(assignment, word: word, local: local)
                return
            }
            let value = try expandString(word)
            if let index = assignment.index {
                try assignElement(assignment.name, key: index, value: value, append: assignment.append, offset: assignment.offset)
            } else if assignment.append {
                appendScalar(assignment.name, value, offset: assignment.offset)
            } else {
                assign(assignment.name, .scalar(value), offset: assignment.offset, local: local)
            }
        case .array(let elements):
            try assignArray(assignment.name, elements: elements, append: assignment.append, offset: assignment.offset, local: local)
            // a whole new array in the scope of an unknown value makes it known again
            if !assignment.append { forgetUnknownValue(assignment.name, local: local) }
        }
    }

    mutating func assign(_ name: String, _ value: ShellValue, offset: Int, local: Bool = false) {
        let at = assignmentOffset(offset)
        let update: (inout ShellVariable) -> Void = { variable in
            if variable.isReadonly { return }
            variable.assignedAt = at
            if case .scalar(let s) = value {
                // `a=s` on an array sets its element 0, in place
                if var array = variable.takeIndexed() {
                    array.set(0, s)
                    variable.value = .indexed(array)
                    return
                }
                if var array = variable.takeAssociative() {
                    array.set("0", s)
                    variable.value = .associative(array)
                    return
                }
                if variable.isIndexedArray {
                    variable.value = .indexed(IndexedArray([s]))
                    return
                }
            }
            variable.value = value
        }
        if local { variables.declareLocal(name, update) } else { variables.update(name, update) }
    }

    mutating func appendScalar(_ name: String, _ value: String, offset: Int) {
        let at = assignmentOffset(offset)
        variables.update(name) { variable in
            variable.assignedAt = at
            if var array = variable.takeIndexed() {
                array.set(0, (array[0] ?? "") + value)
                variable.value = .indexed(array)
            } else if var array = variable.takeAssociative() {
                array.set("0", (array["0"] ?? "") + value)
                variable.value = .associative(array)
            } else if case .scalar(let s)? = variable.value {
                variable.value = .scalar(s + value)
            } else {
                variable.value = .scalar(value)
            }
        }
    }

    /// `name[key]=value` (`+=` when `append`): the array changed in place, the elements
    /// an insertion moves paid for.
    mutating func assignElement(_ name: String, key: ShellWord, value: String, append: Bool, offset: Int) throws {
        if variables.variable(name)?.isAssociative == true {
            let k = try expandString(key)
            variables.update(name) { variable in
                var array = variable.takeAssociative() ?? AssociativeArray()
                array.set(k, (append ? array[k] ?? "" : "") + value)
                variable.value = .associative(array)
            }
            return
        }
        let index = try arithmetic(try expandString(key), offset: offset)
        let at = assignmentOffset(offset)
        var moved = 0
        variables.update(name) { variable in
            var array = IndexedArray()
            if let a = variable.takeIndexed() {
                array = a
            } else if case .scalar(let s)? = variable.value {
                array.set(0, s)
            }
            let i = index < 0 ? index + array.nextIndex : index
            moved = array.set(i, (append ? array[i] ?? "" : "") + value)
            variable.value = .indexed(array)
            variable.assignedAt = at
        }
        try pay(moved, for: "the assignment to \(name)[...]", at: offset)
    }

    mutating func assignArray(_ name: String, elements: [ArrayElement], append: Bool, offset: Int, local: Bool = false) throws {
        let isAssociative = variables.variable(name)?.isAssociative == true
        if isAssociative {
            var array = AssociativeArray()
            if append, case .associative(let a)? = variables.value(name) { array = a }
            if elements.allSatisfy({ $0.key == nil }) {
                // bash 5.1's key-value list: declare -A a=(k1 v1 k2 v2)
                var words: [String] = []
                for element in elements { words.append(contentsOf: try expandFields(element.value)) }
                var i = 0
                while i < words.count {
                    array.set(words[i], i + 1 < words.count ? words[i + 1] : "")
                    i += 2
                }
                let update: (inout ShellVariable) -> Void = { $0.value = .associative(array) }
                if local { variables.declareLocal(name, update) } else { variables.update(name, update) }
                return
            }
            for element in elements {
                guard let key = element.key else {
                    report(.unsupported, at: element.value.offset, "an associative array element needs a [key]")
                    continue
                }
                let k = try expandString(key)
                array.set(k, (element.append ? array[k] ?? "" : "") + (try expandString(element.value)))
            }
            let update: (inout ShellVariable) -> Void = { $0.value = .associative(array) }
            if local { variables.declareLocal(name, update) } else { variables.update(name, update) }
            return
        }
        if append, !local, elements.allSatisfy({ $0.key == nil }) {
            var fields: [String] = []
            for element in elements { fields.append(contentsOf: try expandFields(element.value)) }
            let at = assignmentOffset(offset)
            variables.update(name) { variable in
                if variable.isReadonly { return }
                variable.assignedAt = at
                var array: IndexedArray
                switch variable.value {
                case .indexed(let a)?:
                    array = a
                    variable.value = nil  // leaves `array` the only owner: appended in place
                case .scalar(let s)?: array = IndexedArray([s])
                default: array = IndexedArray()
                }
                for field in fields { array.append(field) }
                variable.value = .indexed(array)
            }
            return
        }
        // the elements are expanded first (their expansions see the array as it was),
        // then set on the array, in place, the elements insertions move paid for
        enum Step {
            case element(index: Int, value: String, append: Bool)
            case next(String)
        }
        var steps: [Step] = []
        for element in elements {
            if let key = element.key {
                let index = try arithmetic(try expandString(key), offset: offset)
                steps.append(.element(index: index, value: try expandString(element.value), append: element.append))
            } else {
                for field in try expandFields(element.value) { steps.append(.next(field)) }
            }
        }
        let at = assignmentOffset(offset)
        var moved = 0
        // a list of keys in falling order inserts each at the front: stop at the budget
        let allowance = work.remaining
        let previous = local && append ? variables.value(name) : nil
        let update: (inout ShellVariable) -> Void = { variable in
            if variable.isReadonly { return }
            var array = IndexedArray()
            if append {
                if local {
                    if case .indexed(let a)? = previous { array = a } else if case .scalar(let s)? = previous { array.set(0, s) }
                } else if let a = variable.takeIndexed() {
                    array = a
                } else if case .scalar(let s)? = variable.value {
                    array.set(0, s)
                }
            }
            for step in steps where moved <= allowance {
                switch step {
                case .element(var index, let value, let append):
                    if index < 0 { index += array.nextIndex }
                    moved += array.set(index, (append ? array[index] ?? "" : "") + value)
                case .next(let field):
                    array.append(field)
                }
            }
            variable.value = .indexed(array)
            variable.assignedAt = at
        }
        if local { variables.declareLocal(name, update) } else { variables.update(name, update) }
        try pay(moved, for: "the assignment to \(name)", at: offset)
    }

    /// Where an assignment at `offset` (0: unknown) stands, for diagnostics about it.
    func assignmentOffset(_ offset: Int) -> Int { originOverride ?? (offset != 0 ? offset : currentOffset) }

    // MARK: diagnostics

    /// The most `unsupported` diagnostics one PKGBUILD keeps: a loop can run commands
    /// the reader cannot run 50,000 times (the same one at the same place is kept once).
    /// Syntax errors and the budget's diagnostic are always kept (there is at most one
    /// of each before evaluation stops).
    static let diagnosticLimit = 100

    /// Records a diagnostic; its message is cut to ``ShellDiagnostic/messageLimit``.
    /// `always`: the diagnostic of what stops evaluation, kept past the limit.
    mutating func report(_ kind: ShellDiagnostic.Kind, at offset: Int, _ message: String, always: Bool = false) {
        if kind == .unsupported { unfaithful = true }
        let diagnostic = ShellDiagnostic(offset: originOverride ?? offset, kind: kind,
                                         message: ShellDiagnostic.excerpt(message, limit: ShellDiagnostic.messageLimit))
        logDiagnostic(diagnostic)
        // a loop reports the same construct on each pass: once is enough
        if kind == .unsupported, diagnostics.contains(diagnostic) { return }
        if kind == .unsupported, !always, diagnostics.count >= Self.diagnosticLimit {
            unreported += 1
            return
        }
        diagnostics.append(diagnostic)
    }
}

/// Non-local exits of the shell language, and the interpreter giving up.
enum ControlFlow: Error {
    case breakLoop(Int)
    case continueLoop(Int)
    case returnFunction(Int32)
    case exit(Int32)
    case abort
}

/// Something the interpreter could not do like bash, at a byte offset of the text.
struct ShellDiagnostic: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// The text is not valid bash (makepkg would fail to source it too).
        case syntax
        /// Valid bash that needs a real shell: the result may be incomplete.
        case unsupported
    }
    var offset: Int
    var kind: Kind
    var message: String

    /// The longest message kept, in bytes: messages quote values and constructs, and a
    /// value may be megabytes.
    static let messageLimit = 400

    /// `text` cut to at most `limit` bytes (between scalars), with "..." where cut.
    static func excerpt(_ text: String, limit: Int = 60) -> String {
        guard text.utf8.count > limit else { return text }
        var out = String.UnicodeScalarView()
        var bytes = 0
        for c in text.unicodeScalars {
            bytes += UTF8.width(c)
            if bytes > limit { break }
            out.append(c)
        }
        return String(out) + "..."
    }
}
