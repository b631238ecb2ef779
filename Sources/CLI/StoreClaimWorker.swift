import ArgumentParser
import Foundation
import Scheduler

extension Pacbuild {
    /// `pacbuild store-claim-worker`: a stand-in waka for the store's reliability tests and
    /// benchmark. It claims, checks the claim's dependencies are accepted, reports built
    /// and accepts, until nothing is left; each line on standard output is an event.
    struct StoreClaimWorker: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store-claim-worker",
            abstract: "Claim and finish builds from a store (for tests and benchmarks).",
            shouldDisplay: false)

        @Option(help: "The store: a path, sqlite:PATH or postgresql://...") var store: String
        @Option(help: "This worker's name.") var name: String
        @Option(help: "Architectures served (besides any).") var arch: [String] = ["x86_64"]
        @Option(help: "Tags this worker has.") var tag: [String] = []
        @Option(help: "Lease length in seconds.") var lease: Double = 600
        @Flag(help: "Only claim, never finish; stop when nothing is ready (benchmark).") var claimOnly = false
        @Option(help: "Claim this many builds, hold them and sleep until killed.") var hold: Int?

        func run() throws {
            let store = try Store.open(url: store, options: StoreOptions(leaseDuration: lease))
            var output = OutputBuffer()
            while true {
                let start = DispatchTime.now().uptimeNanoseconds
                let claimed = try store.claim(worker: name, arches: arch, tags: tag)
                let micros = (DispatchTime.now().uptimeNanoseconds - start) / 1000
                guard let build = claimed else {
                    if try claimOnly || hold != nil || isDrained(store) { break }
                    _ = try store.expireLeases()
                    Thread.sleep(forTimeInterval: 0.005)
                    continue
                }
                output.line("claimed \(build.id.rawValue) \(micros)", flush: hold != nil)
                if let hold {
                    if output.count >= hold { while true { Thread.sleep(forTimeInterval: 60) } }
                    continue
                }
                if claimOnly { continue }
                for dependency in try store.dependencies(of: build.id) where try store.build(dependency).state != .accepted {
                    output.line("early \(build.id.rawValue) \(dependency.rawValue)")
                }
                _ = try store.report(build.id, worker: name, result: .built(log: nil, artifacts: []))
                try store.accept(build.id)
                output.line("done \(build.id.rawValue)")
            }
            output.flush()
        }

        /// Nothing left that could still become claimable (a blocked build waits for a
        /// maintainer).
        private func isDrained(_ store: any BuildStore) throws -> Bool {
            try store.counts().allSatisfy { [.accepted, .rejected, .failed, .cancelled, .superseded, .blocked].contains($0.state) }
        }
    }
}

/// Event lines kept in memory and written at the end, so printing does not slow the
/// claims being measured; a holding worker flushes each line since it is killed.
private struct OutputBuffer {
    private var text = ""
    private(set) var count = 0

    mutating func line(_ line: String, flush: Bool = false) {
        text += line + "\n"
        if line.hasPrefix("claimed") { count += 1 }
        if flush { self.flush() }
    }

    mutating func flush() {
        FileHandle.standardOutput.write(Data(text.utf8))
        text = ""
    }
}
