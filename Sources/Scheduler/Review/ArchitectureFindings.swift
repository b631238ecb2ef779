import Foundation
import Sandbox

/// The architecture check's findings of a build (``Sandbox/ArchitectureCheck``), as the
/// waka noted them at the end of its log: one per ELF file beyond the repo's `isa`.
/// A build that failed the check (`isa_check = "fail"`) says them in its reason too.
public enum ArchitectureFindings {
    /// The findings in the log at `path`, without the marker; empty when it has none or
    /// cannot be read here.
    public static func fromLog(at path: String?) -> [String] {
        guard let path, let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            // the host's lines only: a build's own output starts with its timestamp
            let head = ArchitectureCheck.logPrefix + ArchitectureCheck.logMarker + " "
            guard line.hasPrefix(head) else { return nil }
            let rest = line.dropFirst(head.count)
            guard rest.hasPrefix("warning: ") || rest.hasPrefix("error: ") else { return nil }
            return String(rest)
        }
    }
}
