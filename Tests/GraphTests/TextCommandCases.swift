/// Generated command lines for the text commands' differential test: each case is a
/// shell snippet that sets `out` to a command's output and exit status, run by the real
/// bash (with the real coreutils, sed, util-linux) and by the reader.
struct TextCommandCases {
    /// SplitMix64 (the fuzz test's): the same seed gives the same cases.
    typealias Random = PKGBUILDFuzzTests.SplitMix

    var random: Random

    init(seed: UInt64) { random = Random(state: seed) }

    /// Single-quoted for bash (and the reader).
    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    // MARK: inputs

    static let characters: [String] = ["a", "b", "c", "A", "B", "x", ".", "-", "_", "1", "2", "0", "9", " ", " ", "\t", ":", "/", "é", ","]
    static let words = ["5.27.10", "1.2.3_4", "/usr/lib/foo.so.1", "foo-1.0.tar.gz", "libjpeg", "zlib", "a b  c", "x86_64",
                        "v2.0-rc1", "", "  lead", "trail  ", "a:b:c", "10", "-3", "007", "B", "b", "a.b.c.d", "ÄÖü",
                        // what `sort -V` orders: digit runs, `~`, file suffixes, leading dots
                        "1.10", "1.9", "1.2~rc1", "1.2a", "1.2.tar.gz", "1.2.tar.xz", ".", "..", ".hidden", "a1b02", "v1.0~beta~1",
                        "foo-1.0.A~1", "010", "1.2.x86_64", "~", "a.b~c.tar",
                        // what awk's %d reads
                        "3.53.4", "0x1A", "1e3", "4abc", "-2.7", "+3", " 12 ", "12345678901234567"]

    mutating func line() -> String {
        if random.chance(40) { return random.pick(Self.words) }
        return (0..<random.int(0...8)).map { _ in random.pick(Self.characters) }.joined()
    }

    mutating func input() -> String {
        var lines = (0..<random.int(0...5)).map { _ in line() }
        if random.chance(10) { lines += lines.prefix(2) ; lines.sort() }
        var text = lines.joined(separator: "\n")
        if !lines.isEmpty, random.chance(75) { text += "\n" }
        return text
    }

    // MARK: cases

    /// A snippet: `in` holds the input, the command reads it from a pipe, a here-string or
    /// a quoted here-document, and `out` gets its output and `|status`.
    mutating func next() -> String {
        let input = input()
        let (command, readsInput) = commandLine()
        let body: String
        if !readsInput {
            body = "\(command) 2>/dev/null"
        } else if command.contains("|") {
            // a here-string would feed only the last command of a pipeline
            body = "printf %s \"$in\" | \(command) 2>/dev/null"
        } else {
            switch random.int(0...9) {
            case 0, 1:
                body = "\(command) <<< \"$in\" 2>/dev/null"
            case 2 where !input.contains("EOF") && input.hasSuffix("\n"):
                return "out=\"$(\(command) 2>/dev/null <<'EOF'\n\(input)EOF\necho \"|$?\")\""
            default:
                body = "printf %s \"$in\" | \(command) 2>/dev/null"
            }
        }
        return "in=\(Self.quote(input)); out=\"$(\(body); echo \"|$?\")\""
    }

    mutating func commandLine() -> (String, Bool) {
        switch random.int(0...29) {
        case 0...4: return (cut(), true)
        case 5...11: return (sed(), true)
        case 12...14: return (tr(), true)
        case 15, 16: return (pathName(), false)
        case 17, 18: return (headTail(), true)
        case 19: return (wc(), true)
        case 20, 21: return (sort(), true)
        case 22: return (uniq(), true)
        case 23: return (random.pick(["rev", "tac", "tac -b", "tac -s .", "tac -s ab", "cat", "cat -", "tac -s ''"]), true)
        case 24...26: return (expr(), false)
        case 27: return (random.chance(50) ? grep() : awk(), true)
        default: return (pipeline(), true)
        }
    }

    mutating func words(_ n: ClosedRange<Int>, _ make: (inout Self) -> String) -> String {
        (0..<random.int(n)).map { _ in make(&self) }.joined(separator: " ")
    }

    mutating func list() -> String {
        let pieces = ["1", "2", "3", "1-2", "2-", "-2", "1,3", "2-3", "3-5", "1-", "2,4-", "1 3", "5", "10-"]
        var l = random.pick(pieces)
        if random.chance(30) { l += "," + random.pick(pieces) }
        if random.chance(4) { l = random.pick(["0", "3-1", "1,,2", "", "-", "a", "1-2-3", "0-2"]) }
        return l
    }

    mutating func cut() -> String {
        var args: [String] = []
        let mode = random.pick(["-f", "-f", "-f", "-b", "-c", "--fields=", "-f"])
        args.append(mode.hasSuffix("=") ? mode + list() : mode + " " + Self.quote(list()))
        if mode != "-b" && mode != "-c" || random.chance(5) {
            if random.chance(85) { args.append("-d " + Self.quote(random.pick([".", "-", "_", ":", " ", ",", "ab", "é", "/"]))) }
            if random.chance(20) { args.append("-s") }
        }
        if random.chance(15) { args.append("--complement") }
        if random.chance(15) { args.append("--output-delimiter=" + Self.quote(random.pick(["+", "", "::"]))) }
        if random.chance(5) { args.append(random.pick(["-z", "-n", "-x", "-b 1", "--bogus"])) }
        args.shuffle(using: &random)
        return "cut " + args.joined(separator: " ")
    }

    static let breAtoms = ["a", "b", ".", "x", "[abc]", "[^a]", "[a-c]", "[[:digit:]]", "[[:upper:]]", "[[:space:]]", "\\.", "-", "_",
                           "1", " ", "é", "\\w", "\\b", "\\n", "[.]", "[]a]", ":", "/"]
    static let ereAtoms = ["a", "b", ".", "x", "[abc]", "[^a]", "[0-9]", "\\.", "(a|b)", "(b)", "-", "_", "1", " ", "\\s", "[[:alpha:]]"]

    mutating func regex(extended: Bool) -> (text: String, groups: Int) {
        var out = ""
        if random.chance(20) { out += "^" }
        for _ in 0..<random.int(1...4) {
            var atom = random.pick(extended ? Self.ereAtoms : Self.breAtoms)
            if random.chance(15) {
                atom = extended ? "(\(atom))" : "\\(\(atom)\\)"
            }
            let quantifiers = extended ? ["*", "+", "?", "{1,2}", "{2}"] : ["*", "\\+", "\\?", "\\{1,2\\}", "\\{2\\}"]
            if random.chance(30) { atom += random.pick(quantifiers) }
            out += atom
        }
        if random.chance(15) { out += extended ? "|" + random.pick(Self.ereAtoms) : "\\|" + random.pick(Self.breAtoms) }
        if random.chance(15) { out += "$" }
        if random.chance(3) { out = random.pick(["*a", "a\\{1", "\\(a", "a\\)", "[a", "a**", "\\{1\\}", "^*", "a\\|*b"]) }
        let count = extended ? out.filter { $0 == "(" }.count : out.components(separatedBy: "\\(").count - 1
        return (out, count)
    }

    mutating func replacement(groups: Int) -> String {
        var out = ""
        for _ in 0..<random.int(0...3) {
            var options = ["X", "&", "[&]", "-", "\\n", "\\&", "\\U&", "\\u&", "\\L&", "_\\E", ""]
            if groups > 0 { options += ["\\1", "<\\1>"] }
            if random.chance(3) { options.append("\\9") }
            out += random.pick(options)
        }
        return out
    }

    mutating func substitution(extended: Bool) -> String {
        let delimiter = random.pick(["/", "/", "/", "|", "#", ","])
        let (re, groups) = regex(extended: extended)
        var rep = replacement(groups: groups)
        var pattern = re
        if delimiter != "/" {
            pattern = pattern.replacingOccurrences(of: delimiter, with: "\\" + delimiter)
            rep = rep.replacingOccurrences(of: delimiter, with: "\\" + delimiter)
        } else {
            pattern = pattern.replacingOccurrences(of: "/", with: "\\/")
        }
        var flags = random.pick(["", "", "g", "g", "2", "p", "I", "gI", "2g", "gp"])
        if random.chance(2) { flags = random.pick(["gg", "0", "q", "w"]) }
        return "s\(delimiter)\(pattern)\(delimiter)\(rep)\(delimiter)\(flags)"
    }

    mutating func address(extended: Bool) -> String {
        switch random.int(0...9) {
        case 0: return String(random.int(1...4))
        case 1: return "$"
        case 2: return "/" + regex(extended: extended).text.replacingOccurrences(of: "/", with: "\\/") + "/"
        case 3: return "\(random.int(1...3)),\(random.int(1...4))"
        case 4: return "/a/,/b/"
        case 5: return "\(random.int(1...3)),+\(random.int(0...2))"
        case 6: return "0,/a/"
        case 7: return "\(random.int(0...2))~\(random.int(0...3))"
        case 8: return "/\(random.pick(["a", "b", "1"]))/I"
        default: return "2,$"
        }
    }

    mutating func sedCommand(extended: Bool) -> String {
        var prefix = ""
        if random.chance(40) { prefix = address(extended: extended) + (random.chance(20) ? "!" : "") }
        let command = random.pick(["p", "d", "s", "s", "s", "s", "s/\\([0-9]*\\)\\.\\([0-9]*\\)/\\2.\\1/", "s/-/_/g;s/^v//",
                                   "s/^\\(.\\)\\(.*\\)$/\\2\\1/", "s/[^0-9.]//g", "/^$/d", "\\,a,p", "2,~2p", "1~3d", "y/abc/xyz/", "=", "q", "q5", "Q", "n", "N", "h;G", "x", "g", "H;$!d;x",
                                   "{p;p}", "P", "D", "z", "$!N;P;D", ":a;N;$!ba;s/\\n/,/g", "s/a/b/;ta;s/$/!/;:a", "bx;s/a/Z/;:x",
                                   "y/a\\/b/\\nxy/", "T;s/^/>/", "k", "s/a/b/x", "y/ab/c/"])
        let body = command == "s" ? substitution(extended: extended) : command
        if prefix.isEmpty || body.hasPrefix(":") { return body }
        return prefix + (body.contains(";") && !body.hasPrefix("{") ? "{\(body)}" : body)
    }

    mutating func sed() -> String {
        let extended = random.chance(25)
        var args: [String] = []
        if extended { args.append(random.pick(["-E", "-r", "--regexp-extended"])) }
        if random.chance(20) { args.append(random.pick(["-n", "--quiet", "-n -s", "-u"])) }
        let count = random.chance(80) ? 1 : 2
        let commands = (0..<count).map { _ in sedCommand(extended: extended) }
        if count == 2, random.chance(50) {
            args += commands.map { "-e " + Self.quote($0) }
        } else {
            args.append(Self.quote(commands.joined(separator: random.pick([";", "\n", " ; "]))))
        }
        if random.chance(3) { args.append(random.pick(["-z", "--posix", "-x", "--debug"])) }
        return "sed " + args.joined(separator: " ")
    }

    static let trSets = ["a-c", "abc", "[:digit:]", "[:upper:]", "[:lower:]", "\\n", ".", " ", "[:space:]", "a", "xyz", "[:alpha:]",
                         "[:punct:]", "a-z", "A-Z", "\\t", "[=a=]", "._-", "0-9", "[:alnum:]", "c-a", "[:bogus:]"]

    mutating func tr() -> String {
        switch random.int(0...5) {
        case 0: return "tr -d " + Self.quote(random.pick(Self.trSets))
        case 1: return "tr -s " + Self.quote(random.pick(Self.trSets))
        case 2: return "tr -cd " + Self.quote(random.pick(Self.trSets))
        case 3: return "tr -ds " + Self.quote(random.pick(Self.trSets)) + " " + Self.quote(random.pick(Self.trSets))
        case 4:
            return "tr " + random.pick(["-c ", "-s ", "-t ", ""]) + Self.quote(random.pick(["[:lower:]", "[:upper:]", "[:alnum:]"]))
                + " " + Self.quote(random.pick(["[:upper:]", "[:lower:]", "_", "xy"]))
        default:
            return "tr " + Self.quote(random.pick(Self.trSets)) + " " + Self.quote(random.pick(["x", "xyz", "X-Z", "_", "a-c", "\\n", "-", "ab"]))
        }
    }

    static let names = ["", "/", "//", "///", "a", "a/", "a//", "/a", "/a/b", "a/b/", "a/b.tar.gz", "x.tar.gz", ".tar.gz", "/usr/lib/",
                        "foo-1.0.tar.gz", "//a//b//", "a/./b", "..", "é/ü.txt", "git+https://x/y.git"]

    mutating func pathName() -> String {
        if random.chance(45) {
            return "dirname " + random.pick(["", "", "-z ", "--zero "]) + words(0...3) { Self.quote($0.random.pick(Self.names)) }
        }
        let suffix = Self.quote(random.pick([".tar.gz", ".gz", "b", "", ".git", "a"]))
        switch random.int(0...5) {
        case 0: return "basename -a " + words(0...3) { Self.quote($0.random.pick(Self.names)) }
        case 1: return "basename -s \(suffix) " + words(0...3) { Self.quote($0.random.pick(Self.names)) }
        case 2: return "basename " + Self.quote(random.pick(Self.names)) + " " + suffix + (random.chance(10) ? " extra" : "")
        case 3: return "basename --suffix=\(suffix) -z " + Self.quote(random.pick(Self.names))
        default: return "basename " + Self.quote(random.pick(Self.names))
        }
    }

    mutating func headTail() -> String {
        let name = random.pick(["head", "tail"])
        let n = String(random.int(0...6))
        let options = ["", "-n \(n)", "-n -\(n)", "-c \(n)", "-c -\(n)", "-\(n)", "--lines=\(n)", "-n +\(n)", "-c +\(n)", "-z -n 1",
                       "-n x", "-q", "-n 1k", "-n ''"]
        return name + " " + random.pick(options)
    }

    mutating func wc() -> String {
        "wc " + random.pick(["", "-l", "-w", "-c", "-m", "-L", "-lw", "-lc", "-wm", "--lines", "-lwcmL", "--chars", "-x"])
    }

    mutating func sort() -> String {
        var args: [String] = []
        for _ in 0..<random.int(0...3) {
            args.append(random.pick(["-r", "-n", "-u", "-f", "-b", "-s", "-t .", "-t :", "-k 2", "-k 1,1", "-k 2n", "-k 1.2", "-k 2,2r",
                                     "-d", "-i", "-z", "-k 1.2b,1.3", "-t ' '", "-k 3,3n -k 1r", "-V", "-x", "-k 0",
                                     "-V", "-Vr", "-k 2V", "-t . -k 2,2V", "-k 1.2V", "-fV", "-nV"]))
        }
        return "sort " + args.joined(separator: " ")
    }

    mutating func uniq() -> String {
        "uniq " + (0..<random.int(0...2)).map { _ in random.pick(["-c", "-d", "-u", "-i", "-f 1", "-s 1", "-w 2", "-D", "-z", "-cd", "-f x"]) }
            .joined(separator: " ")
    }

    static let exprWords = ["1", "2", "10", "-3", "0", "007", "abc", "a.b", "", "x86_64", "5.27.10", "-0", "b", "ÄÖü", "é.b"]

    mutating func exprOperand() -> String {
        switch random.int(0...9) {
        case 0: return "length " + Self.quote(random.pick(Self.exprWords))
        case 1: return "substr " + Self.quote(random.pick(Self.words)) + " \(random.int(-1...4)) \(random.int(-1...5))"
        case 2: return "index " + Self.quote(random.pick(Self.words)) + " " + Self.quote(random.pick([".", "ab", "x", "_-"]))
        case 3:
            return Self.quote(random.pick(Self.words)) + " : " + Self.quote(random.pick(["[0-9]*", "\\([0-9]*\\)\\.", ".*_\\(.*\\)", "a", "x86", ".*", "\\(.\\)"]))
        case 4: return "'(' " + Self.quote(random.pick(Self.exprWords)) + " + 1 ')'"
        default: return Self.quote(random.pick(Self.exprWords))
        }
    }

    mutating func expr() -> String {
        var args = exprOperand()
        for _ in 0..<random.int(0...2) {
            args += " " + Self.quote(random.pick(["+", "-", "*", "/", "%", "<", "<=", "=", "==", "!=", ">", ">=", "|", "&", ":"])) + " " + exprOperand()
        }
        if random.chance(3) { args += random.pick([" ')'", " '+'", " '('", " 1"]) }
        return "expr " + args
    }

    mutating func grep() -> String {
        var args: [String] = []
        let kind = random.pick(["", "", "-E", "-F", "-G", "--extended-regexp", "-E -F"])
        if !kind.isEmpty { args.append(kind) }
        for _ in 0..<random.int(0...3) {
            args.append(random.pick(["-i", "-v", "-x", "-c", "-q", "-o", "-n", "-m 1", "-m 0", "-s", "-h", "-y", "-z", "-on",
                                     "-vc", "--max-count=2", "--no-ignore-case", "-w", "-P", "-k"]))
        }
        let extended = kind.contains("E")
        func pattern(_ generator: inout Self) -> String {
            if kind.contains("F") { return generator.random.pick(["a.b", "1.2", "é", "", "x", "[a]", "A", "a\\b", "5.27"]) }
            return generator.regex(extended: extended).text
        }
        if random.chance(20) {
            args.append("-e " + Self.quote(pattern(&self)) + " -e " + Self.quote(pattern(&self)))
        } else {
            args.append(Self.quote(pattern(&self)))
        }
        return "grep " + args.joined(separator: " ")
    }

    mutating func awk() -> String {
        let separator = random.pick(["", "", "-F. ", "-F, ", "-F: ", "-F ' ' ", "-F'\t' ", "-F- ", "-F '[.-]' ", "-v x=1 ", "-F_ "])
        let terms = ["$1", "$2", "$3", "$NF", "$0", "NF", "NR", "\"-\"", "\".\"", "\"\"", "$10", "$(1)", "$1+0", "x"]
        func expression(_ g: inout Self) -> String { (0..<g.random.int(1...3)).map { _ in g.random.pick(terms) }.joined(separator: g.random.pick(["", " "])) }
        var statements: [String] = []
        for _ in 0..<random.int(1...2) {
            if random.chance(50) {
                statements.append("print" + (random.chance(15) ? "" : " " + (0..<random.int(1...3)).map { _ in expression(&self) }.joined(separator: ", ")))
            } else {
                let format = random.pick(["%d%02d%02d00", "%s-%s", "%d.%d", "%5s|", "%-4d|", "%.2s", "%+d %i", "[%03d]", "%x", "%s\\n", "%%%d", "%c", "% d", "%.3d"])
                let count = format.filter { $0 == "%" }.count
                statements.append("printf \"\(format)\"" + (0..<max(1, count)).map { _ in ", " + random.pick(["$1", "$2", "$3", "$NF", "NF"]) }.joined())
            }
        }
        let body = statements.joined(separator: random.pick(["; ", ";", "\n"]))
        return "awk " + separator + Self.quote(random.pick(["{", "{ "]) + body + random.pick(["}", " }"]))
    }

    mutating func pipeline() -> String {
        let first: String
        switch random.int(0...2) {
        case 0: first = "cut -d. -f1-2"
        case 1: first = "sed " + Self.quote(substitution(extended: false))
        default: first = "tr a-c A-C"
        }
        let second = random.pick(["sort", "uniq -c", "head -n 2", "tail -n 1", "wc -l", "rev", "sed -n '$p'", "tr -d ' '",
                                  "sort -u | head -1", "tac | cut -c1-3"])
        return "\(first) | \(second)"
    }
}

extension PKGBUILDFuzzTests.SplitMix {
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}
