/// Shell variables as bash keeps them: scalars, sparse indexed arrays and associative
/// arrays, in a stack of scopes with dynamic scoping (a function sees its caller's locals).

/// A sparse indexed array, its keys kept sorted as bash iterates them.
struct IndexedArray: Sendable, Equatable {
    private(set) var keys: [Int] = []
    private(set) var values: [String] = []

    init() {}
    init(_ values: [String]) {
        self.keys = Array(values.indices)
        self.values = values
    }

    var count: Int { values.count }
    var nextIndex: Int { (keys.last ?? -1) + 1 }

    subscript(key: Int) -> String? {
        if let last = keys.last, key == last { return values[values.count - 1] }
        guard let i = position(of: key) else { return nil }
        return values[i]
    }

    /// Sets element `key`; returns how many elements moved to make room (an insertion
    /// before the last key moves the ones after it), the work a caller pays for.
    @discardableResult
    mutating func set(_ key: Int, _ value: String) -> Int {
        if keys.isEmpty || key > keys[keys.count - 1] {
            keys.append(key)
            values.append(value)
            return 0
        } else if let i = position(of: key) {
            values[i] = value
            return 0
        } else {
            let insertAt = insertionPoint(of: key)
            keys.insert(key, at: insertAt)
            values.insert(value, at: insertAt)
            return keys.count - insertAt
        }
    }

    mutating func append(_ value: String) { set(nextIndex, value) }

    /// Removes element `key`; returns how many elements moved.
    @discardableResult
    mutating func remove(_ key: Int) -> Int {
        guard let i = position(of: key) else { return 0 }
        keys.remove(at: i)
        values.remove(at: i)
        return keys.count - i
    }

    /// The position of the first key greater than `key`.
    private func insertionPoint(of key: Int) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] <= key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private func position(of key: Int) -> Int? {
        var low = 0, high = keys.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if keys[mid] == key { return mid }
            if keys[mid] < key { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }
}

/// An associative array, iterated in bash's own order: its hash table's buckets in turn
/// (1024 buckets, FNV-1 of the key), the newest entry first within a bucket. PKGBUILDs
/// that loop over `"${!map[@]}"` (source lists of vendored crates, provides) depend on it.
struct AssociativeArray: Sendable, Equatable {
    private var insertionOrder: [String] = []
    private var storage: [String: String] = [:]

    var keys: [String] {
        insertionOrder.enumerated()
            .map { (bucket: Self.bashBucket($0.element), order: $0.offset, key: $0.element) }
            .sorted { $0.bucket != $1.bucket ? $0.bucket < $1.bucket : $0.order > $1.order }
            .map(\.key)
    }

    /// bash's `hash_string` (hashlib.c, FNV-1 over signed chars) masked to 1024 buckets.
    static func bashBucket(_ key: String) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for byte in key.utf8 {
            h = h &* 16_777_619
            h ^= UInt32(bitPattern: Int32(Int8(bitPattern: byte)))
        }
        return h & 1023
    }

    var values: [String] { keys.map { storage[$0]! } }
    var count: Int { insertionOrder.count }
    subscript(key: String) -> String? { storage[key] }

    mutating func set(_ key: String, _ value: String) {
        if storage.updateValue(value, forKey: key) == nil { insertionOrder.append(key) }
    }

    /// Removes `key`; returns the work it took (the entries searched for its place).
    @discardableResult
    mutating func remove(_ key: String) -> Int {
        guard storage.removeValue(forKey: key) != nil else { return 0 }
        insertionOrder.removeAll { $0 == key }
        return insertionOrder.count
    }
}

enum ShellValue: Sendable, Equatable {
    case scalar(String)
    case indexed(IndexedArray)
    case associative(AssociativeArray)

    /// `$name` of any kind: element 0 of an array.
    var scalarValue: String? {
        switch self {
        case .scalar(let s): return s
        case .indexed(let a): return a[0]
        case .associative(let a): return a["0"]
        }
    }

    /// `${name[@]}`
    var allValues: [String] {
        switch self {
        case .scalar(let s): return [s]
        case .indexed(let a): return a.values
        case .associative(let a): return a.values
        }
    }

    var allKeys: [String] {
        switch self {
        case .scalar: return ["0"]
        case .indexed(let a): return a.keys.map(String.init)
        case .associative(let a): return a.keys
        }
    }
}

/// A variable: a value (nil when only declared, as `local x` or `declare -a x` leave it)
/// and the attributes PKGBUILDs use.
struct ShellVariable: Sendable {
    var value: ShellValue?
    /// Where the value was last assigned or the variable declared (a byte offset of the
    /// PKGBUILD), for the line of a diagnostic about it; nil for the environment's.
    var assignedAt: Int?
    var isReadonly = false
    var isInteger = false
    var isAssociative = false
    var isIndexedArray = false

    /// Takes the indexed array out of the variable (its value left nil), so that the
    /// caller holds the only reference and changes it in place, not a copy of it.
    mutating func takeIndexed() -> IndexedArray? {
        guard case .indexed(let array)? = value else { return nil }
        value = nil
        return array
    }

    /// The same for an associative array.
    mutating func takeAssociative() -> AssociativeArray? {
        guard case .associative(let array)? = value else { return nil }
        value = nil
        return array
    }
}

/// The variables of a shell: the global scope and one scope per running function.
struct ShellScopes: Sendable {
    var scopes: [[String: ShellVariable]] = [[:]]

    var globals: [String: ShellVariable] { scopes[0] }

    /// The innermost scope that holds `name`.
    func scopeIndex(of name: String) -> Int? {
        var i = scopes.count - 1
        while i >= 0 {
            if scopes[i][name] != nil { return i }
            i -= 1
        }
        return nil
    }

    func variable(_ name: String) -> ShellVariable? {
        var i = scopes.count - 1
        while i >= 0 {
            if let v = scopes[i][name] { return v }
            i -= 1
        }
        return nil
    }

    func value(_ name: String) -> ShellValue? { variable(name)?.value }

    /// Assigns where bash would: the innermost scope holding the name, else the global one.
    /// Mutates in place (no copy of an array value), so `a+=(x)` in a loop stays linear.
    mutating func update(_ name: String, _ body: (inout ShellVariable) -> Void) {
        let index = scopeIndex(of: name) ?? 0
        body(&scopes[index][name, default: ShellVariable()])
    }

    mutating func declareLocal(_ name: String, _ body: (inout ShellVariable) -> Void) {
        body(&scopes[scopes.count - 1][name, default: ShellVariable()])
    }

    mutating func unset(_ name: String) {
        if let index = scopeIndex(of: name) { scopes[index][name] = nil }
    }
}
