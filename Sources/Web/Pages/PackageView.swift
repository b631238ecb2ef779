import Foundation
import Graph
import Scheduler

/// A pkgbase's history: every build the store holds of it, newest first, and the
/// versions marked rejected.
struct PackageView {
    struct Mark {
        var version: String
        var reason: String
        var marked: String
    }

    var title: String
    var package: String
    var builds: [BuildRow]
    var marks: [Mark]

    static func read(_ id: PackageBaseID, store: any BuildStore, now: Date = Date()) throws -> PackageView {
        PackageView(title: id.description, package: id.description,
                    builds: try store.builds(of: id).reversed().map { BuildRow($0, now: now) },
                    marks: try store.marks().filter { $0.package == id }
                        .map { Mark(version: $0.version, reason: $0.reason, marked: Formats.stamp($0.markedAt)) })
    }
}
