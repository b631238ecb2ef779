import Foundation

/// What a sandboxed run may leave on the host when its tear-down misses something:
/// processes, mounts, loop devices, cgroups, immutable or append-only files.
enum Leftovers {
    /// The host ids of the namespace backend's sandboxes: `pacbuild-sandbox`'s
    /// subordinate range in /etc/subuid (root inside is its first id).
    static func sandboxUIDs() -> Range<UInt32>? {
        guard let text = try? String(contentsOfFile: "/etc/subuid", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":")
            if fields.count == 3, fields[0] == "pacbuild-sandbox", let start = UInt32(fields[1]), let count = UInt32(fields[2]) {
                return start..<(start + count)
            }
        }
        return nil
    }

    /// Every leftover, as a sentence: processes whose command line holds one of
    /// `markers`, sandbox processes whose mounts name `directory` or a scratch directory
    /// that no longer exists (a sandbox that ended but left them running), mounts and
    /// loop devices below `directory`, and the cgroups of the runs whose scratch
    /// directories were `scratchNames`.
    static func all(directory: String, markers: [String] = [], scratchNames: [String] = []) -> [String] {
        // a run's scratch name is in its processes' command lines (the outer stage's
        // arguments, UML's umid=): none may outlive the run
        processes(directory: directory, markers: markers + scratchNames) + mounts(under: directory) + loopDevices(under: directory)
            + cgroups(scratchNames: scratchNames)
    }

    static func processes(directory: String, markers: [String]) -> [String] {
        let range = sandboxUIDs()
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        var found: [String] = []
        for pid in pids where pid != getpid() {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { continue }
            let uid = status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?
                .split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap { UInt32($0) }
            let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
                .map { String(decoding: $0.map { $0 == 0 ? 32 : $0 }, as: UTF8.self) } ?? ""
            if status.contains("State:\tZ") { continue }
            if markers.contains(where: { cmdline.contains($0) }) {
                found.append("process \(pid) (uid \(uid ?? 0)) left running: \(cmdline)")
                continue
            }
            guard let uid, let range, range.contains(uid) else { continue }
            let mountinfo = (try? String(contentsOfFile: "/proc/\(pid)/mountinfo", encoding: .utf8)) ?? ""
            if mountinfo.contains(directory) {
                found.append("sandbox process \(pid) (uid \(uid)) of this test left running: \(cmdline)")
            } else if let scratch = scratchDirectory(in: mountinfo), !FileManager.default.fileExists(atPath: scratch) {
                found.append("sandbox process \(pid) (uid \(uid)) of a finished run (\(scratch)) left running: \(cmdline)")
            }
        }
        return found
    }

    /// The `pacbuild-ns.XXXXXX` scratch directory of a sandbox process, from its overlay's upperdir.
    static func scratchDirectory(in mountinfo: String) -> String? {
        guard let option = mountinfo.range(of: "upperdir=") else { return nil }
        let path = mountinfo[option.upperBound...].prefix { $0 != "," && $0 != " " && $0 != "\n" }
        guard let marker = path.range(of: "/pacbuild-ns.") else { return nil }
        let rest = path[marker.upperBound...].prefix { $0 != "/" }
        return String(path[..<marker.upperBound]) + rest
    }

    static func mounts(under directory: String) -> [String] {
        var found: [String] = []
        for file in ["/proc/self/mountinfo", "/proc/1/mountinfo"] {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.contains(directory) { found.append("mount left in \(file): \(line)") }
        }
        return found
    }

    static func loopDevices(under directory: String) -> [String] {
        let listing = (try? ContainmentRoot.shell("losetup -l -n -O NAME,BACK-FILE 2>/dev/null").output) ?? ""
        return listing.split(separator: "\n").filter { $0.contains(directory) }.map { "loop device left: \($0)" }
    }

    static func cgroups(scratchNames: [String]) -> [String] {
        guard !scratchNames.isEmpty else { return [] }
        let names = scratchNames.map { "-name " + quoted("pacbuild-" + $0 + "-p*") }.joined(separator: " -o ")
        let found = (try? ContainmentRoot.shell("find /sys/fs/cgroup -maxdepth 8 -type d \\( \(names) \\) 2>/dev/null").output) ?? ""
        return found.split(separator: "\n").map { "cgroup left: \($0)" }
    }

    /// Files below `directory` with the immutable (`i`) or append-only (`a`) attribute.
    static func immutableFiles(under directory: String) -> [String] {
        let listing = (try? ContainmentRoot.shell("lsattr -R -a \(quoted(directory)) 2>/dev/null").output) ?? ""
        return listing.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 1)
            guard fields.count == 2, fields[0].allSatisfy({ $0 == "-" || $0.isLetter }), fields[0].count > 8 else { return nil }
            return fields[0].contains("i") || fields[0].contains("a") ? "attribute left: \(line)" : nil
        }
    }

    /// Removes `directory` as the host would (`rm -rf`); a sentence when that fails or
    /// leaves something.
    static func removal(of directory: String) -> [String] {
        let (status, output) = (try? ContainmentRoot.shell("rm -rf \(quoted(directory)) 2>&1")) ?? (1, "cannot run rm")
        if status != 0 || FileManager.default.fileExists(atPath: directory) {
            return ["\(directory) cannot be removed (rm -rf: \(status)): \(output.prefix(500))"]
        }
        return []
    }
}
