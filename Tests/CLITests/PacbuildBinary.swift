import Foundation
import TestSupport

/// The built `pacbuild` executable, run as a maintainer runs it. SwiftPM puts it next to
/// the test bundle in the same scratch directory (the test target depends on `CLI`).
enum PacbuildBinary {
    static let path: String = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = bundle.deletingLastPathComponent()
        // swift test may run a helper from a subdirectory of the .xctest bundle
        while dir.path != "/" && !FileManager.default.isExecutableFile(atPath: dir.path + "/pacbuild") {
            dir = dir.deletingLastPathComponent()
        }
        return dir.path + "/pacbuild"
    }()

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    typealias Output = ProcessRunner.Output

    static func run(_ arguments: [String], executable: String = path) throws -> Output {
        try ProcessRunner.run(executable, arguments, in: packageRoot)
    }
}
