import Foundation
import Sandbox
import Graph
import Scheduler
import Testing
import TestSupport

/// Issue 7's distributed test: three wakas, each its own process in its own network
/// namespace (its own address on a veth pair), with its own state directory and a
/// configuration without ABS trees or repo databases, build the examples from one
/// PostgreSQL reached at the host side's addresses: PKGBUILDs and dependency packages
/// come from the store, logs and packages go into it. One waka is SIGKILLed in the
/// middle of a build; another finishes that build after its lease runs out. The third
/// waka joins after the kill with no configuration directory at all (`--root`): it
/// builds from the repo settings catchup recorded in the store.
///
/// The wakas connect as a worker role (`pacbuild store grant-worker`), as remote
/// machines should; a worker role cannot accept, so the test accepts as the owner
/// (`pacbuild accept --all` on the master) whenever builds are waiting, which is what
/// makes their dependents ready.
@Suite(.enabled(if: NetworkNamespace.available && RunFixture.canRun,
                "needs root, ip (iproute2) and unshare: the wakas run in network namespaces"), .serialized)
struct DistributedTests {
    /// Fetches ex-tzinfo's source into the store as a waka holding its build would (the
    /// owner may write for any build); returns its sha256.
    static func seedSource(_ master: RunFixture, store: any BuildStore) throws -> String {
        let build = try #require(try store.builds(of: PackageBaseID(repo: "current", pkgbase: "ex-tzinfo")).last)
        let directory = master.directory + "/examples/abs/current/ex-tzinfo"
        let srcinfo = try #require(PKGBUILDTree.readOne(directory, with: PKGBUILDReader()).srcinfo)
        var sources = SourceSettings()
        sources.allowHosts = ["127.0.0.1:\(SourceServer.examplesPort)"]
        let settings = sources.fetchSettings(stateDirectory: master.directory + "/seed", shared: StoreSources(store: store, build: build.id))
        let outcome = SourceFetch(settings: settings, pkgbuild: directory + "/PKGBUILD")
            .run(SourceList(srcinfo: srcinfo, carch: "i586", pkgbuild: directory + "/PKGBUILD"))
        #expect(outcome.failure == nil && outcome.sources.count == 1, "\(outcome.notes)")
        let kept = try store.files(of: build.id).filter { $0.kind == .download }
        #expect(kept.count == 1, "\(kept)")
        return kept.first?.sha256 ?? ""
    }

    static let slowMarker = "pacbuild-test: slow build starts"
    /// A sleep no other process runs, to find the killed waka's sandbox if it survived.
    static let slowSleep = "11.77"

    @Test(.timeLimit(.minutes(6)))
    func threeWakasInNamespacesBuildTheExamplesOneKilledMidBuild() throws {
        let master = try RunFixture("distributed")
        try master.edit("examples/abs/current/ex-libbase/PKGBUILD") {
            $0.replacingOccurrences(of: "build() {\n", with: "build() {\n  echo '\(Self.slowMarker)'; sleep \(Self.slowSleep)\n")
        }
        let tag = UUID().uuidString.prefix(6).lowercased()
        var namespaces: [NetworkNamespace] = []
        defer { namespaces.forEach { $0.remove() } }
        for (index, subnet) in try NetworkNamespace.freeSubnets(3).enumerated() {
            namespaces.append(try .make(name: "pacbuild-\(tag)-\(index + 1)", subnet: subnet))
        }
        let listen = (["127.0.0.1"] + namespaces.map(\.hostAddress)).joined(separator: ",")
        let server = try ScratchPostgres.start(options: "-c fsync=off -c listen_addresses=\(listen)")
        defer { try? server.stop() }
        try server.allow("host all all 10.77.0.0/16 trust")
        try server.psql("CREATE DATABASE pacbuild")
        let ownerURL = "postgresql://postgres@127.0.0.1:\(server.port)/pacbuild"
        try pacbuild(["catchup", "--config", master.directory, "--store", ownerURL])
        try pacbuild(["store", "grant-worker", "builder", "--config", master.directory, "--store", ownerURL])
        // ex-tzinfo's URL source is on this machine's loopback, which no waka's namespace
        // reaches: fetched once here as a waka fetches (into the store, with the build),
        // every waka takes it from the store (docs/sources.md)
        let seeded = try Self.seedSource(master, store: try Store.open(url: ownerURL))

        let root = try RunFixture.buildRoot(RunFixture.i386RootName, arch: "i386").directory
        var wakas: [(name: String, directory: String, process: Subprocess)] = []
        defer { for waka in wakas { waka.process.kill(SIGKILL); waka.process.wait() } }
        /// Starts waka N in namespace N; with `configured`, over a configuration directory,
        /// otherwise with only the build root.
        func launch(_ number: Int, configured: Bool) throws {
            let name = "waka\(number)", directory = master.directory + "/" + name
            let url = "postgresql://builder@\(namespaces[number - 1].hostAddress):\(server.port)/pacbuild"
            var arguments = [RunFixture.binary, "waka", "--store", url, "--name", name, "--jobs", "1", "--grace", "5"]
            if configured {
                arguments += ["--config", try Self.wakaConfiguration(directory, root: root)]
            } else {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                arguments += ["--root", root, "--state", directory + "/state"]
            }
            wakas.append((name, directory, try Subprocess(namespaces[number - 1].exec(arguments), outputPath: directory + "/waka.out")))
        }
        try launch(1, configured: true)
        try launch(2, configured: true)
        func outputs() -> String { wakas.map { "\($0.name):\n\($0.process.output)" }.joined(separator: "\n") }

        // Poll the store as the owner: who holds what, kill the slow build's waka once its
        // build() runs, accept whatever is built, until all nine builds are accepted.
        let store = try Store.open(url: ownerURL)
        var holders: [BuildID: [(worker: String, seen: Date)]] = [:]
        var killed: (name: String, build: BuildID, at: Date)?
        var survivors: [String] = []
        let deadline = Date() + 240
        var builds: [BuildRecord] = []
        while Date() < deadline {
            builds = try store.builds(state: nil, repo: nil, limit: nil)
            for build in builds where build.state == .building {
                let worker = build.worker ?? "(none)"
                if holders[build.id]?.last?.worker != worker { holders[build.id, default: []].append((worker, Date())) }
            }
            if killed == nil, let slow = builds.first(where: { $0.package.pkgbase == "ex-libbase" && $0.state == .building }),
               let waka = wakas.first(where: { $0.name == slow.worker }),
               let log = try? String(contentsOfFile: waka.directory + "/state/work/\(slow.id.rawValue)/build.log", encoding: .utf8),
               log.contains(Self.slowMarker) {
                waka.process.kill(SIGKILL)
                waka.process.wait()
                killed = (waka.name, slow.id, Date())
                survivors = Self.sandboxSurvivors(of: waka.directory)
                try launch(3, configured: false)
            }
            if builds.contains(where: { $0.state == .built }) {
                try pacbuild(["accept", "--all", "--config", master.directory, "--store", ownerURL])
                continue
            }
            if builds.count == 9 && builds.allSatisfy({ $0.state == .accepted }) { break }
            if builds.contains(where: { $0.state.failureClass != nil || $0.state.name == .blocked }) { break }
            Thread.sleep(forTimeInterval: 0.3)
        }
        for waka in wakas where waka.name != killed?.name { waka.process.kill(SIGTERM) }
        for waka in wakas { waka.process.wait() }

        #expect(builds.count == 9 && builds.allSatisfy { $0.state == .accepted },
                "\(builds.map { "\($0.id) \($0.package.pkgbase) \($0.state)" })\n\(outputs())")
        let victim = try #require(killed, "ex-libbase was never seen building with its build() started\n\(outputs())")
        #expect(survivors.isEmpty, "the killed waka's sandbox went on running: \(survivors)")

        // The killed build changed hands once, after the kill, and was finished by another
        // waka; no other build ever changed hands.
        let sequence = holders[victim.build] ?? []
        #expect(sequence.count == 2 && sequence.first?.worker == victim.name, "\(sequence)")
        if let taker = sequence.dropFirst().first {
            #expect(taker.worker != victim.name && taker.seen > victim.at)
        }
        let finished = try store.build(victim.build)
        #expect(finished.state == .accepted && finished.worker != victim.name && finished.attempts == 1, "\(finished)")
        for (id, sequence) in holders where id != victim.build {
            #expect(sequence.count == 1, "build \(id) was held by \(sequence.map(\.worker))")
        }

        // Every build's log and packages are in the store, and the packages are the ones
        // published (byte for byte).
        let scratch = master.directory + "/fetched"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        for build in builds {
            let files = try store.files(of: build.id)
            #expect(files.contains { $0.kind == .log && $0.name == "build.log" }, "\(build.package): no log in the store")
            let log = try store.fetchFile(build.id, kind: .log, name: "build.log", to: scratch + "/\(build.id.rawValue).log")
            #expect(log.size > 0)
            if build.package.pkgbase == "ex-tzinfo" {
                let text = try String(contentsOfFile: scratch + "/\(build.id.rawValue).log", encoding: .utf8)
                #expect(text.contains("source ex-tzinfo-1.0.tar.gz: from the build store (sha256 \(seeded))"), "\(text)")
            }
            #expect(!build.artifacts.isEmpty)
            for artifact in build.artifacts {
                let name = (artifact as NSString).lastPathComponent
                try store.fetchFile(build.id, kind: .package, name: name, to: scratch + "/" + name)
                let published = master.state + "/repo/\(build.package.repo)/i586/" + name
                #expect(FileManager.default.contents(atPath: scratch + "/" + name) == FileManager.default.contents(atPath: published),
                        "\(name): the stored package is not the published one")
            }
        }

        #expect(builds.contains { $0.worker == "waka3" }, "the waka without a configuration built nothing\n\(outputs())")
        // The wakas had no databases: their dependencies came from the store, cached.
        for waka in wakas where waka.name != victim.name {
            #expect(waka.process.output.contains("no database of current, extra on this machine"), "\(waka.process.output)")
        }
        let cached = wakas.flatMap { (try? FileManager.default.subpathsOfDirectory(atPath: $0.directory + "/state/cache/packages")) ?? [] }
        #expect(cached.contains { $0.hasSuffix("/ex-tinysh-0.9.3-1-any.pkg.tar.gz") },
                "no waka fetched ex-tinysh (ex-sh, which most builds need) from the store: \(cached)")

        let listing = Set(try master.pacmanList())
        #expect(listing.count == 11, "\(listing.sorted())")
        for expected in ["current ex-libbase 1.2.0-1", "current ex-libfmt 2.0.1-3", "extra ex-utils-doc 1.4-1"] {
            #expect(listing.contains(expected), "\(listing.sorted())")
        }
    }

    /// A waka's configuration directory: the repos' definitions, but its ABS trees are
    /// empty directories and its databases do not exist, so PKGBUILDs and dependency
    /// packages can only come from the store. Short leases, so a killed waka's build is
    /// taken over within seconds. `review = "manual"`: a worker role cannot accept.
    static func wakaConfiguration(_ directory: String, root: String) throws -> String {
        let manager = FileManager.default
        for sub in ["repos.d", "abs/current", "abs/extra"] {
            try manager.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true)
        }
        try """
            state_dir = "state"
            sandbox = "namespace"
            build_root = "\(root)"

            [workers]
            lease_seconds = 10
            heartbeat_seconds = 1
            max_attempts = 3
            """.write(toFile: directory + "/pacbuild.toml", atomically: true, encoding: .utf8)
        for (repo, dependsOn) in [("current", ""), ("extra", "\"current\"")] {
            try """
                name = "\(repo)"
                arch = "i586"
                makepkg_conf = "\(RunFixture.packageRoot)/makepkg/i586.conf"
                abs = "abs/\(repo)"
                db = "repo/\(repo).db.tar.gz"
                depends_on = [\(dependsOn)]
                review = "manual"
                arch_policy = "port"
                arch_map = ["x86_64", "i686"]
                """.write(toFile: directory + "/repos.d/\(repo).toml", atomically: true, encoding: .utf8)
        }
        return directory
    }

    /// Processes still running the killed waka's sandbox: any naming its state directory
    /// (unshare, its scratch) or running the slow build's sleep. Waits up to 5 s.
    static func sandboxSurvivors(of directory: String) -> [String] {
        var found: [String] = []
        for _ in 0..<25 {
            found = []
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(entry) != nil {
                guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !data.isEmpty else { continue }
                let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                if arguments.contains(where: { $0.contains(directory + "/state") }) || arguments == ["sleep", slowSleep] {
                    found.append("\(entry): \(arguments.joined(separator: " ").prefix(200))")
                }
            }
            if found.isEmpty { return [] }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return found
    }

    @discardableResult
    private func pacbuild(_ arguments: [String]) throws -> String {
        let (status, out, err) = try RunFixture.execute(RunFixture.binary, arguments)
        try #require(status == 0, "pacbuild \(arguments.joined(separator: " ")): \(status)\n\(out)\(err)")
        return out
    }
}
