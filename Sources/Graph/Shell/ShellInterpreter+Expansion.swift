/// Word expansion: parameters, command substitution, arithmetic, splitting and quoting,
/// in the order bash applies them. Brace expansion runs first (`BraceExpansion`);
/// pathname expansion is not done (a PKGBUILD's words are taken literally).
extension ShellInterpreter {
    /// A piece of an expanded word, with what bash may still do to it.
    enum Segment {
        /// Unquoted text of the source: kept whole, active in patterns.
        case literal(String)
        /// Quoted text: kept whole, literal in patterns.
        case quoted(String)
        /// The result of an unquoted expansion: split on IFS, active in patterns.
        case expanded(String)
        /// The boundary between two elements of `"${array[@]}"`.
        case fieldBreak
    }

    /// The fields a word expands to, as a command's argument or an array element.
    mutating func expandFields(_ word: ShellWord) throws -> [String] {
        if word.parts.count == 1 {
            // a plain word, 'quoted' or "quoted" without expansions (most array elements)
            // is itself: no braces to expand, nothing to split
            switch word.parts[0] {
            case .literal(let s) where !s.utf8.contains(UInt8(ascii: "{")): return [s]
            case .quoted(let s): return [s]
            case .doubleQuoted(let inner) where inner.count == 1:
                if case .quoted(let s) = inner[0] { return [s] }
            default: break
            }
        }
        var result: [String] = []
        for parts in try braceExpansion(word) {
            // two statements: `fields(from: try segments(...))` would keep a copy of the
            // interpreter alive while `segments` appends to its diagnostics, copying them
            // on every append (quadratic in the number of diagnostics)
            let segments = try segments(parts, quoted: false)
            result.append(contentsOf: try fields(from: segments))
        }
        return result
    }

    /// The words of `word`'s brace expansion, within the budget and ``BraceExpansion``'s
    /// bounds; past them the PKGBUILD gets a diagnostic and evaluation stops.
    mutating func braceExpansion(_ word: ShellWord) throws -> [[WordPart]] {
        do {
            return try BraceExpansion.expand(word.parts, budget: &work)
        } catch let error as ShellBudget.Exhausted {
            try budgetExceeded("the brace expansion '\(BraceExpansion.sketch(word.parts))'", error, at: word.offset)
        } catch let error as BraceExpansion.TooLarge {
            let what = error.words ? "more than \(BraceExpansion.limit) words" : "more than \(BraceExpansion.sizeLimit >> 20) MiB of words"
            report(.unsupported, at: word.offset, "the brace expansion '\(BraceExpansion.sketch(word.parts))' yields \(what), "
                   + "over the reader's memory budget (\(BraceExpansion.limit) words, \(BraceExpansion.sizeLimit >> 20) MiB per expansion)",
                   always: true)
            throw ControlFlow.abort
        }
    }

    /// The single string a word expands to where bash does not split: assignments,
    /// `case` subjects, `[[ ]]` operands. `"$@"` joins with spaces there.
    mutating func expandString(_ word: ShellWord) throws -> String {
        if word.parts.count == 1 {
            switch word.parts[0] {
            case .literal(let s), .quoted(let s): return s
            default: break
            }
        }
        var out = ""
        for segment in try segments(word.parts, quoted: false) {
            switch segment {
            case .literal(let s), .quoted(let s), .expanded(let s): out += s
            case .fieldBreak: out += " "
            }
        }
        return out
    }

    /// The text of a word as a pattern: quoted characters are escaped so they match
    /// themselves, unquoted ones keep their meaning (`*`, `?`, `[...]`).
    mutating func expandPattern(_ word: ShellWord) throws -> String {
        var out = ""
        for segment in try segments(word.parts, quoted: false) {
            switch segment {
            case .literal(let s), .expanded(let s): out += s
            case .quoted(let s): out += ShellPattern.escape(s)
            case .fieldBreak: out += " "
            }
        }
        return out
    }

    mutating func fields(from segments: [Segment]) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var hasContent = false
        var separators: FieldSeparators?  // looked up only when something splits
        for segment in segments {
            switch segment {
            case .literal(let s), .quoted(let s):
                current += s
                hasContent = true
            case .expanded(let s):
                let ifs = try separators ?? ifsCharacters()
                separators = ifs
                if !ifs.occurs(in: s) {
                    // nothing to split (the common case): no scalar-by-scalar copy
                    if !s.isEmpty { current += s; hasContent = true }
                    continue
                }
                for c in s.unicodeScalars {
                    if ifs.contains(c) {
                        if hasContent { fields.append(current); current = ""; hasContent = false }
                    } else {
                        current.unicodeScalars.append(c)
                        hasContent = true
                    }
                }
            case .fieldBreak:
                if hasContent { fields.append(current); current = ""; hasContent = false }
            }
        }
        if hasContent { fields.append(current) }
        return fields
    }

    /// The characters of `$IFS` (made anew for each word split: paid for).
    mutating func ifsCharacters() throws -> FieldSeparators {
        guard let ifs = variables.value("IFS")?.scalarValue else { return .standard }
        try pay(ifs.utf8.count, for: "word splitting on $IFS", at: currentOffset)
        return FieldSeparators(ifs.unicodeScalars)
    }

    /// Expands the parts of a word. `quoted` is true inside double quotes;
    /// `operand` is true for the word after a `${name:-...}` operator outside quotes,
    /// whose literal text is split like an expansion's.
    mutating func segments(_ parts: [WordPart], quoted: Bool, operand: Bool = false) throws -> [Segment] {
        var out: [Segment] = []
        for part in parts {
            switch part {
            case .literal(let s):
                try pay(s.utf8.count, for: "a word", at: currentOffset)
                out.append(quoted ? .quoted(s) : operand ? .expanded(s) : .literal(s))
            case .quoted(let s):
                try pay(s.utf8.count, for: "a word", at: currentOffset)
                out.append(.quoted(s))
            case .doubleQuoted(let inner):
                // "" and "$empty" are one empty field; only "${a[@]}"/"$@" of nothing are none
                if !inner.allSatisfy(isListParameter) { out.append(.quoted("")) }
                out.append(contentsOf: try segments(inner, quoted: true))
            case .parameter(let expansion):
                let expanded = try expandParameter(expansion, quoted: quoted)
                try pay(Self.cost(of: expanded), for: "the expansion of $\(expansion.name)", at: expansion.offset)
                out.append(contentsOf: expanded)
                try checkSize(out, offset: expansion.offset)
            case .commandSubstitution(let commands, let offset):
                let text = try substitute(commands, offset: offset)
                out.append(quoted ? .quoted(text) : .expanded(text))
            case .arithmetic(let text, let offset):
                let value = String(try arithmetic(text, offset: offset))
                out.append(quoted ? .quoted(value) : .expanded(value))
            case .processSubstitution(let offset):
                report(.unsupported, at: offset, "uses a process substitution")
                out.append(.quoted("/dev/fd/63"))
            case .badSubstitution(let text, let offset):
                // bash prints "bad substitution" and abandons the rest of the top-level
                // command: what follows it on that line is makepkg's to tell
                report(.unsupported, at: offset, "\(text): bad substitution (bash abandons the command here)")
                throw ControlFlow.abort
            }
        }
        return out
    }

    /// No PKGBUILD expands a word to megabytes; a loop that doubles a value would
    /// otherwise exhaust memory long before the step budget stops it.
    static let expansionLimit = ShellBudget.valueLimit

    /// The bytes of `segments`, one more for each (a field costs its bookkeeping).
    static func size(of segments: [Segment]) -> Int {
        var size = segments.count
        for segment in segments {
            switch segment {
            case .literal(let s), .quoted(let s), .expanded(let s): size += s.utf8.count
            case .fieldBreak: break
            }
        }
        return size
    }

    /// What expanding to `segments` costs in work units: a byte each, and
    /// ``segmentCost`` for each piece (a string, a field, an array element to make).
    static func cost(of segments: [Segment]) -> Int {
        size(of: segments) + (segmentCost - 1) * segments.count
    }

    /// The units one piece of an expansion costs beyond its bytes: about what making a
    /// field of it takes next to copying a byte.
    static let segmentCost = 16

    mutating func checkSize(_ segments: [Segment], offset: Int) throws {
        let size = Self.size(of: segments)
        if size > Self.expansionLimit {
            report(.unsupported, at: offset, "a word expands to more than \(Self.expansionLimit >> 20) MiB, "
                   + "over the reader's memory budget (\(Self.expansionLimit >> 20) MiB per value)", always: true)
            throw ControlFlow.abort
        }
    }

    func isListParameter(_ part: WordPart) -> Bool {
        guard case .parameter(let e) = part, !e.length else { return false }
        if case .all? = e.index { return true }
        return (e.name == "@" || e.name == "*") && e.index == nil
    }

    /// `$(...)`: runs the commands on a copy of the state and returns what they printed,
    /// without trailing newlines.
    mutating func substitute(_ commands: [ShellCommand], offset: Int) throws -> String {
        let saved = (variables, positional, functions, lastStatus)
        captures.append("")
        var status: Int32 = 0
        var statusUnknown: [ShellDiagnostic]?
        substitutionDepth += 1
        defer { substitutionDepth -= 1 }
        do {
            try execute(commands)
            status = lastStatus
            statusUnknown = unknownStatus
        } catch ControlFlow.exit(let code) {
            status = code
        } catch ControlFlow.returnFunction(let code) {
            status = code
        } catch let flow as ControlFlow {
            if case .abort = flow { _ = captures.popLast(); throw flow }
        }
        var output = captures.popLast() ?? ""
        (variables, positional, functions, _) = saved
        lastStatus = status
        unknownStatus = statusUnknown
        substitutions += 1
        while output.hasSuffix("\n") { output.removeLast() }
        // bash drops NUL bytes from a substitution's output ("ignored null byte in input")
        if output.utf8.contains(0) { output.removeAll { $0 == "\0" } }
        return output
    }

    // MARK: parameters

    /// The values a parameter stands for before its operator: nil when unset.
    mutating func parameterValues(_ e: ParameterExpansion) throws -> (values: [String]?, isList: Bool, star: Bool) {
        let name = e.name
        noteRead(name)
        if e.indirect {
            if case .namesWithPrefix = e.op {
                var names = Set<String>()
                for scope in variables.scopes {
                    try pay(scope.count, for: "${!\(name)@}", at: e.offset)
                    for (k, v) in scope where k.hasPrefix(name) && v.value != nil { names.insert(k) }
                }
                return (names.sorted(), true, false)
            }
            if case .all(let star)? = e.index {
                return (variables.value(name)?.allKeys ?? [], true, star)
            }
            guard let reference = try simpleValue(name, index: e.index) else { return (nil, false, false) }
            return try referencedValues(reference, offset: e.offset)
        }
        switch name {
        case "@", "*": return (positional, true, name == "*")
        case "#": return ([String(positional.count)], false, false)
        case "?": return ([String(decidingStatus())], false, false)
        case "$": return (["4242"], false, false)
        case "!": return ([""], false, false)
        case "-": return (["hB"], false, false)
        case "0": return (["/usr/bin/makepkg"], false, false)
        default: break
        }
        if let n = Int(name) {
            return n >= 1 && n <= positional.count ? ([positional[n - 1]], false, false) : (nil, false, false)
        }
        switch e.index {
        case .all(let star)?:
            guard let value = variables.value(name) else { return (nil, true, star) }
            return (value.allValues, true, star)
        case .index(let word)?:
            return (try element(name, word, offset: e.offset).map { [$0] }, false, false)
        case nil:
            return (variables.value(name)?.scalarValue.map { [$0] }, false, false)
        }
    }

    /// `${!name}` where name holds `other`, `other[3]` or `other[@]`.
    mutating func referencedValues(_ reference: String, offset: Int) throws -> (values: [String]?, isList: Bool, star: Bool) {
        var parser = ShellParser("${\(reference)}")
        guard let word = try? parser.readWord(), parser.atEnd, word.parts.count == 1,
              case .parameter(var inner) = word.parts[0] else {
            report(.unsupported, at: offset, "indirect reference to '\(reference)', which is not a variable name")
            return (nil, false, false)
        }
        inner.offset = offset
        return try parameterValues(inner)
    }

    func simpleValue(_ name: String, index: ParameterExpansion.Subscript?) throws -> String? {
        variables.value(name)?.scalarValue
    }

    /// `${name[word]}`: an associative key, or an arithmetic index (negative from the end).
    mutating func element(_ name: String, _ word: ShellWord, offset: Int) throws -> String? {
        guard let variable = variables.variable(name), let value = variable.value else { return nil }
        switch value {
        case .associative(let a):
            return a[try expandString(word)]
        case .indexed(let a):
            var i = try arithmetic(try expandString(word), offset: offset)
            if i < 0 { i += a.nextIndex }
            return a[i]
        case .scalar(let s):
            return try arithmetic(try expandString(word), offset: offset) == 0 ? s : nil
        }
    }

    mutating func expandParameter(_ e: ParameterExpansion, quoted: Bool) throws -> [Segment] {
        var (values, isList, star) = try parameterValues(e)
        var readsWholeValues = e.length
        if case .substring = e.op { readsWholeValues = true }
        if readsWholeValues {
            // the length and a substring read the whole value to count its characters
            try pay(values?.reduce(0) { $0 + $1.utf8.count } ?? 0, for: "the expansion of $\(e.name)", at: e.offset)
        }
        if e.length {
            let n = isList ? (values?.count ?? 0) : (values?.first?.unicodeScalars.count ?? 0)
            return [quoted ? .quoted(String(n)) : .expanded(String(n))]
        }
        let isNull = { (colon: Bool) -> Bool in
            guard let values else { return true }
            return colon && (values.isEmpty || (values.count == 1 && values[0].isEmpty))
        }
        switch e.op {
        case .none, .namesWithPrefix:
            break
        case .useDefault(let word, let colon):
            if isNull(colon) { return try segments(word.parts, quoted: quoted, operand: !quoted) }
        case .assignDefault(let word, let colon):
            if isNull(colon) {
                let value = try expandString(word)
                assign(e.name, .scalar(value), offset: e.offset)
                return [quoted ? .quoted(value) : .expanded(value)]
            }
        case .useAlternative(let word, let colon):
            if isNull(colon) { return [] }
            return try segments(word.parts, quoted: quoted, operand: !quoted)
        case .errorIfUnset(let word, let colon):
            if isNull(colon) {
                let message = try expandString(word)
                report(.syntax, at: e.offset, "${\(e.name)?}: \(message.isEmpty ? "parameter null or not set" : message)")
                throw ControlFlow.abort
            }
        case .removePrefix(let word, let longest):
            let text = try expandPattern(word)
            let pattern = ShellPattern(text)
            values = try values.map { values in
                try metered("${\(e.name)\(longest ? "##" : "#")\(text)}", at: e.offset) { budget in
                    try values.map { v in try pattern.removePrefix(of: v, longest: longest, budget: &budget) }
                }
            }
        case .removeSuffix(let word, let longest):
            let text = try expandPattern(word)
            let pattern = ShellPattern(text)
            values = try values.map { values in
                try metered("${\(e.name)\(longest ? "%%" : "%")\(text)}", at: e.offset) { budget in
                    try values.map { v in try pattern.removeSuffix(of: v, longest: longest, budget: &budget) }
                }
            }
        case .replace(let patternWord, let replacementWord, let mode):
            let patternText = try expandPattern(patternWord)
            let pattern = ShellPattern(patternText)
            // bash 5.2's patsub_replacement: an unquoted & stands for the matched text
            var replacement = ""
            for segment in try segments(replacementWord?.parts ?? [], quoted: false) {
                switch segment {
                case .literal(let s), .expanded(let s): replacement += s.replacingAll("&", with: ShellPattern.matchPlaceholder)
                case .quoted(let s): replacement += s
                case .fieldBreak: replacement += " "
                }
            }
            let construct = { () -> String in
                let slash = switch mode { case .first: "/"; case .all: "//"; case .prefix: "/#"; case .suffix: "/%" }
                return "${\(e.name)\(slash)\(patternText)/...}"
            }
            values = try values.map { values in
                var out: [String] = []
                for v in values {
                    let replaced = try metered(construct(), at: e.offset) { try pattern.replace(in: v, with: replacement, mode: mode, budget: &$0) }
                    guard let replaced else {
                        report(.unsupported, at: e.offset, ShellBudget.tooLarge(construct(), bytes: ShellBudget.valueLimit + 1), always: true)
                        throw ControlFlow.abort
                    }
                    out.append(replaced)
                }
                return out
            }
        case .caseModify(let upper, let all):
            values = values?.map { changeCase($0, upper: upper, all: all) }
        case .substring(let offsetText, let lengthText):
            values = try substring(values, isList: isList, offsetText, lengthText, at: e.offset)
        case .transform(let t):
            switch t {
            case "U": values = values?.map { $0.uppercased() }
            case "L": values = values?.map { $0.lowercased() }
            case "u": values = values?.map { changeCase($0, upper: true, all: false) }
            case "Q": values = values?.map { "'" + $0.replacingAll("'", with: "'\\''") + "'" }
            default:
                report(.unsupported, at: e.offset, "uses the transformation '@\(t)'")
            }
        }
        guard let values else { return [] }
        if !isList { return [quoted ? .quoted(values.first ?? "") : .expanded(values.first ?? "")] }
        if quoted && star {
            let separator = variables.value("IFS")?.scalarValue.map { $0.first.map(String.init) ?? "" } ?? " "
            return [.quoted(values.joined(separator: separator))]
        }
        var out: [Segment] = []
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(.fieldBreak) }
            out.append(quoted ? .quoted(v) : .expanded(v))
        }
        return out
    }

    func changeCase(_ s: String, upper: Bool, all: Bool) -> String {
        if all { return upper ? s.uppercased() : s.lowercased() }
        guard let first = s.first else { return s }
        return (upper ? String(first).uppercased() : String(first).lowercased()) + s.dropFirst()
    }

    /// `${name:offset:length}` on a string (by character) or on a list (by element).
    mutating func substring(_ values: [String]?, isList: Bool, _ offsetText: String, _ lengthText: String?, at offset: Int) throws -> [String]? {
        guard let values else { return nil }
        let start = try arithmetic(offsetText, offset: offset)
        let length = try lengthText.map { try arithmetic($0, offset: offset) }
        func slice<T>(_ items: [T]) -> [T] {
            let count = items.count
            var from = start < 0 ? count + start : start
            if from < 0 || from > count { return [] }
            from = min(from, count)
            var to = count
            if let length { to = length < 0 ? count + length : from + length }
            to = min(max(to, from), count)
            return Array(items[from..<to])
        }
        if isList { return slice(values) }
        return [String(String.UnicodeScalarView(slice(Array(values.first?.unicodeScalars ?? "".unicodeScalars))))]
    }

    // MARK: arithmetic

    /// Evaluates `$(( text ))`: expansions in the text first, then the expression.
    mutating func arithmetic(_ text: String, offset: Int) throws -> Int {
        var expression = text
        if text.utf8.contains(UInt8(ascii: "$")) || text.utf8.contains(UInt8(ascii: "`")) {
            var parser = ShellParser(text.replacingAll("\"", with: "") + "\"")
            do {
                let parts = try parser.readDoubleQuotedParts()
                expression = try expandString(ShellWord(parts: parts, offset: offset))
            } catch let e as ShellSyntaxError {
                report(.syntax, at: offset, "in arithmetic: \(e.message)")
                throw ControlFlow.abort
            }
        }
        var evaluator = ShellArithmetic(expression, offset: offset)
        do {
            return try evaluator.evaluate(using: &self)
        } catch let e as ShellArithmetic.Failure {
            report(.syntax, at: offset, "arithmetic: \(e.message) in '\(text)'")
            throw ControlFlow.abort
        }
    }
}

extension String {
    /// Replaces every occurrence of `target` (without Foundation, for the pure Graph module).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let t = Array(target.utf8)
        let bytes = Array(utf8)
        guard !t.isEmpty, bytes.count >= t.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == t[0], i + t.count <= bytes.count, bytes[i..<(i + t.count)].elementsEqual(t) {
                out.append(contentsOf: replacement.utf8)
                i += t.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
