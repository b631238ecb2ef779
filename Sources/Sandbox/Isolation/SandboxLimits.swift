/// The resources one sandboxed run may use. The namespace backend enforces them with a
/// cgroup (memory, processes, CPU weight) and sized file systems (the writable layer of
/// the root, `/tmp` and the build directory); UML with its `mem=` and the size of its
/// disk. Hitting one ends the build as failure class ``FailureClass/limits``.
public struct SandboxLimits: Sendable, Hashable, Codable {
    /// Memory (and swap) of every process of the run together, in bytes.
    public var memoryBytes: UInt64
    /// Processes and threads at once.
    public var maxProcesses: UInt32
    /// Bytes the run may write: the root's writable layer, `/tmp` and the build
    /// directory, each bounded by this size.
    public var diskBytes: UInt64
    /// CPU weight against other runs (cgroup v2 `cpu.weight`, 1...10000; v1 shares scaled).
    public var cpuWeight: UInt32
    /// Virtual CPUs of a `vm` build's machine (`vm_cpus`); `nil`: one.
    public var vmCPUCount: UInt32?
    /// ``vmCPUCount`` or its default.
    public var vmCPUs: UInt32 { vmCPUCount ?? 1 }

    /// Defaults for a build farm machine: 8 GiB of memory, 4096 processes, 32 GiB of disk.
    public init(memoryBytes: UInt64 = 8 << 30, maxProcesses: UInt32 = 4096, diskBytes: UInt64 = 32 << 30, cpuWeight: UInt32 = 100) {
        self.memoryBytes = memoryBytes
        self.maxProcesses = maxProcesses
        self.diskBytes = diskBytes
        self.cpuWeight = cpuWeight
    }
}
