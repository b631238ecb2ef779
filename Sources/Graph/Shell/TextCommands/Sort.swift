/// coreutils' `sort` on standard input in the C.UTF-8 locale (byte order): keys (`-k`,
/// `-t`), `-b -d -f -i -n -r -V` globally or per key, `-s`, `-u`, `-z`. The orders that
/// need tables or chance (`-g -h -M -R`), checking and merging are unsupported, and so is
/// `-V` with `-d`, `-f` or `-i` (their copies of the key are not modelled).
enum Sort {
    struct Key {
        var startField = 0, startChar = 0
        var endField = Int.max, endChar = 0
        var skipStartBlanks = false, skipEndBlanks = false
        var dictionary = false, printable = false, fold = false, numeric = false, reverse = false, version = false

        var hasOrdering: Bool { skipStartBlanks || skipEndBlanks || dictionary || printable || fold || numeric || reverse || version }
    }

    static let spec = TextOptions(short: "bcCdfghik:mMno:rRsS:t:T:uVz", long: [
        .init(name: "ignore-leading-blanks", argument: .none, key: "b"),
        .init(name: "dictionary-order", argument: .none, key: "d"),
        .init(name: "ignore-case", argument: .none, key: "f"),
        .init(name: "general-numeric-sort", argument: .none, key: "g"),
        .init(name: "human-numeric-sort", argument: .none, key: "h"),
        .init(name: "ignore-nonprinting", argument: .none, key: "i"),
        .init(name: "key", argument: .required, key: "k"),
        .init(name: "merge", argument: .none, key: "m"),
        .init(name: "month-sort", argument: .none, key: "M"),
        .init(name: "numeric-sort", argument: .none, key: "n"),
        .init(name: "output", argument: .required, key: "o"),
        .init(name: "reverse", argument: .none, key: "r"),
        .init(name: "random-sort", argument: .none, key: "R"),
        .init(name: "stable", argument: .none, key: "s"),
        .init(name: "buffer-size", argument: .required, key: "S"),
        .init(name: "field-separator", argument: .required, key: "t"),
        .init(name: "temporary-directory", argument: .required, key: "T"),
        .init(name: "unique", argument: .none, key: "u"),
        .init(name: "version-sort", argument: .none, key: "V"),
        .init(name: "zero-terminated", argument: .none, key: "z"),
        .init(name: "check", argument: .optional, key: "c"),
        .init(name: "sort", argument: .required, key: "sort"),
        .init(name: "random-source", argument: .required, key: "random-source"),
        .init(name: "parallel", argument: .required, key: "parallel"),
        .init(name: "batch-size", argument: .required, key: "batch-size"),
        .init(name: "compress-program", argument: .required, key: "compress-program"),
        .init(name: "files0-from", argument: .required, key: "files0-from"),
        .init(name: "debug", argument: .none, key: "debug"),
    ])

    static func run(_ call: inout TextInvocation) throws(TextCommandFailure) -> TextOutput {
        let options: TextOptions.Parsed
        switch try call.options(spec, unevaluated: ["c", "C", "g", "h", "m", "M", "o", "R", "sort", "random-source",
                                                    "files0-from", "debug", "compress-program", "batch-size"]) {
        case .success(let o): options = o
        case .failure(let e): return .failure(2, "sort: \(e.message)")
        }
        var global = Key()
        var keys: [Key] = []
        var separator: UInt8?
        for (k, value) in options.options {
            switch k {
            case "b": global.skipStartBlanks = true; global.skipEndBlanks = true
            case "d": global.dictionary = true
            case "f": global.fold = true
            case "i": global.printable = true
            case "n": global.numeric = true
            case "r": global.reverse = true
            case "V": global.version = true
            case "t":
                let v = Array((value ?? "").utf8)
                if v.isEmpty { return .failure(2, "sort: empty tab") }
                if v.count > 1 {
                    if value == "\\0" { separator = 0; continue }
                    return .failure(2, "sort: multi-character tab '\(value ?? "")'")
                }
                if let separator, separator != v[0] { return .failure(2, "sort: incompatible tabs") }
                separator = v[0]
            case "k":
                switch parseKey(value ?? "") {
                case .success(let key): keys.append(key)
                case .failure(let e): return .failure(2, "sort: \(e.message)")
                }
            default: break
            }
        }
        for i in keys.indices where !keys[i].hasOrdering {
            let (sf, sc, ef, ec) = (keys[i].startField, keys[i].startChar, keys[i].endField, keys[i].endChar)
            keys[i] = global
            (keys[i].startField, keys[i].startChar, keys[i].endField, keys[i].endChar) = (sf, sc, ef, ec)
        }
        if keys.isEmpty, global.hasOrdering { keys = [global] }
        for key in keys where key.numeric && (key.dictionary || key.printable) { return .failure(2, "sort: options '-dn' are incompatible") }
        for key in keys where key.version && key.numeric { return .failure(2, "sort: options '-nV' are incompatible") }
        for key in keys where key.version && (key.dictionary || key.printable || key.fold) {
            throw .unsupported("sort -V with -d, -f or -i is not evaluated by the reader")
        }
        let stable = options.has("s"), unique = options.has("u")
        let terminator: UInt8 = options.has("z") ? 0 : 10
        let input = try call.operandInput(options.operands)
        let lines = input.records(terminator)
        var budget = call.budget
        var exhausted: ShellBudget.Exhausted?
        func compare(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
            do { try budget.spend(1 + (a.count + b.count) / 8) } catch { exhausted = error; return 0 }
            if !keys.isEmpty {
                for key in keys {
                    let c = compareKey(key, a, b, separator: separator)
                    if c != 0 { return key.reverse ? -c : c }
                }
                if unique || stable || exhausted != nil { return 0 }
            }
            let c = lexicographic(a, b)
            return global.reverse ? -c : c
        }
        // a stable merge sort: equal lines keep their order, as sort's does
        let sorted = mergeSort(lines) { compare($0, $1) }
        call.budget = budget
        if let exhausted { throw .budget(exhausted) }
        var out: [UInt8] = []
        var previous: ArraySlice<UInt8>?
        for line in sorted {
            if unique, let previous, compare(previous, line) == 0 { continue }
            out += line
            out.append(terminator)
            previous = line
        }
        if let exhausted { throw .budget(exhausted) }
        return TextOutput(bytes: out)
    }

    static func mergeSort(_ items: [ArraySlice<UInt8>], _ compare: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Int) -> [ArraySlice<UInt8>] {
        var a = items
        var b = items
        var width = 1
        while width < a.count {
            var i = 0
            while i < a.count {
                let mid = min(i + width, a.count), end = min(i + 2 * width, a.count)
                var l = i, r = mid, k = i
                while l < mid, r < end {
                    if compare(a[r], a[l]) < 0 { b[k] = a[r]; r += 1 } else { b[k] = a[l]; l += 1 }
                    k += 1
                }
                while l < mid { b[k] = a[l]; l += 1; k += 1 }
                while r < end { b[k] = a[r]; r += 1; k += 1 }
                i += 2 * width
            }
            swap(&a, &b)
            width *= 2
        }
        return a
    }

    static func lexicographic(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    struct KeyError: Error { var message: String }

    /// `F[.C][OPTS][,F[.C][OPTS]]`
    static func parseKey(_ text: String) -> Result<Key, KeyError> {
        var key = Key()
        let s = Array(text.utf8)
        var i = 0
        func number() -> Int? {
            var v: Int?
            while i < s.count, s[i] >= 48, s[i] <= 57 { v = min((v ?? 0) * 10 + Int(s[i] - 48), 1 << 40); i += 1 }
            return v
        }
        func ordering(start: Bool) -> Bool {
            while i < s.count {
                switch s[i] {
                case UInt8(ascii: "b"): if start { key.skipStartBlanks = true } else { key.skipEndBlanks = true }
                case UInt8(ascii: "d"): key.dictionary = true
                case UInt8(ascii: "f"): key.fold = true
                case UInt8(ascii: "i"): key.printable = true
                case UInt8(ascii: "n"): key.numeric = true
                case UInt8(ascii: "r"): key.reverse = true
                case UInt8(ascii: "V"): key.version = true
                default: return false
                }
                i += 1
            }
            return true
        }
        let bad = "invalid number at field start: invalid count at start of '\(text)'"
        guard let f = number() else { return .failure(KeyError(message: bad)) }
        if f == 0 { return .failure(KeyError(message: "field number is zero: invalid field specification '\(text)'")) }
        key.startField = f - 1
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            guard let c = number() else { return .failure(KeyError(message: "invalid number after '.': invalid count at start of '\(text)'")) }
            if c == 0 { return .failure(KeyError(message: "character offset is zero: invalid field specification '\(text)'")) }
            key.startChar = c - 1
        }
        if !ordering(start: true) {
            guard s[i] == UInt8(ascii: ",") else { return .failure(KeyError(message: "stray character in field spec: invalid field specification '\(text)'")) }
            i += 1
            guard let e = number() else { return .failure(KeyError(message: "invalid number after ',': invalid count at start of '\(text)'")) }
            if e == 0 { return .failure(KeyError(message: "field number is zero: invalid field specification '\(text)'")) }
            key.endField = e - 1
            if i < s.count, s[i] == UInt8(ascii: ".") {
                i += 1
                guard let c = number() else { return .failure(KeyError(message: "invalid number after '.': invalid count at start of '\(text)'")) }
                key.endChar = c
            }
            if !ordering(start: false) { return .failure(KeyError(message: "stray character in field spec: invalid field specification '\(text)'")) }
        }
        return .success(key)
    }

    static func isBlank(_ b: UInt8) -> Bool { b == 32 || b == 9 }

    static func begin(_ line: ArraySlice<UInt8>, _ key: Key, separator: UInt8?) -> Int {
        var p = line.startIndex
        let lim = line.endIndex
        var fields = key.startField
        while p < lim, fields > 0 {
            fields -= 1
            if let separator {
                while p < lim, line[p] != separator { p += 1 }
                if p < lim { p += 1 }
            } else {
                while p < lim, isBlank(line[p]) { p += 1 }
                while p < lim, !isBlank(line[p]) { p += 1 }
            }
        }
        if key.skipStartBlanks { while p < lim, isBlank(line[p]) { p += 1 } }
        return min(lim, p + min(key.startChar, lim - p))
    }

    static func limit(_ line: ArraySlice<UInt8>, _ key: Key, separator: UInt8?) -> Int {
        var p = line.startIndex
        let lim = line.endIndex
        if key.endField == Int.max { return lim }
        var words = key.endChar == 0 ? key.endField + 1 : key.endField
        while p < lim, words > 0 {
            words -= 1
            if let separator {
                while p < lim, line[p] != separator { p += 1 }
                if p < lim, words > 0 || key.endChar > 0 { p += 1 }
            } else {
                while p < lim, isBlank(line[p]) { p += 1 }
                while p < lim, !isBlank(line[p]) { p += 1 }
            }
        }
        if key.endChar != 0 {
            if key.skipEndBlanks { while p < lim, isBlank(line[p]) { p += 1 } }
            p = min(lim, p + min(key.endChar, lim - p))
        }
        return p
    }

    static func compareKey(_ key: Key, _ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>, separator: UInt8?) -> Int {
        let (ab, ae) = (begin(a, key, separator: separator), limit(a, key, separator: separator))
        let (bb, be) = (begin(b, key, separator: separator), limit(b, key, separator: separator))
        let ka = a[ab..<max(ab, ae)], kb = b[bb..<max(bb, be)]
        if key.numeric { return numeric(ka, kb) }
        if key.version { return VersionOrder.compare(ka, kb) }
        if key.dictionary || key.printable || key.fold {
            func keep(_ c: UInt8) -> Bool {
                if key.dictionary { return isBlank(c) || (c >= 48 && c <= 57) || (c | 32 >= 97 && c | 32 <= 122) }
                if key.printable { return c >= 32 && c < 127 }
                return true
            }
            func map(_ c: UInt8) -> UInt8 { key.fold && c >= 97 && c <= 122 ? c - 32 : c }
            let x = ka.filter(keep).map(map), y = kb.filter(keep).map(map)
            return lexicographic(x[...], y[...])
        }
        return lexicographic(ka, kb)
    }

    /// coreutils' `numcompare` in a locale without thousands separators.
    static func numeric(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        let x = number(a), y = number(b)
        if x.negative != y.negative { return x.negative ? -1 : 1 }
        let c = magnitude(x, y)
        return x.negative ? -c : c
    }

    struct Decimal { var negative = false; var integer: [UInt8] = []; var fraction: [UInt8] = [] }

    static func number(_ s: ArraySlice<UInt8>) -> Decimal {
        var i = s.startIndex
        while i < s.endIndex, isBlank(s[i]) || s[i] == 10 { i += 1 }
        var d = Decimal()
        if i < s.endIndex, s[i] == UInt8(ascii: "-") { d.negative = true; i += 1 }
        while i < s.endIndex, s[i] >= 48, s[i] <= 57 { d.integer.append(s[i]); i += 1 }
        if i < s.endIndex, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.endIndex, s[i] >= 48, s[i] <= 57 { d.fraction.append(s[i]); i += 1 }
        }
        while d.integer.first == 48 { d.integer.removeFirst() }
        while d.fraction.last == 48 { d.fraction.removeLast() }
        if d.integer.isEmpty && d.fraction.isEmpty { d.negative = false }
        return d
    }

    static func magnitude(_ x: Decimal, _ y: Decimal) -> Int {
        if x.integer.count != y.integer.count { return x.integer.count < y.integer.count ? -1 : 1 }
        let c = lexicographic(x.integer[...], y.integer[...])
        if c != 0 { return c }
        return lexicographic(x.fraction[...], y.fraction[...])
    }
}
