import Dispatch

/// Runs a store call on a Dispatch thread and awaits it: the store's methods block on
/// the database (Scheduler's README), so they must not run on Swift's cooperative pool,
/// which the server's request handlers share.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
