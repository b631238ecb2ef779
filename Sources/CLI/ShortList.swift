/// Long lists cut for people: a full distribution's plan has thousands of builds and
/// cycles of thousands of members, too many for a terminal. The first `limit` items,
/// then how many more and how to see them; everything with `--full`.
struct ShortList {
    /// Items shown per list unless `--full`.
    static let defaultLimit = 25

    var full: Bool
    var limit = ShortList.defaultLimit

    /// The items to print one a line, and the line that says how many were left out.
    func lines(_ items: [String]) -> (shown: ArraySlice<String>, more: String?) {
        guard !full, items.count > limit else { return (items[...], nil) }
        return (items.prefix(limit), "... and \(items.count - limit) more (--full lists them all)")
    }

    /// The items joined on one line, cut to `limit` with the count of the rest.
    func joined(_ items: [String], separator: String = ", ") -> String {
        guard !full, items.count > limit else { return items.joined(separator: separator) }
        return items.prefix(limit).joined(separator: separator) + "\(separator)... (\(items.count - limit) more; --full lists them all)"
    }

    /// A chain `a -> b -> ... -> cause`: its ends kept, the middle counted.
    func chain(_ items: [String]) -> String {
        let keep = max(4, limit / 3)
        guard !full, items.count > keep + 2 else { return items.joined(separator: " -> ") }
        return (items.prefix(keep) + ["... (\(items.count - keep - 1) more)", items.last!]).joined(separator: " -> ")
    }
}
