import Foundation

/// One sandboxed run's control group: its memory (and swap), process and CPU limits,
/// and what the kernel counted against them. Made below the caller's own cgroup, under
/// cgroup v2 where its controllers are delegated, else under the v1 hierarchies of
/// `memory`, `pids` and `cpu` (hybrid hosts). The sandbox's outermost process joins it
/// before anything of the build runs; ``remove()`` kills whatever is left and removes it.
public final class Cgroup: @unchecked Sendable {
    /// The cgroup's directories: one under v2, one per controller under v1.
    let directories: [String]
    let limits: SandboxLimits
    private let unified: Bool

    private init(directories: [String], limits: SandboxLimits, unified: Bool) {
        self.directories = directories
        self.limits = limits
        self.unified = unified
    }

    /// Every `cgroup.procs` file the sandbox's first process writes its pid to.
    var procsFiles: [String] { directories.map { $0 + "/cgroup.procs" } }

    /// Makes the cgroup `name` with `limits`; throws when no hierarchy with the memory and
    /// pids controllers is available to this process.
    static func make(name: String, limits: SandboxLimits) throws(SandboxError) -> Cgroup {
        var layout = CgroupLayout.current()
        if layout.unifiedDirectory(with: ["memory", "pids"]) == nil,
           layout.v1Directory("memory") == nil || layout.v1Directory("pids") == nil {
            // a mount namespace without /sys/fs/cgroup (`ip netns exec`, a container):
            // the hierarchies this process belongs to are mounted where pacbuild can reach them
            layout.mountOwnHierarchies()
            layout = CgroupLayout.current()
        }
        if let base = layout.unifiedDirectory(with: ["memory", "pids"]) {
            let directory = base + "/" + name
            let group = Cgroup(directories: [directory], limits: limits, unified: true)
            try group.create(directory)
            try group.write(directory + "/memory.max", "\(limits.memoryBytes)")
            try? group.write(directory + "/memory.swap.max", "0")
            try group.write(directory + "/pids.max", "\(limits.maxProcesses)")
            try? group.write(directory + "/cpu.weight", "\(min(max(limits.cpuWeight, 1), 10000))")
            return group
        }
        guard let memory = layout.v1Directory("memory"), let pids = layout.v1Directory("pids") else {
            throw .io(path: "/sys/fs/cgroup", reason: "no cgroup hierarchy with the memory and pids controllers is available to pacbuild (\(layout.summary)); the sandbox's resource limits need one (cgroup v2 with memory and pids delegated, or the v1 memory and pids hierarchies)")
        }
        var directories = [memory + "/" + name, pids + "/" + name]
        let cpu = layout.v1Directory("cpu").map { $0 + "/" + name }
        if let cpu { directories.append(cpu) }
        let group = Cgroup(directories: directories, limits: limits, unified: false)
        for directory in directories { try group.create(directory) }
        try group.write(directories[0] + "/memory.limit_in_bytes", "\(limits.memoryBytes)")
        // no swap beyond the memory limit, where swap accounting exists
        try? group.write(directories[0] + "/memory.memsw.limit_in_bytes", "\(limits.memoryBytes)")
        try group.write(directories[1] + "/pids.max", "\(limits.maxProcesses)")
        if let cpu { try? group.write(cpu + "/cpu.shares", "\(max(2, UInt64(limits.cpuWeight) * 1024 / 100))") }
        return group
    }

    /// The limit the run hit so far, as a sentence, or `nil`: a process killed for memory,
    /// or a fork refused for the process limit.
    func limitHit() -> String? {
        let memoryEvents = unified ? directories[0] + "/memory.events" : directories[0] + "/memory.oom_control"
        if counter("oom_kill", in: memoryEvents) > 0 {
            return "memory limit of \(Self.mebibytes(limits.memoryBytes)) reached: the kernel killed a process of the build"
        }
        let pidsEvents = (unified ? directories[0] : directories[1]) + "/pids.events"
        if counter("max", in: pidsEvents) > 0 {
            return "process limit of \(limits.maxProcesses) reached: the build tried to run more processes at once"
        }
        return nil
    }

    /// Kills every process still in the cgroup and removes its directories.
    func remove() {
        for directory in directories.reversed() {
            let deadline = ContinuousClock.now + .seconds(5)
            while true {
                let pids = (try? String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8))?
                    .split(separator: "\n").compactMap { pid_t($0) } ?? []
                if pids.isEmpty || ContinuousClock.now > deadline { break }
                pids.forEach { kill($0, SIGKILL) }
                usleep(20_000)
            }
            rmdir(directory)
        }
    }

    /// The cgroup name of the run whose scratch directory is `scratch`: its name and the
    /// pid of the process that makes (and removes) the cgroup, `pacbuild-NAME-pPID`.
    static func name(forScratch scratch: String) -> String {
        prefix + (scratch as NSString).lastPathComponent + "-p\(getpid())"
    }

    /// Whether the process that made the cgroup `name` still lives (a name without a pid,
    /// from before they carried one, counts as dead).
    static func ownerLives(_ name: String) -> Bool {
        guard let marker = name.range(of: "-p", options: .backwards), let pid = pid_t(name[marker.upperBound...]), pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Removes the empty cgroups of runs whose process died before removing them (a
    /// SIGKILLed waka). A live process's cgroups stay, even empty: a run's cgroup is
    /// empty between its making and the sandbox joining it, and another waka or
    /// `recover` starting on the machine at that moment must not take it away. Returns
    /// their paths.
    public static func removeAbandoned() -> [String] {
        let layout = CgroupLayout.current()
        var parents = ["memory", "pids", "cpu"].compactMap(layout.v1Directory)
        if let unified = layout.unifiedMount, let path = layout.paths[""] { parents.append(unified + (path == "/" ? "" : path)) }
        var removed: [String] = []
        for parent in Set(parents) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
            for name in names where name.hasPrefix(prefix) && !ownerLives(name) {
                let procs = (try? String(contentsOfFile: parent + "/" + name + "/cgroup.procs", encoding: .utf8)) ?? "-"
                if procs.isEmpty, rmdir(parent + "/" + name) == 0 { removed.append(parent + "/" + name) }
            }
        }
        return removed
    }

    /// The start of every run's cgroup name.
    static let prefix = "pacbuild-"

    private func create(_ directory: String) throws(SandboxError) {
        rmdir(directory)  // an empty leftover of an earlier run of the same name
        guard mkdir(directory, 0o755) == 0 else {
            throw .io(path: directory, reason: "cannot create the build's cgroup: \(String(cString: strerror(errno)))")
        }
    }

    private func write(_ path: String, _ value: String) throws(SandboxError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = value.withCString { Glibc.write(fd, $0, strlen($0)) }
        guard written >= 0 else { throw .io(path: path, reason: "cannot set \(value): \(String(cString: strerror(errno)))") }
    }

    private func counter(_ key: String, in file: String) -> UInt64 {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == key { return UInt64(fields[1]) ?? 0 }
        }
        return 0
    }

    static func mebibytes(_ bytes: UInt64) -> String {
        bytes % (1 << 30) == 0 ? "\(bytes >> 30) GiB" : "\(bytes >> 20) MiB"
    }
}

/// Where this process's cgroups are: the mounted hierarchies (`/proc/self/mountinfo`)
/// and its own path in each (`/proc/self/cgroup`).
struct CgroupLayout {
    /// cgroup v1 mount points by controller name.
    var v1Mounts: [String: String] = [:]
    var unifiedMount: String?
    /// This process's path by controller (`""` for the unified hierarchy).
    var paths: [String: String] = [:]

    static func current() -> CgroupLayout {
        var layout = CgroupLayout()
        let mountinfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        for line in mountinfo.split(separator: "\n") {
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2 else { continue }
            let before = halves[0].split(separator: " "), after = halves[1].split(separator: " ")
            guard before.count >= 5, after.count >= 3 else { continue }
            let mountPoint = String(before[4])
            if after[0] == "cgroup2" { layout.unifiedMount = mountPoint }
            if after[0] == "cgroup" {
                for option in after[2].split(separator: ",") { layout.v1Mounts[String(option)] = mountPoint }
            }
        }
        let own = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        for line in own.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            for controller in fields[1].split(separator: ",") { layout.paths[String(controller)] = String(fields[2]) }
            if fields[1].isEmpty { layout.paths[""] = String(fields[2]) }
        }
        return layout
    }

    /// This process's v2 cgroup when it offers every one of `controllers` to children.
    func unifiedDirectory(with controllers: [String]) -> String? {
        guard let mount = unifiedMount, let path = paths[""] else { return nil }
        let directory = mount + (path == "/" ? "" : path)
        guard let available = try? String(contentsOfFile: directory + "/cgroup.controllers", encoding: .utf8) else { return nil }
        let offered = Set(available.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
        guard controllers.allSatisfy(offered.contains) else { return nil }
        // children get the controllers only through subtree_control
        let enable = controllers.map { "+" + $0 }.joined(separator: " ") + (offered.contains("cpu") ? " +cpu" : "")
        let fd = open(directory + "/cgroup.subtree_control", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let ok = enable.withCString { write(fd, $0, strlen($0)) } >= 0
        return ok ? directory : nil
    }

    /// This process's cgroup in the v1 hierarchy of `controller`.
    func v1Directory(_ controller: String) -> String? {
        guard let mount = v1Mounts[controller], let path = paths[controller] else { return nil }
        let directory = mount + (path == "/" ? "" : path)
        return access(directory + "/cgroup.procs", W_OK) == 0 ? directory : nil
    }

    /// Mounts the hierarchies of `/proc/self/cgroup` that are mounted nowhere in this
    /// mount namespace under `/run/pacbuild/cgroup/` (v1 by controller, v2 as `unified`).
    func mountOwnHierarchies() {
        let base = "/run/pacbuild/cgroup"
        let own = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        for line in own.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let controllers = fields[1].split(separator: ",").map(String.init).filter { !$0.hasPrefix("name=") }
            if fields[1].isEmpty {
                guard unifiedMount == nil else { continue }
                try? FileManager.default.createDirectory(atPath: base + "/unified", withIntermediateDirectories: true)
                _ = mount("cgroup2", base + "/unified", "cgroup2", UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC), nil)
            } else if !controllers.isEmpty, controllers.allSatisfy({ v1Mounts[$0] == nil }) {
                let target = base + "/" + controllers.joined(separator: ",")
                try? FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
                _ = mount("cgroup", target, "cgroup", UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC), controllers.joined(separator: ","))
            }
        }
    }

    var summary: String {
        "v2 at \(unifiedMount ?? "none"), v1 controllers: \(v1Mounts.keys.sorted().joined(separator: ", "))"
    }
}
