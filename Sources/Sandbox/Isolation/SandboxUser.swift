import Foundation

/// The host identity builds run as: a dedicated system user, `pacbuild-sandbox`, and the
/// range of subordinate user and group ids it owns (`/etc/subuid`, `/etc/subgid`).
///
/// The namespace backend maps uid and gid 0 inside its user namespace to the first id of
/// the range (the rest of the range follows), so root inside, the dependencies' install
/// scriptlets and makepkg's `builder` are ids no host file or process belongs to, and no
/// capability they hold reaches the host. UML's kernel runs as the user itself.
public struct SandboxUser: Sendable, Equatable {
    /// The system user's name.
    public static let name = "pacbuild-sandbox"
    /// How many ids the range holds (a whole 16-bit id space, as distributions give users).
    public static let rangeCount: UInt32 = 65536

    public var uid: uid_t
    public var gid: gid_t
    /// The first subordinate uid and gid: root inside a sandbox is this id on the host.
    public var firstSubordinateUID: UInt32
    public var firstSubordinateGID: UInt32

    /// The user and its ranges as the system has them, or `nil` when either is missing.
    public static func lookup() -> SandboxUser? {
        guard let entry = getpwnam(name) else { return nil }
        let uid = entry.pointee.pw_uid, gid = entry.pointee.pw_gid
        guard let subuid = subordinateStart(file: "/etc/subuid"), let subgid = subordinateStart(file: "/etc/subgid") else { return nil }
        return SandboxUser(uid: uid, gid: gid, firstSubordinateUID: subuid, firstSubordinateGID: subgid)
    }

    /// The user and its ranges, made first when missing (root only): `useradd --system`,
    /// then a free range of ``rangeCount`` ids in `/etc/subuid` and `/etc/subgid` through
    /// `usermod --add-subuids/--add-subgids`. Idempotent; `scripts/setup` and `pacbuild
    /// sandbox create` call it, and the namespace backend does before its first build.
    public static func ensure() throws(SandboxError) -> SandboxUser {
        if let user = lookup() { return user }
        guard geteuid() == 0 else {
            throw .needsRoot(backend: .namespace, reason: "the system user \(name) with subordinate ids is missing and only root can make it (run scripts/setup)")
        }
        try HostCommand.require("useradd", package: "passwd")
        if getpwnam(name) == nil {
            try HostCommand.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                                 "--shell", "/usr/sbin/nologin", "--comment", "pacbuild build sandboxes", name])
        }
        for (file, flag) in [("/etc/subuid", "--add-subuids"), ("/etc/subgid", "--add-subgids")] where subordinateStart(file: file) == nil {
            let start = freeRangeStart(file: file)
            try HostCommand.run(["usermod", flag, "\(start)-\(start + rangeCount - 1)", name])
        }
        guard let user = lookup() else {
            throw .io(path: "/etc/subuid", reason: "made the user \(name) and its subordinate ids, but cannot read them back")
        }
        return user
    }

    /// `unshare --map-users`/`--map-groups` values: inside 0.. to the range.
    public var uidMap: String { "\(firstSubordinateUID),0,\(Self.rangeCount)" }
    public var gidMap: String { "\(firstSubordinateGID),0,\(Self.rangeCount)" }

    /// The host id of an id inside the sandbox (root inside is ``firstSubordinateUID``).
    public func hostUID(_ inside: UInt32) -> uid_t { firstSubordinateUID + inside }
    public func hostGID(_ inside: UInt32) -> gid_t { firstSubordinateGID + inside }

    /// The first id of this user's range of at least ``rangeCount`` ids in `file`.
    static func subordinateStart(file: String) -> UInt32? {
        ranges(file: file).first { $0.owner == name && $0.count >= rangeCount }?.start
    }

    /// The lowest multiple of ``rangeCount`` from 2^20 on that overlaps no range in `file`
    /// (ids below are where distributions put their users' own ranges).
    static func freeRangeStart(file: String) -> UInt32 {
        let taken = ranges(file: file)
        var start: UInt32 = 1 << 20
        while taken.contains(where: { $0.start < start + rangeCount && start < $0.start &+ $0.count }) { start += rangeCount }
        return start
    }

    private static func ranges(file: String) -> [(owner: String, start: UInt32, count: UInt32)] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 3, let start = UInt32(fields[1]), let count = UInt32(fields[2]) else { return nil }
            return (String(fields[0]), start, count)
        }
    }
}
