/// The characters of `$IFS` for word splitting. Splitting looks at every character an
/// unquoted expansion produces, so the ASCII ones (all of them in practice) are a bitmap:
/// no hashing per character, and a value is searched byte by byte.
struct FieldSeparators: Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private var others: Set<Unicode.Scalar> = []

    /// bash's default IFS: space, tab, newline.
    static let standard = FieldSeparators(" \t\n".unicodeScalars)

    init(_ scalars: some Sequence<Unicode.Scalar>) {
        for c in scalars {
            switch c.value {
            case 0..<64: low |= 1 << UInt64(c.value)
            case 64..<128: high |= 1 << UInt64(c.value - 64)
            default: others.insert(c)
            }
        }
    }

    func contains(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0..<64: return low & (1 << UInt64(c.value)) != 0
        case 64..<128: return high & (1 << UInt64(c.value - 64)) != 0
        default: return !others.isEmpty && others.contains(c)
        }
    }

    /// Whether `text` holds a separator.
    func occurs(in text: String) -> Bool {
        guard others.isEmpty else { return text.unicodeScalars.contains(where: contains) }
        if low == 0 && high == 0 { return false }
        return text.utf8.contains { byte in
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
        }
    }
}
