import Foundation
import Graph
import Testing
@testable import Scheduler

/// Files kept with a build (schema 4), on both backends: chunked, checksummed, replaced
/// by name.
@Suite struct StoreFileTests {
    @Test(arguments: StoreBackend.allCases)
    func aFileComesBackAsItWentIn(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let id = try #require(try store.enqueue([PlannedBuild(PackageBaseID(repo: "r", pkgbase: "p"), version: "1-1")]).enqueued.first)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Two and a half chunks of every byte value.
        let bytes = Data((0 ..< (SQLBackedStore.fileChunkSize * 5 / 2)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) })
        try bytes.write(to: URL(fileURLWithPath: dir + "/in"))
        let put = try store.putFile(id, kind: .package, name: "p-1-1-any.pkg.tar.zst", from: dir + "/in")
        #expect(put.size == Int64(bytes.count))
        let fetched = try store.fetchFile(id, kind: .package, name: "p-1-1-any.pkg.tar.zst", to: dir + "/out")
        #expect(fetched == put)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/out")) == bytes)

        try Data("small".utf8).write(to: URL(fileURLWithPath: dir + "/in"))
        try store.putFile(id, kind: .package, name: "p-1-1-any.pkg.tar.zst", from: dir + "/in")
        try store.putFile(id, kind: .log, name: "build.log", from: dir + "/in")
        try store.fetchFile(id, kind: .package, name: "p-1-1-any.pkg.tar.zst", to: dir + "/out")
        #expect(try String(contentsOfFile: dir + "/out", encoding: .utf8) == "small", "a put replaces the file of that name")
        #expect(try store.files(of: id).map(\.kind) == [.log, .package])
        #expect(throws: StoreError.self) { try store.fetchFile(id, kind: .source, name: "x", to: dir + "/none") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/none"))
    }
}
