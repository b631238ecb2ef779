/// What a UML machine's kernel killed for lack of memory while the job ran. The host's
/// cgroup does not see it: the machine's memory is its `mem=`, and its own kernel acts
/// when that runs out, in one of two ways:
/// - its out-of-memory killer (`oom_kill` of the machine's `/proc/vmstat`);
/// - a process whose pages the kernel cannot map on the host (UML maps each page of a
///   process separately, so `vm.max_map_count` bounds one process to about 256 MiB, or
///   the host refused the memory): the kernel logs "ran out of memory on the host side"
///   and kills it.
/// Either is the build's memory limit, though a build that swallows the failure (a
/// pipeline's status) would otherwise succeed with what the killed process left undone.
struct UMLMemoryKills: Equatable {
    /// Processes the machine's out-of-memory killer killed.
    var outOfMemory: Int
    /// Processes killed because the host would not map their memory.
    var hostSide: Int

    /// Reads the report's `OUT_OF_MEMORY HOST_SIDE`; `nil` if it is not two counts.
    init?(_ text: String) {
        let fields = text.split(whereSeparator: \.isWhitespace).map { Int($0) }
        guard fields.count == 2, let outOfMemory = fields[0], let hostSide = fields[1], outOfMemory >= 0, hostSide >= 0 else { return nil }
        self.outOfMemory = outOfMemory
        self.hostSide = hostSide
    }

    /// The limit hit as a sentence, or `nil` when nothing was killed.
    func limitHit(memory: UInt64) -> String? {
        let limit = "memory limit of \(Cgroup.mebibytes(memory)) reached: "
        if outOfMemory > 0 {
            return limit + "the machine's kernel killed \(Self.processes(outOfMemory)) of the build out of memory"
        }
        if hostSide > 0 {
            return limit + "the machine's kernel killed \(Self.processes(hostSide)) of the build whose memory the host would not map"
                + " (UML maps each page separately: vm.max_map_count bounds one process)"
        }
        return nil
    }

    private static func processes(_ count: Int) -> String { count == 1 ? "1 process" : "\(count) processes" }

    /// Shell text for the command file, run as root in the machine after the job: writes
    /// both counts to `path` (dmesg and grep are in every Debian root).
    static func report(to path: String) -> String {
        """
        kills=0
            while read -r key value; do [ "$key" != oom_kill ] || kills=$value; done </proc/vmstat
            host=$(dmesg 2>/dev/null | grep -c 'ran out of memory on the host side')
            echo "$kills ${host:-0}" >\(path)
        """
    }
}
