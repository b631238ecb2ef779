// TEMPORARY stand-ins until the real implementations land.
struct ShellPattern {
    let p: String
    init(_ p: String) { self.p = p }
    func matches(_ s: String) -> Bool { p == "*" || p == s }
    func removePrefix(of s: String, longest: Bool) -> String { s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s }
    func removeSuffix(of s: String, longest: Bool) -> String { s.hasSuffix(p) ? String(s.dropLast(p.count)) : s }
    func replace(in s: String, with r: String, mode: ParameterExpansion.ReplaceMode) -> String { s.replacingAll(p, with: r) }
    static func escape(_ s: String) -> String { s }
}
enum BraceExpansion { static func expand(_ parts: [WordPart], offset: Int) throws -> [[WordPart]] { [parts] } }
struct ShellArithmetic {
    struct Failure: Error { var message: String }
    let t: String
    init(_ t: String) { self.t = t }
    mutating func evaluate(using shell: inout ShellInterpreter) throws -> Int { Int(t.trimmingBlanks) ?? 0 }
}
