/// A package version, `[epoch:]pkgver[-pkgrel]`, ordered exactly as pacman orders it.
///
/// pacbuild decides what is outdated and whether a dependency is met by comparing
/// versions; any difference from libalpm's `alpm_pkg_vercmp` would make it rebuild
/// packages pacman considers current, or skip ones pacman would upgrade. So parsing
/// and comparison reproduce libalpm 6.0.2's `lib/libalpm/version.c` byte for byte,
/// quirks included (no special meaning for `~`, separators compared by length).
///
/// Equality is `alpm_pkg_vercmp(a, b) == 0`, which is not textual identity: `1.0`,
/// `1_0`, `01.0` and `0:1.0-7` are all equal to `1.0`. Because a missing pkgrel
/// matches any pkgrel, that equality is not transitive (`1.5-1 == 1.5 == 1.5-2`, yet
/// `1.5-1 < 1.5-2`), so `Version` is deliberately not `Hashable`: a set or dictionary
/// keyed by it could not behave consistently. Key by ``description`` where the
/// spelling is what matters.
public struct Version: Sendable, Comparable, CustomStringConvertible {
    /// The epoch: the digits before a leading `:`, or `"0"` when there are none
    /// (libalpm treats a missing or empty epoch as 0).
    public let epoch: String
    /// The upstream version: what lies between the epoch's `:` and the last `-`.
    public let pkgver: String
    /// The release after the last `-`, or `nil` without one. `nil` and `""` differ:
    /// a missing release matches any release, an empty one is older than `"1"`.
    public let pkgrel: String?
    /// The string this version was parsed from, kept so printing gives it back unchanged.
    public let description: String

    /// Splits `string` the way libalpm's `parseEVR` does.
    ///
    /// The epoch is the leading run of digits only if a `:` follows it directly
    /// (`1:2.0` has epoch 1; `a:1` and `1.0:2` have none and keep the colon in pkgver);
    /// the release is everything after the *last* `-` (`1.0-rc1-2` has pkgver
    /// `1.0-rc1`, pkgrel `2`). Every string is accepted, as pacman accepts it.
    public init(_ string: String) {
        description = string
        var bytes = string
        let parts = bytes.withUTF8 { buffer -> (epoch: String, pkgver: String, pkgrel: String?) in
            let evr = EVR(buffer)
            func text(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
            }
            return (evr.epoch.map(text) ?? "0", text(evr.pkgver), evr.pkgrel.map(text))
        }
        (epoch, pkgver, pkgrel) = parts
    }

    /// `alpm_pkg_vercmp` on two strings: -1 if `a` is older, 0 if equal, 1 if newer.
    ///
    /// Compares the epochs, then the pkgvers, then the pkgrels only if both have one,
    /// each with ``rpmvercmp(_:_:)``. Works on the UTF-8 bytes without building
    /// `Version` values, so comparing whole databases stays cheap.
    public static func compare(_ a: String, _ b: String) -> Int {
        withBytes(a, b) { a, b in
            let left = EVR(a), right = EVR(b)
            let epochs = withEpoch(left.epoch, in: a) { ea in
                withEpoch(right.epoch, in: b) { eb in segmentCompare(ea, eb) }
            }
            if epochs != 0 { return epochs }
            let versions = segmentCompare(slice(a, left.pkgver), slice(b, right.pkgver))
            if versions != 0 { return versions }
            guard let leftRelease = left.pkgrel, let rightRelease = right.pkgrel else { return 0 }
            return segmentCompare(slice(a, leftRelease), slice(b, rightRelease))
        }
    }

    /// libalpm's `rpmvercmp`: compares one component (an epoch, a pkgver or a pkgrel).
    ///
    /// Both strings are read as runs of ASCII digits or ASCII letters separated by runs
    /// of anything else (non-ASCII bytes included). Runs are compared pairwise:
    /// - a longer separator run wins (`1..0 > 1.0`, `2___a > 2_a`), but which
    ///   characters separate does not matter (`1.0 == 1_0`);
    /// - a numeric run beats an alphabetic one (`1.5.1 > 1.5.b`);
    /// - numbers compare by value, leading zeros ignored, with no overflow (`01 == 1`);
    /// - letters compare bytewise (`A < a`, `alpha > a`).
    /// When one side runs out, a remaining letter run is older (`1.0a < 1.0`) and
    /// anything else is newer (`1.0.1 > 1.0`, `1.0. > 1.0`, `1.0 < 1.0.a`).
    /// - Returns: -1, 0 or 1.
    public static func rpmvercmp(_ a: String, _ b: String) -> Int {
        withBytes(a, b, segmentCompare)
    }

    /// Whether `lhs` is older than `rhs` according to `alpm_pkg_vercmp`.
    public static func < (lhs: Version, rhs: Version) -> Bool {
        compare(lhs.description, rhs.description) < 0
    }

    /// Whether `alpm_pkg_vercmp` finds the two equal; see the type's note on transitivity.
    public static func == (lhs: Version, rhs: Version) -> Bool {
        compare(lhs.description, rhs.description) == 0
    }
}

extension Version: Codable {
    /// Decodes from the plain version string, the form every pacman file uses.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes as the original version string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

// MARK: - The byte-level algorithm (libalpm's version.c)

private typealias Bytes = UnsafeBufferPointer<UInt8>

/// The byte ranges of `[epoch:]pkgver[-pkgrel]` inside one buffer, as `parseEVR` finds them.
private struct EVR {
    var epoch: Range<Int>?
    var pkgver: Range<Int>
    var pkgrel: Range<Int>?

    init(_ bytes: Bytes) {
        var afterDigits = 0
        while afterDigits < bytes.count, isDigit(bytes[afterDigits]) { afterDigits += 1 }
        // parseEVR searches for the last '-' from the end of the epoch digits; those
        // digits hold no '-', so searching the whole string finds the same one.
        let dash = bytes.lastIndex(of: UInt8(ascii: "-"))
        let start: Int
        if afterDigits < bytes.count, bytes[afterDigits] == UInt8(ascii: ":") {
            epoch = afterDigits > 0 ? 0..<afterDigits : nil
            start = afterDigits + 1
        } else {
            epoch = nil
            start = 0
        }
        if let dash {
            pkgver = start..<dash
            pkgrel = (dash + 1)..<bytes.count
        } else {
            pkgver = start..<bytes.count
            pkgrel = nil
        }
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
private func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }
private func isAlnum(_ byte: UInt8) -> Bool { isDigit(byte) || isAlpha(byte) }

private func slice(_ bytes: Bytes, _ range: Range<Int>) -> Bytes {
    Bytes(rebasing: bytes[range])
}

/// Runs `body` on the UTF-8 bytes of both strings without copying native strings.
private func withBytes<R>(_ a: String, _ b: String, _ body: (Bytes, Bytes) -> R) -> R {
    var a = a, b = b
    return a.withUTF8 { a in b.withUTF8 { b in body(a, b) } }
}

/// Hands `body` the epoch's bytes, or `"0"` for a missing epoch as `parseEVR` substitutes.
private func withEpoch<R>(_ range: Range<Int>?, in bytes: Bytes, _ body: (Bytes) -> R) -> R {
    guard let range else { return StaticString("0").withUTF8Buffer(body) }
    return body(slice(bytes, range))
}

/// `rpmvercmp` on byte buffers; the walk mirrors the C pointers `one`/`two` (current
/// position) and `ptr1`/`ptr2` (end of the previous run), because where the loop stops,
/// before or after skipping a separator, decides the result for trailing separators.
private func segmentCompare(_ a: Bytes, _ b: Bytes) -> Int {
    // Bytes, not String's ==, which equates canonically equivalent spellings ("é" as
    // one scalar or two) that libalpm's strcmp tells apart.
    if a.elementsEqual(b) { return 0 }
    var one = 0, two = 0, end1 = 0, end2 = 0
    while one < a.count, two < b.count {
        while one < a.count, !isAlnum(a[one]) { one += 1 }
        while two < b.count, !isAlnum(b[two]) { two += 1 }
        if one == a.count || two == b.count { break }
        let separator1 = one - end1, separator2 = two - end2
        if separator1 != separator2 { return separator1 < separator2 ? -1 : 1 }

        // The first string's run decides the kind; the second is walked as the same kind.
        let isNumber = isDigit(a[one])
        let sameKind = isNumber ? isDigit : isAlpha
        end1 = one
        end2 = two
        while end1 < a.count, sameKind(a[end1]) { end1 += 1 }
        while end2 < b.count, sameKind(b[end2]) { end2 += 1 }
        // The second string has a run of the other kind here: numbers are newer.
        if end2 == two { return isNumber ? 1 : -1 }

        if isNumber {
            while one < end1, a[one] == UInt8(ascii: "0") { one += 1 }
            while two < end2, b[two] == UInt8(ascii: "0") { two += 1 }
            let digits1 = end1 - one, digits2 = end2 - two
            if digits1 != digits2 { return digits1 > digits2 ? 1 : -1 }
        }
        let order = lexicographicCompare(slice(a, one..<end1), slice(b, two..<end2))
        if order != 0 { return order }
        one = end1
        two = end2
    }
    if one == a.count, two == b.count { return 0 }
    // The final showdown: a remaining letter run never beats the end of the string.
    let oneEnded = one == a.count
    if (oneEnded && !isAlpha(b[two])) || (!oneEnded && isAlpha(a[one])) { return -1 }
    return 1
}

/// `strcmp` on two runs, reduced to -1, 0 or 1.
private func lexicographicCompare(_ a: Bytes, _ b: Bytes) -> Int {
    for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}
