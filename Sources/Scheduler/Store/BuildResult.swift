import Sandbox
/// What a worker reports when it is done with a claimed build.
public enum BuildResult: Sendable, Hashable {
    case built(log: String?, artifacts: [String])
    case failed(FailureClass, reason: String, log: String?)
}
