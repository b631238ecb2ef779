import Foundation

/// A maintainer's actions on a rebuild set (docs/review.md#rebuild-sets), the same from
/// the web pages and the API as `pacbuild set publish|drop`: through ``SetPublisher``
/// and the store's set calls, each published or dropped member written to the audit log
/// (`set-publish`, `set-drop`, detail `set N`) as the CLI writes it.
extension ReviewActions {
    /// The publisher `set publish` and `set drop` use: artifacts fetched from the store
    /// when they are not on this machine.
    public var setPublisher: SetPublisher {
        var publisher = SetPublisher(store: store, repos: repos,
                                     localArtifacts: Acceptor.fetchingArtifacts(from: store, stateDirectory: stateDirectory))
        publisher.lockTimeout = lockTimeout
        publisher.stateDirectory = stateDirectory
        return publisher
    }

    /// `pacbuild set publish [--closed] SET`: the whole set (refused, naming what holds
    /// it, unless every live member is built and approved), or with `closed` its part
    /// closed under dependencies (``SetPublisher/closedPart(_:)``). A refusal is written
    /// to the audit log of the set's first live member.
    public func publishSet(_ id: Int64, closed: Bool) throws -> SetPublisher.Publication {
        let set = try store.rebuildSet(id)
        let publisher = setPublisher
        let publication: SetPublisher.Publication
        do {
            guard set.state == .open else { throw SchedulerError.invalidAction("\(set.label) is published already") }
            if closed {
                let part = try publisher.closedPart(set)
                guard !part.members.isEmpty else {
                    throw SchedulerError.invalidAction("\(set.label): no member is built, approved, free of left-out dependencies "
                                                       + "and of sonames left-out packages need: " + part.leftOut.joined(separator: "; "))
                }
                var partial = try publisher.publish(set, members: part.members)
                partial.leftOut = part.leftOut
                publication = partial
            } else {
                publication = try publisher.publishWhole(id)
            }
        } catch {
            if let first = set.live.first ?? set.members.first {
                try? store.recordAudit(AuditEntry(actor: actor, action: "set-publish", build: first.build,
                                                  detail: "\(set.label)\(closed ? " (closed part)" : ""): refused: \(error)"))
            }
            throw error
        }
        for build in publication.published {
            try store.recordAudit(AuditEntry(actor: actor, action: "set-publish", build: build.id, detail: set.label))
        }
        return publication
    }

    /// `pacbuild set drop BUILD`: takes the build out of its open set, and publishes the
    /// set when what is left is complete.
    public func dropFromSet(_ build: BuildID) throws -> (set: RebuildSet, publication: SetPublisher.Publication?) {
        let publisher = setPublisher
        return try audited("set-drop", build, "") {
            guard let set = try store.rebuildSet(of: build) else { throw StoreError.notInSet(build) }
            try store.dropSetMember(build)
            let publication = try publisher.publishIfComplete(set.id)
            if let publication {
                for member in publication.published {
                    try store.recordAudit(AuditEntry(actor: actor, action: "set-publish", build: member.id, detail: set.label))
                }
            }
            return ((try store.rebuildSet(set.id), publication), set.label)
        }
    }
}
