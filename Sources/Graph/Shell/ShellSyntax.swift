/// The syntax tree of the bash subset that PKGBUILDs are written in.
///
/// The parser keeps every construct bash has at the places PKGBUILDs use it, so that
/// the interpreter can decide what is safe to evaluate and report precisely what is not.
/// Positions are byte offsets into the source text; `SourceMap` turns them into lines.

/// One command of a command list: a simple command, a compound command, a function
/// definition, or a combination of those with `|`, `&&`, `||`.
indirect enum ShellCommand: Sendable {
    case simple(SimpleCommand)
    /// `a | b | c`; `negated` for a leading `!`.
    case pipeline([ShellCommand], negated: Bool, offset: Int)
    /// `a && b || c`, evaluated left to right.
    case andOr(ShellCommand, [(AndOrOperator, ShellCommand)])
    /// `if c; then b; elif c2; then b2; else e; fi`
    case ifClause(branches: [(condition: [ShellCommand], body: [ShellCommand])], elseBody: [ShellCommand]?)
    /// `for name in words; do body; done` (`words == nil`: iterate over `"$@"`).
    case forIn(name: String, words: [ShellWord]?, body: [ShellCommand], offset: Int)
    /// `for (( init; test; step )); do body; done`
    case forArithmetic(initial: String, test: String, step: String, body: [ShellCommand], offset: Int)
    /// `while`/`until` loops.
    case whileLoop(condition: [ShellCommand], body: [ShellCommand], until: Bool)
    /// `case word in pattern|pattern) body ;; esac`
    case caseClause(subject: ShellWord, items: [CaseItem])
    /// `{ list; }`
    case group([ShellCommand])
    /// `( list )`: runs on a copy of the state.
    case subshell([ShellCommand])
    /// `[[ expression ]]`, kept as its tokens.
    case conditional([ConditionalToken], offset: Int)
    /// `(( expression ))`, kept as text.
    case arithmetic(String, offset: Int)
    /// `name() { ... }` or `function name { ... }`; `source` is the body's text, for `declare -f`.
    case function(FunctionDefinition)
    /// A compound command followed by redirections, e.g. `{ ...; } > file`.
    case redirected(ShellCommand, [Redirection])
}

enum AndOrOperator: Sendable { case and, or }

/// One `pattern) body ;;` arm of a `case` statement.
struct CaseItem: Sendable {
    var patterns: [ShellWord]
    var body: [ShellCommand]
    /// `;;` stops, `;&` falls through to the next body, `;;&` tests the next patterns.
    var terminator: Terminator
    enum Terminator: Sendable { case stop, fallThrough, testNext }
}

/// A function as bash stores it: its name, its body, and the body's original text.
struct FunctionDefinition: Sendable {
    var name: String
    var body: ShellCommand
    /// The text the definition was read from (shared, not copied) and the body's place
    /// in it: `declare -f` is rare, so the body's text is made only when asked for.
    var source: [UInt8]
    var bodyRange: Range<Int>
    var offset: Int

    var bodyText: String { String(decoding: source[bodyRange], as: UTF8.self) }
}

/// A command with its assignments, words and redirections: `a=1 b=(x y) cmd arg >file`.
struct SimpleCommand: Sendable {
    var assignments: [Assignment]
    var words: [ShellWord]
    var redirections: [Redirection]
    var offset: Int
    /// `declare -a x=(a b)`: array assignments given to a declaration builtin, by the
    /// index of the (empty) placeholder word they stand at.
    var declarationAssignments: [Int: Assignment] = [:]
}

/// `name=value`, `name+=value`, `name=(a b)`, `name[i]=value`.
struct Assignment: Sendable {
    var name: String
    var index: ShellWord?
    var append: Bool
    var value: Value
    var offset: Int

    enum Value: Sendable {
        case scalar(ShellWord)
        case array([ArrayElement])
    }
}

/// An element of `name=( ... )`: a word, or `[key]=word`.
struct ArrayElement: Sendable {
    var key: ShellWord?
    var append: Bool
    var value: ShellWord
}

/// A redirection. The interpreter never opens files; it only needs to know one is there.
struct Redirection: Sendable {
    var op: String
    var target: ShellWord?
    /// The body of a here-document, when `op` is `<<` or `<<-`.
    var hereDocument: String?
    /// The file descriptor written before the operator (`2` of `2>/dev/null`), if any.
    var fd: Int? = nil
}

/// A word: the concatenation of its parts, expanded by the interpreter.
struct ShellWord: Sendable {
    var parts: [WordPart]
    var offset: Int

    /// The word's text when it is one unquoted literal (reserved words, names).
    var literalText: String? {
        if parts.count == 1, case .literal(let s) = parts[0] { return s }
        return nil
    }
}

/// A piece of a word, keeping the quoting that decides splitting and globbing.
indirect enum WordPart: Sendable {
    /// Unquoted text: subject to brace expansion, word splitting is not applied to it.
    case literal(String)
    /// Text that was quoted or backslash-escaped: taken as is, never a pattern.
    case quoted(String)
    /// `"..."`, with its expansions.
    case doubleQuoted([WordPart])
    /// `$name`, `${...}`.
    case parameter(ParameterExpansion)
    /// `$(...)` or backquotes, parsed.
    case commandSubstitution([ShellCommand], offset: Int)
    /// `$(( ... ))`, as text.
    case arithmetic(String, offset: Int)
    /// `<(...)`/`>(...)`: always needs a real shell.
    case processSubstitution(offset: Int)
    /// `${...}` that bash's parser accepts but its expansion refuses (`${}`, `${a b}`):
    /// "bad substitution" when, and only when, the word is expanded.
    case badSubstitution(String, offset: Int)
}

/// A parameter expansion with its operator.
struct ParameterExpansion: Sendable {
    /// The variable name, a digit string for positional parameters, or one of `@*#?$!-0`.
    var name: String
    /// `[...]` after the name: `@`, `*`, or an index/key word.
    var index: Subscript?
    /// `${#name}`
    var length: Bool = false
    /// `${!name}`, `${!prefix@}`, `${!name[@]}`
    var indirect: Bool = false
    var op: Operator = .none
    var offset: Int
    /// `$name` without braces: brace expansion can still lengthen the name (`$v{1,2}`
    /// is `$v1 $v2` in bash, which expands braces before parameters).
    var unbraced = false

    enum Subscript: Sendable {
        case all(quotedJoin: Bool)  // `[@]` (false) or `[*]` (true)
        case index(ShellWord)
    }

    enum Operator: Sendable {
        case none
        /// `:-` `-` `:=` `=` `:+` `+` `:?` `?`; `colon` tests for empty as well as unset.
        case useDefault(ShellWord, colon: Bool)
        case assignDefault(ShellWord, colon: Bool)
        case useAlternative(ShellWord, colon: Bool)
        case errorIfUnset(ShellWord, colon: Bool)
        /// `#` `##` `%` `%%`
        case removePrefix(ShellWord, longest: Bool)
        case removeSuffix(ShellWord, longest: Bool)
        /// `/pat/rep`, `//pat/rep`, `/#pat/rep`, `/%pat/rep`
        case replace(ShellWord, ShellWord?, mode: ReplaceMode)
        /// `^` `^^` `,` `,,` (an optional pattern is ignored: PKGBUILDs don't use one)
        case caseModify(upper: Bool, all: Bool)
        /// `:offset` and `:offset:length`, arithmetic text.
        case substring(String, String?)
        /// `@Q`, `@U`, `@L`, `@u`, `@E`, ...
        case transform(Character)
        /// `${!prefix@}` / `${!prefix*}`
        case namesWithPrefix
    }

    enum ReplaceMode: Sendable { case first, all, prefix, suffix }
}

/// A token of `[[ ... ]]`: an operator or a word (with its quoting, for patterns).
enum ConditionalToken: Sendable {
    case word(ShellWord)
    case and, or, not, open, close
}
