import Foundation
import Graph
@testable import Sandbox
import TestSupport
import Testing

/// The fetch stage against a loopback HTTP server the test starts (scripts/source-server,
/// which counts the requests it answers): downloads, cache hits, every failure a
/// maintainer must tell apart, and makepkg's own rules for names and sums.
@Suite(.serialized)
struct SourceFetchTests {
    let directory: String
    let served: String
    let server: SourceServer
    /// What the served `hello-1.0.tar.gz` holds, and its sums.
    let content = Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    let sha256: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pacbuild-fetch-\(UUID().uuidString.prefix(8))").path
        served = directory + "/served"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        try content.write(to: URL(fileURLWithPath: served + "/hello-1.0.tar.gz"))
        try Data(repeating: 0x41, count: 200_000).write(to: URL(fileURLWithPath: served + "/big.bin"))
        sha256 = try Self.tool("sha256sum", served + "/hello-1.0.tar.gz")
        server = try SourceServer(directory: served)
    }

    /// The first field `TOOL FILE` prints (coreutils).
    static func tool(_ tool: String, _ file: String) throws -> String {
        String(try Subprocess.run([tool, file]).split(separator: " ").first ?? "")
    }

    func srcinfo(_ attributes: [String: [String]]) -> SrcInfo {
        SrcInfo(pkgbase: "hello", base: SrcInfo.Section(attributes: attributes.sorted { $0.key < $1.key }
            .map { SrcInfo.Attribute(key: $0.key, values: $0.value) }))
    }

    func fetch(_ attributes: [String: [String]], cache: String? = nil, maxBytes: UInt64 = 1 << 20, timeout: Int = 20,
               network: Bool = false, carch: String = "i686", allowedHosts: [String] = ["127.0.0.1"]) -> SourceFetch.Outcome {
        let settings = SourceFetchSettings(cacheDirectory: cache ?? directory + "/cache", maxBytes: maxBytes, timeoutSeconds: timeout,
                                           allowedHosts: allowedHosts)
        let pkgbuild = directory + "/hello/PKGBUILD"
        return SourceFetch(settings: settings, pkgbuild: pkgbuild, network: network)
            .run(SourceList(srcinfo: srcinfo(attributes), carch: carch, pkgbuild: pkgbuild))
    }

    @Test func downloadsOnceThenServesFromTheCache() throws {
        let url = server.url("hello-1.0.tar.gz")
        let first = fetch(["source": [url], "sha256sums": [sha256]])
        #expect(first.failure == nil, "\(first.notes)")
        #expect(first.sources.map(\.origin) == [.network])
        #expect(first.sources.first?.filename == "hello-1.0.tar.gz")
        #expect(FileManager.default.contents(atPath: first.sources.first?.path ?? "") == content)
        #expect(first.sources.first?.path == directory + "/cache/sha256/" + sha256)
        let second = fetch(["source": [url], "sha256sums": [sha256]])
        #expect(second.failure == nil)
        #expect(second.sources.map(\.origin) == [.cache])
        #expect(second.sources.first?.path == first.sources.first?.path)
        #expect(try server.requests()["/hello-1.0.tar.gz"] == 1, "the cache hit asked the server again")
        // the cache file is root's and read-only; the download ran as someone else
        var info = stat()
        #expect(stat(second.sources[0].path, &info) == 0 && info.st_mode & 0o777 == 0o444 && info.st_uid == geteuid())
    }

    @Test func renamedEntryAndEveryAlgorithmAsTheirToolsComputeThem() throws {
        let file = served + "/hello-1.0.tar.gz"
        var sums: [String: [String]] = ["source": ["renamed.tgz::" + server.url("hello-1.0.tar.gz")]]
        for (array, command) in [("md5sums", "md5sum"), ("sha1sums", "sha1sum"), ("sha224sums", "sha224sum"), ("sha384sums", "sha384sum"),
                                 ("sha512sums", "sha512sum"), ("b2sums", "b2sum"), ("cksums", "cksum")] {
            sums[array] = [try Self.tool(command, file).uppercased()]  // makepkg compares case-insensitively
        }
        let outcome = fetch(sums)
        #expect(outcome.failure == nil, "\(String(describing: outcome.failure))")
        #expect(outcome.sources.map(\.filename) == ["renamed.tgz"])
        // a PKGBUILD that gives only the b2sum finds the same file through its link
        let again = fetch(["source": [server.url("hello-1.0.tar.gz")], "b2sums": sums["b2sums"]!])
        #expect(again.sources.map(\.origin) == [.cache])
        #expect(try server.requests()["/hello-1.0.tar.gz"] == 1)
    }

    @Test func checksumMismatchNamesBothSums() throws {
        let wrong = String(repeating: "0", count: 64)
        let outcome = fetch(["source": [server.url("hello-1.0.tar.gz")], "sha256sums": [wrong]])
        #expect(outcome.failure?.failureClass == .source)
        let reason = outcome.failure?.reason ?? ""
        #expect(reason.contains(wrong) && reason.contains(sha256), "\(reason)")
        #expect(reason.contains("PKGBUILD: source entry 1"), "\(reason)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/cache/sha256/" + sha256), "a mismatching file was kept")
    }

    @Test func notFoundSaysSo() throws {
        let outcome = fetch(["source": [server.url("missing-2.0.tar.gz")], "sha256sums": [sha256]])
        #expect(outcome.failure?.failureClass == .source)
        #expect(outcome.failure?.reason.contains("answered 404") == true, "\(String(describing: outcome.failure))")
    }

    /// The uids of the running curl processes whose command line contains `text` (not
    /// setpriv's, which holds the same arguments as root until it becomes curl).
    static func uids(running text: String) -> [uid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid -> uid_t? in
            guard Int(pid) != nil, (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) == "curl\n",
                  let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                  String(decoding: command, as: UTF8.self).contains(text),
                  let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }) else { return nil }
            return line.split(separator: "\t").dropFirst().first.flatMap { uid_t($0) }
        }
    }

    @Test func slowServerTimesOut() throws {
        let start = ContinuousClock.now
        let url = server.url("__slow/hello-1.0.tar.gz")
        // while curl waits on the slow server: it runs as the sandbox user (or nobody), not as
        // root (a thread of its own: the fetch below blocks this one)
        let found = Box<[uid_t]>()
        let done = DispatchSemaphore(value: 0)
        Thread {
            for _ in 0..<300 {
                let uids = Self.uids(running: "--url\u{0}" + url)
                if !uids.isEmpty { found.value = uids; break }
                usleep(10_000)
            }
            done.signal()
        }.start()
        let outcome = fetch(["source": ["hello-1.0.tar.gz::" + url], "sha256sums": [sha256]], timeout: 2)
        done.wait()
        let uids = found.value ?? []
        let expected = geteuid() == 0 ? SourceDownload.unprivilegedIdentity()?.uid : geteuid()
        #expect(!uids.isEmpty && uids.allSatisfy { $0 == expected && $0 != 0 || geteuid() != 0 }, "curl ran as \(uids), expected \(String(describing: expected))")
        #expect(outcome.failure?.failureClass == .source)
        #expect(outcome.failure?.reason.contains("timed out after 2 s") == true, "\(String(describing: outcome.failure))")
        #expect(ContinuousClock.now - start < .seconds(15))
    }

    final class Box<T>: @unchecked Sendable {
        // @unchecked: written by one thread before it signals a semaphore, read after the wait
        var value: T?
    }

    @Test func aStopRequestEndsTheDownload() throws {
        let start = ContinuousClock.now
        let settings = SourceFetchSettings(cacheDirectory: directory + "/cache", timeoutSeconds: 60, allowedHosts: ["127.0.0.1"])
        var fetch = SourceFetch(settings: settings, pkgbuild: directory + "/hello/PKGBUILD")
        fetch.shouldStop = { ContinuousClock.now - start > .seconds(1) }
        let outcome = fetch.run(SourceList(srcinfo: srcinfo(["source": ["hello-1.0.tar.gz::" + server.url("__slow/hello-1.0.tar.gz")],
                                                             "sha256sums": [sha256]]), carch: "i686", pkgbuild: directory + "/hello/PKGBUILD"))
        #expect(outcome.failure?.reason.contains("stopped on request") == true, "\(String(describing: outcome.failure))")
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test(arguments: ["big.bin", "__unannounced/big.bin", "__endless"])
    func oversizedResponseIsStopped(_ path: String) throws {
        let name = (path as NSString).lastPathComponent
        let start = ContinuousClock.now
        let outcome = fetch(["source": ["\(name)::" + server.url(path)], "sha256sums": ["SKIP"]], maxBytes: 100_000)
        #expect(outcome.failure?.failureClass == .source)
        #expect(outcome.failure?.reason.contains("larger than the limit of 100000 bytes") == true, "\(String(describing: outcome.failure))")
        #expect(ContinuousClock.now - start < .seconds(15))
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/cache/tmp")) ?? []
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func vcsAndOtherSchemesAreRefusedByName() throws {
        for entry in ["git+https://example.org/hello.git#tag=v1", "file:///etc/shadow", "scp://host/file", "hello::https+x://a/b"] {
            let outcome = fetch(["source": [entry], "sha256sums": ["SKIP"]])
            #expect(outcome.failure?.failureClass == .source)
            let reason = outcome.failure?.reason ?? ""
            #expect(reason.contains(directory + "/hello/PKGBUILD: source entry 1 '\(entry)'") && reason.contains("not supported"), "\(reason)")
        }
        // with the network the build's makepkg may fetch them itself
        let left = fetch(["source": ["git+https://example.org/hello.git"], "sha256sums": ["SKIP"]], network: true)
        #expect(left.failure == nil && left.sources.isEmpty)
    }

    @Test func archSpecificEntriesFollowCARCH() throws {
        let url = server.url("hello-1.0.tar.gz")
        let wrong = String(repeating: "f", count: 64)
        // source_x86_64 is not fetched for an i686 build; source_i686's sums are its own array's
        let outcome = fetch(["source_i686": [url], "sha256sums_i686": [sha256], "source_x86_64": ["other::" + url],
                             "sha256sums_x86_64": [wrong]])
        #expect(outcome.failure == nil, "\(String(describing: outcome.failure))")
        #expect(outcome.sources.map(\.filename) == ["hello-1.0.tar.gz"])
        let mismatch = fetch(["source_x86_64": ["other::" + url], "sha256sums_x86_64": [wrong]], carch: "x86_64")
        #expect(mismatch.failure?.reason.contains("sha256sums_x86_64 says \(wrong)") == true, "\(String(describing: mismatch.failure))")
    }

    @Test func makepkgRefusalsComeFirst() throws {
        let url = server.url("hello-1.0.tar.gz")
        let missing = fetch(["source": [url]])
        #expect(missing.failure?.reason.contains("Integrity checks are missing for: source") == true, "\(String(describing: missing.failure))")
        let short = fetch(["source": [url, "other::" + url], "sha256sums": [sha256]])
        #expect(short.failure?.reason.contains("differ in size from the source array") == true, "\(String(describing: short.failure))")
        // an entry that is SKIP in one array is still checked by another
        let skip = fetch(["source": [url], "sha256sums": ["SKIP"], "md5sums": [String(repeating: "0", count: 32)]])
        #expect(skip.failure?.reason.contains("md5sums says") == true, "\(String(describing: skip.failure))")
        #expect((try server.requests())["/hello-1.0.tar.gz", default: 0] <= 1)
    }

    /// The names, protocols and URLs makepkg's own functions give (libmakepkg's
    /// util/source.sh, sourced by bash), for entries of every shape.
    @Test func entriesAreReadAsMakepkgReadsThem() throws {
        let entries = ["https://example.org/a/hello-1.0.tar.gz", "name.tgz::https://example.org/x?y=1", "ftp://example.org/f.tar.xz",
                       "https://example.org/dl?file=a/b.tar", "git+https://github.com/u/repo.git#tag=v1", "svn+https://x/trunk/",
                       "hg+http://x/repo?rev=1", "bzr+lp:proj/trunk", "fossil+https://x/repo", "local.patch", "n::git+https://x/y.git",
                       "https://example.org/"]
        for entry in entries {
            let script = "source /usr/share/makepkg/util/source.sh; get_filename \"$1\"; get_protocol \"$1\"; get_url \"$1\""
            let output = try ProcessRunner.run("/bin/bash", ["-c", script, "bash", entry])
            let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let parsed = SourceEntry(array: "source", position: 1, text: entry)
            #expect([parsed.filename, parsed.scheme, parsed.url] == Array(lines.prefix(3)), "\(entry): makepkg says \(lines)")
        }
    }
}
