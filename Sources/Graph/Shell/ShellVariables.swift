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

    mutating func set(_ key: Int, _ value: String) {
        if keys.isEmpty || key > keys[keys.count - 1] {
            keys.append(key)
            values.append(value)
        } else if let i = position(of: key) {
            values[i] = value
        } else {
            let insertAt = keys.firstIndex { $0 > key } ?? keys.count
            keys.insert(key, at: insertAt)
            values.insert(value, at: insertAt)
        }
    }

    mutating func append(_ value: String) { set(nextIndex, value) }

    mutating func remove(_ key: Int) {
        if let i = position(of: key) {
            keys.remove(at: i)
            values.remove(at: i)
        }
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

/// An associative array; bash's own order is its hash order, insertion order is the
/// closest stable stand-in.
struct AssociativeArray: Sendable, Equatable {
    private(set) var keys: [String] = []
    private var storage: [String: String] = [:]

    var values: [String] { keys.map { storage[$0]! } }
    var count: Int { keys.count }
    subscript(key: String) -> String? { storage[key] }

    mutating func set(_ key: String, _ value: String) {
        if storage.updateValue(value, forKey: key) == nil { keys.append(key) }
    }

    mutating func remove(_ key: String) {
        if storage.removeValue(forKey: key) != nil { keys.removeAll { $0 == key } }
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
    var isReadonly = false
    var isInteger = false
    var isAssociative = false
    var isIndexedArray = false
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
