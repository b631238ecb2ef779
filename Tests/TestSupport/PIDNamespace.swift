import Foundation

/// A PID namespace as a test can tell it apart from a later one. The kernel hands the
/// inode number that `/proc/PID/ns/pid` shows to the next namespace as soon as one is
/// gone (lowest free number first), so under a parallel test run the number alone soon
/// names another test's machine; the number with its init (PID 1's host pid and start
/// time) does not.
public struct PIDNamespace: Hashable, Sendable, CustomStringConvertible {
    /// `pid:[4026532...]`
    public var inode: String
    /// `PID@STARTTIME` of the namespace's PID 1 when it was first seen.
    public var initProcess: String

    /// The namespace `pid` is in, unless it is this process's own or has no init.
    public static func of(_ pid: Int32) -> PIDNamespace? {
        guard let inode = inode(of: pid), inode != Self.inode(of: getpid()),
              let first = allPIDs().first(where: { Self.inode(of: $0) == inode && isInit($0) }),
              let identity = identity(of: first) else { return nil }
        return PIDNamespace(inode: inode, initProcess: identity)
    }

    /// The processes in this namespace now: none if its inode now belongs to a later
    /// namespace (another init). A namespace whose init is gone but whose processes are
    /// still dying has no init and counts as this one.
    public func members() -> [Int32] {
        let inside = Self.allPIDs().filter { Self.inode(of: $0) == inode }
        if let current = inside.first(where: Self.isInit), Self.identity(of: current) != initProcess { return [] }
        return inside
    }

    public var description: String { "\(inode) (init \(initProcess))" }

    static func allPIDs() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
    }

    static func inode(of pid: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/pid")
    }

    /// PID 1 of its namespace: the last number of `NSpid:` in its status.
    static func isInit(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }) else { return false }
        return line.split(whereSeparator: { $0 == "\t" || $0 == " " }).last == "1"
    }

    /// `PID@STARTTIME`, the start time being field 22 of `/proc/PID/stat`.
    static func identity(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.range(of: ")", options: .backwards) else { return nil }
        let fields = stat[close.upperBound...].split(separator: " ")
        // fields[0] is field 3 (state): field 22 is fields[19]
        return fields.count > 19 ? "\(pid)@\(fields[19])" : nil
    }
}
