import Foundation

/// How a store hands out work. The same for both backends so their behaviour matches.
public struct StoreOptions: Sendable {
    /// How long a claim holds without a heartbeat before the build goes back to `ready`.
    public var leaseDuration: TimeInterval
    /// Lost leases a build survives before it is `failed(lost)`.
    public var retryLimit: Int
    /// SQLite: how long a writer waits for another process's transaction.
    public var busyTimeout: TimeInterval
    /// The time source for leases and timestamps; tests move it forward.
    public var now: @Sendable () -> Date

    public init(leaseDuration: TimeInterval = 600, retryLimit: Int = 3, busyTimeout: TimeInterval = 30,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.leaseDuration = leaseDuration
        self.retryLimit = retryLimit
        self.busyTimeout = busyTimeout
        self.now = now
    }
}
