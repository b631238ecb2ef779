/// A binary heap ordered by a closure: `pop` returns the element for which
/// `isBefore` holds against all others. The standard library has none, and pulling in
/// swift-collections for one scheduler loop is not worth a dependency.
struct Heap<Element> {
    private var elements: [Element] = []
    private let isBefore: (Element, Element) -> Bool

    init(by isBefore: @escaping (Element, Element) -> Bool) { self.isBefore = isBefore }

    var count: Int { elements.count }
    var isEmpty: Bool { elements.isEmpty }

    /// - Complexity: O(log n).
    mutating func push(_ element: Element) {
        elements.append(element)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard isBefore(elements[child], elements[parent]) else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    /// - Complexity: O(log n).
    mutating func pop() -> Element? {
        guard !elements.isEmpty else { return nil }
        elements.swapAt(0, elements.count - 1)
        let top = elements.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < elements.count, isBefore(elements[left], elements[first]) { first = left }
            if right < elements.count, isBefore(elements[right], elements[first]) { first = right }
            if first == parent { break }
            elements.swapAt(parent, first)
            parent = first
        }
        return top
    }
}
