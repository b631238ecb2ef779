import ArgumentParser
import Foundation

/// `--format svg`: graphviz's `dot -Tsvg` on a picture, bounded in size (`--max-nodes`,
/// checked before graphviz starts) and time (`--svg-timeout`, then it is killed): a
/// whole distribution's plan kept it busy for hours.
struct PlanSVG {
    var maxNodes: Int
    var timeout: Int

    /// Renders `picture`, or says why not and what smaller picture to ask for.
    func render(_ picture: PlanDot.Picture) throws -> String {
        guard picture.nodes.count <= maxNodes else {
            throw ValidationError("""
                the picture has \(picture.nodes.count) nodes and \(picture.edges.count) edges, more than --max-nodes \(maxNodes): \
                graphviz would take very long. Ask for less: --graph reduced, --graph cycles or --graph waves, \
                --chain PKG (one package and what it waits for), or --format dot for the source
                """)
        }
        guard let dot = ["/usr/bin/dot", "/usr/local/bin/dot"].first(where: FileManager.default.isExecutableFile) else {
            throw ValidationError("--format svg needs graphviz's dot (apt-get install graphviz); --format dot prints the source")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let source = Data(PlanDot.render(picture).utf8)
        let writer = Thread { input.fileHandleForWriting.write(source); try? input.fileHandleForWriting.close() }
        writer.start()
        let svg = OutputBox()
        let reader = Thread { svg.data = output.fileHandleForReading.readDataToEndOfFile(); finished.signal() }
        reader.start()
        // both the exit and the end of the output, or the time limit
        let deadline = DispatchTime.now() + .seconds(timeout)
        guard finished.wait(timeout: deadline) == .success, finished.wait(timeout: deadline) == .success else {
            kill(process.processIdentifier, SIGKILL)
            throw ValidationError("""
                graphviz did not finish within --svg-timeout \(timeout) s (\(picture.nodes.count) nodes, \(picture.edges.count) edges): \
                ask for less (--graph reduced|cycles|waves, --chain PKG) or allow more time
                """)
        }
        guard process.terminationStatus == 0 else { throw ExitCode(process.terminationStatus) }
        return String(decoding: svg.data, as: UTF8.self)
    }
}

/// graphviz's output, filled by the reading thread. `@unchecked Sendable`: written once
/// by that thread before it signals, read only after the signal.
private final class OutputBox: @unchecked Sendable {
    var data = Data()
}
