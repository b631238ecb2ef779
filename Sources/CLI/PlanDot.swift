import ArgumentParser
import Foundation
import Scheduler

/// The plan's graph in graphviz's DOT language: every pkgbase that is not current,
/// coloured by status, with the edges between planned builds and the blocking chains.
struct PlanDot {
    let plan: Plan

    static let colours: [PlanStatus: String] = [
        .new: "palegreen", .outdated: "lightblue", .incomplete: "lightyellow", .rebuild: "plum",
        .blocked: "orange", .unresolvable: "tomato", .needsFallback: "gold", .invalid: "salmon", .repoAhead: "lightgrey", .excluded: "white",
    ]

    var text: String {
        var out = "digraph plan {\n  rankdir=LR;\n  node [shape=box, style=filled, fontname=\"monospace\"];\n"
        let shown = plan.entries.filter { $0.status != .current }
        for entry in shown {
            let label = "\(entry.id)\\n\(entry.newVersion ?? "?") \(entry.status.rawValue)"
            out += "  \(quote(entry.id)) [label=\(quote(label)), fillcolor=\(Self.colours[entry.status] ?? "white")];\n"
        }
        for entry in shown {
            for target in entry.needs { out += "  \(quote(entry.id)) -> \(quote(target));\n" }
            if let first = entry.blockedBy.first { out += "  \(quote(entry.id)) -> \(quote(first)) [color=red, style=dashed];\n" }
        }
        return out + "}\n"
    }

    private func quote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

    /// Renders through graphviz's `dot -Tsvg`.
    func svg() throws -> String {
        guard let dot = ["/usr/bin/dot", "/usr/local/bin/dot"].first(where: FileManager.default.isExecutableFile) else {
            throw ValidationError("--format svg needs graphviz's dot (apt-get install graphviz); --format dot prints the source")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let source = Data(text.utf8)
        let writer = Thread { input.fileHandleForWriting.write(source); try? input.fileHandleForWriting.close() }
        writer.start()
        let svg = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ExitCode(process.terminationStatus) }
        return String(decoding: svg, as: UTF8.self)
    }
}
