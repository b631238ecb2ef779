extension Dependency: Codable {
    /// Decodes from the entry's pacman spelling, as databases and `.SRCINFO` write it.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
