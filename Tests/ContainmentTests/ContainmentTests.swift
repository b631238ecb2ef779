import Foundation
import Testing

/// Issue 13's attacks as real builds, each with PKGBUILDs and packages of its own
/// making, on the namespace backend (and on UML where it applies): each must end
/// contained, with the host's canary unread, core_pattern and the published pools as they
/// were, the build failed with the expected class, and no process, mount, loop device,
/// cgroup or immutable file left. Needs root (as CI runs the sandbox tests), the sandbox
/// tests' cached build root, and gcc on the host for the attack program.
///
/// One test at a time: the limit tests measure how quickly a run is stopped, and the
/// concurrency they need is their own (``LimitTests``, ``ConcurrentRunTests``). The
/// attacks' logs stay in `STATE/tests/containment-logs/` as evidence.
@Suite(.enabled(if: ContainmentRoot.canRun, "needs root and gcc"), .serialized)
struct ContainmentTests {}
