/// What a queued build's dependencies add up to, computed by the store from the edges.
public enum DependencyStatus: Sendable, Hashable {
    /// Every dependency is accepted (or there are none).
    case done
    /// Some dependency is still on its way and none has failed.
    case pending
    /// This dependency failed, was rejected or cancelled (the lowest id when several did).
    case failed(BuildID)
}
