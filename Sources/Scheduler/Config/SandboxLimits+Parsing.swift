import Sandbox

extension SandboxLimits {
    static let keys = ["memory_mb", "processes", "disk_mb", "cpu_weight", "vm_cpus"]

    /// Reads a `[limits]` table (pacbuild.toml's for every repo, a repo file's for that
    /// repo), each key absent or wrong keeping `base`'s value (the errors say which).
    static func parse(_ table: inout ConfigTable, base: SandboxLimits) -> SandboxLimits {
        var limits = base
        guard var nested = table.table("limits", keys: keys) else { return limits }
        let tebibyte = 1 << 20  // in MiB
        if let memory = nested.integer("memory_mb", in: 64...(64 * tebibyte), expected: "MiB of memory per build, from 64 to 67108864") {
            limits.memoryBytes = UInt64(memory) << 20
        }
        if let processes = nested.integer("processes", in: 16...4_194_304, expected: "processes per build, from 16 to 4194304") {
            limits.maxProcesses = UInt32(processes)
        }
        if let disk = nested.integer("disk_mb", in: 64...(1024 * tebibyte), expected: "MiB of disk per build, from 64 to 1073741824") {
            limits.diskBytes = UInt64(disk) << 20
        }
        if let weight = nested.integer("cpu_weight", in: 1...10_000, expected: "a CPU weight, from 1 to 10000 (default 100)") {
            limits.cpuWeight = UInt32(weight)
        }
        if let cpus = nested.integer("vm_cpus", in: 1...64, expected: "virtual CPUs of a vm build's machine, from 1 to 64 (default 1)") {
            limits.vmCPUCount = UInt32(cpus)
        }
        table.absorb(nested)
        return limits
    }
}
