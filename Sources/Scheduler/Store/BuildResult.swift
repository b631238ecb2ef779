import Sandbox
/// What a worker reports when it is done with a claimed build.
public enum BuildResult: Sendable, Hashable {
    /// `facts`: each package file's `.PKGINFO` facts as the worker read them, recorded
    /// with the report (``BuildStore/packageFacts(of:)``); empty from a worker that read
    /// none (a simulation, a test).
    case built(log: String?, artifacts: [String], facts: [PackageFacts] = [])
    case failed(FailureClass, reason: String, log: String?)
}
