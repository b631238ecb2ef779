import Foundation

/// Whether a run filled its disk: the ext4 image the namespace backend gives each run is
/// exactly the disk limit, so a full image is the limit reached (a few blocks spare count
/// as full: ext4 keeps some for itself).
enum DiskLimit {
    /// Checked while the run goes on, through the started process's view of its mounts.
    static func hit(path: String, limit: UInt64) -> String? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return verdict(available: UInt64(info.f_bavail) * UInt64(info.f_frsize), limit: limit)
    }

    /// Checked after the run, from the outer stage's `stat -f -c '%S %b %a'`.
    static func hit(usageFile: String, limit: UInt64) -> String? {
        guard let text = try? String(contentsOfFile: usageFile, encoding: .utf8) else { return nil }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt64($0) }
        guard fields.count == 3 else { return nil }
        return verdict(available: fields[2] * fields[0], limit: limit)
    }

    static func verdict(available: UInt64, limit: UInt64) -> String? {
        available < max(1 << 20, limit / 500) ? "disk limit of \(Cgroup.mebibytes(limit)) reached: the build filled its disk" : nil
    }
}
