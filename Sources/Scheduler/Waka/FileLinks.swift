import Foundation

/// Putting files where a build reads them: hard links within the state directory's
/// file system, copies across file systems.
enum FileLinks {
    /// Links `source` as `target` (replacing it), its directory created; copies when a
    /// link is impossible.
    static func linkOrCopy(_ source: String, to target: String) throws(SchedulerError) {
        let parent = (target as NSString).deletingLastPathComponent
        do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw .io(path: parent, reason: "cannot create: \(error.localizedDescription)")
        }
        unlink(target)
        if link(source, target) == 0 { return }
        do { try FileManager.default.copyItem(atPath: source, toPath: target) } catch {
            throw .io(path: target, reason: "cannot link or copy \(source): \(error.localizedDescription)")
        }
    }

    /// Copies `source` to `target` (replacing it) with its modification time: pacman asks
    /// a server for a database only when it is newer than the copy it has.
    static func copyKeepingTime(_ source: String, to target: String) throws(SchedulerError) {
        unlink(target)
        do {
            try FileManager.default.copyItem(atPath: source, toPath: target)
            let time = try FileManager.default.attributesOfItem(atPath: source)[.modificationDate]
            if let time { try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: target) }
        } catch {
            throw .io(path: target, reason: "cannot copy \(source): \(error.localizedDescription)")
        }
    }
}
