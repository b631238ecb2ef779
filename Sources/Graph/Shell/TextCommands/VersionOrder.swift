/// The order of `sort -V` (coreutils 9.1, gnulib's `filevercmp`): names as version strings.
/// Runs of digits compare by value, other bytes letters first then the rest by code,
/// `~` before everything, even the end. A file suffix (`.tar.gz`, `.A~1`: the longest run
/// of `.` + a letter or `~` + letters, digits or `~` at the end) decides only between
/// names whose other parts are equal. The empty name, `.`, `..` and other names with a
/// leading dot come first, in that order.
enum VersionOrder {
    static func compare(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        if a.isEmpty { return b.isEmpty ? 0 : -1 }
        if b.isEmpty { return 1 }
        let dot = UInt8(ascii: ".")
        let aDot = a.first == dot, bDot = b.first == dot
        if aDot != bDot { return aDot ? -1 : 1 }
        if aDot {
            for special in [[dot], [dot, dot]] {
                let aIs = a.elementsEqual(special), bIs = b.elementsEqual(special)
                if aIs || bIs { return aIs && bIs ? 0 : (aIs ? -1 : 1) }
            }
        }
        let aStem = stemLength(a), bStem = stemLength(b)
        let first = compareParts(a.prefix(aStem), b.prefix(bStem))
        if first != 0 || (aStem == a.count && bStem == b.count) { return first }
        return compareParts(a, b)
    }

    /// The length of `s` without its file suffix: the first place from which the rest is
    /// all `.` + a letter or `~` + letters, digits or `~` (a name with a leading dot can be
    /// all suffix: `.b~c.tar` has none left and sorts before `.9`).
    static func stemLength(_ s: ArraySlice<UInt8>) -> Int {
        let bytes = Array(s)
        var i = 0
        while true {
            let stem = i
            while i + 1 < bytes.count, bytes[i] == UInt8(ascii: "."), isLetter(bytes[i + 1]) || bytes[i + 1] == UInt8(ascii: "~") {
                i += 2
                while i < bytes.count, isLetter(bytes[i]) || isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "~") { i += 1 }
            }
            if i >= bytes.count { return stem }
            i += 1
        }
    }

    /// Where a byte stands among non-digits: the end below all but `~`, `~` lowest,
    /// letters by code, every other byte after all letters, digits as a run's start.
    static func weight(_ s: [UInt8], _ i: Int) -> Int {
        guard i < s.count else { return -1 }
        let c = s[i]
        if isDigit(c) { return 0 }
        if isLetter(c) { return Int(c) }
        if c == UInt8(ascii: "~") { return -2 }
        return Int(c) + 256
    }

    /// Debian's version comparison of two byte strings (the dpkg algorithm `filevercmp` uses).
    static func compareParts(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        let x = Array(a), y = Array(b)
        var i = 0, j = 0
        while i < x.count || j < y.count {
            while (i < x.count && !isDigit(x[i])) || (j < y.count && !isDigit(y[j])) {
                let wx = weight(x, i), wy = weight(y, j)
                if wx != wy { return wx - wy }
                i += 1
                j += 1
            }
            while i < x.count, x[i] == UInt8(ascii: "0") { i += 1 }
            while j < y.count, y[j] == UInt8(ascii: "0") { j += 1 }
            var firstDifference = 0
            while i < x.count, j < y.count, isDigit(x[i]), isDigit(y[j]) {
                if firstDifference == 0 { firstDifference = Int(x[i]) - Int(y[j]) }
                i += 1
                j += 1
            }
            if i < x.count, isDigit(x[i]) { return 1 }
            if j < y.count, isDigit(y[j]) { return -1 }
            if firstDifference != 0 { return firstDifference }
        }
        return 0
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    static func isLetter(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
}
