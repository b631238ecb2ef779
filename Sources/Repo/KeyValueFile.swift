/// One `key = value` line of a `.PKGINFO` or `.BUILDINFO`.
public struct KeyValueField: Sendable, Hashable, Codable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// Reads the `key = value` lines of `.PKGINFO` and `.BUILDINFO` exactly as repo-add
/// 6.0.2 reads them, because the database entries we write must equal its entries:
/// `read -r line` (outer blanks trimmed, `#` lines skipped), then `IFS=' =' read -r var
/// val` (the key ends at the first space or `=`; one `=` and the spaces around it
/// separate; a single trailing `=` is dropped), then `${val//+([[:space:]])/ }` (every
/// run of white space becomes one space).
func parseKeyValueLines(_ bytes: [UInt8]) -> [KeyValueField] {
    var fields: [KeyValueField] = []
    for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
        var line = rawLine[...]
        while let first = line.first, first == 0x20 || first == 0x09 { line.removeFirst() }
        while let last = line.last, last == 0x20 || last == 0x09 { line.removeLast() }
        guard let first = line.first, first != UInt8(ascii: "#") else { continue }
        let keyEnd = line.firstIndex { $0 == 0x20 || $0 == UInt8(ascii: "=") } ?? line.endIndex
        var rest = line[keyEnd...]
        while rest.first == 0x20 { rest.removeFirst() }
        if rest.first == UInt8(ascii: "=") { rest.removeFirst() }
        while rest.first == 0x20 { rest.removeFirst() }
        fields.append(KeyValueField(key: String(decoding: line[..<keyEnd], as: UTF8.self),
                                    value: normalizedValue(rest)))
    }
    return fields
}

/// bash's treatment of the last variable of `read`: trailing IFS blanks go, and so does
/// one trailing `=` that ends a field (`v =` gives `v`, `v==` and `a ==` stay); then
/// white-space runs collapse to one space.
private func normalizedValue(_ bytes: ArraySlice<UInt8>) -> String {
    var value = bytes
    while value.last == 0x20 { value.removeLast() }
    if value.last == UInt8(ascii: "=") {
        var before = value.dropLast()
        while before.last == 0x20 { before.removeLast() }
        if before.last != UInt8(ascii: "=") { value = before }
    }
    var out: [UInt8] = []
    out.reserveCapacity(value.count)
    var inSpace = false
    for byte in value {
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0d) {
            if !inSpace { out.append(0x20) }
            inSpace = true
        } else {
            out.append(byte)
            inSpace = false
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Lookups over a list of fields, shared by ``PackageInfo`` and ``BuildInfo``.
protocol KeyValueFile {
    var fields: [KeyValueField] { get }
}

extension KeyValueFile {
    /// The last value of `key`, as repo-add's `declare` keeps the last assignment.
    public func value(_ key: String) -> String? { fields.last { $0.key == key }?.value }
    /// Every value of a repeated key (`depend`, `installed`, ...), in file order.
    public func values(_ key: String) -> [String] { fields.filter { $0.key == key }.map(\.value) }
}
