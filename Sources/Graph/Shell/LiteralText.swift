/// The literal text of a word as the parser reads it: usually one run of the input's
/// bytes, kept as a range and made a string once (no byte-by-byte copy); once something
/// interrupts the run (a line continuation, an escape, an expansion between two
/// literals), the bytes so far are gathered in a buffer.
struct LiteralText {
    private var gathered: [UInt8] = []
    private var run: Range<Int>

    init(at offset: Int) { run = offset..<offset }

    /// Takes the input byte at `offset` (the byte after the last one taken, usually).
    mutating func take(_ offset: Int, of bytes: [UInt8]) {
        if run.upperBound != offset {
            gather(bytes)
            run = offset..<offset
        }
        run = run.lowerBound..<(offset + 1)
    }

    /// Appends a byte that is not the input's next one (an escaped character).
    mutating func append(_ byte: UInt8, of bytes: [UInt8]) {
        gather(bytes)
        gathered.append(byte)
    }

    /// Appends input bytes read as a whole (an extended glob group).
    mutating func append(_ range: Range<Int>, of bytes: [UInt8]) {
        gather(bytes)
        gathered.append(contentsOf: bytes[range])
    }

    /// The text taken since the last flush, nil when there is none.
    mutating func flush(_ bytes: [UInt8]) -> String? {
        defer {
            gathered.removeAll(keepingCapacity: true)
            run = run.upperBound..<run.upperBound
        }
        if gathered.isEmpty { return run.isEmpty ? nil : String(decoding: bytes[run], as: UTF8.self) }
        gather(bytes)
        return String(decoding: gathered, as: UTF8.self)
    }

    private mutating func gather(_ bytes: [UInt8]) {
        if !run.isEmpty { gathered.append(contentsOf: bytes[run]) }
        run = run.upperBound..<run.upperBound
    }
}
