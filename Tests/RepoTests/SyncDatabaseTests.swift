import Foundation
import Graph
import Testing
import TestSupport
@testable import Repo

/// The databases real repo-add made of the fixture packages (and a big one cloned from
/// them), read by us and by the real pacman; RepoCorpusConformanceTests reads
/// the corpus's real Arch databases.
@Suite struct SyncDatabaseTests {
    init() { _ = Tools.localeSet }

    /// The fixture databases (Tests/Fixtures/make-fixtures) and their package counts.
    static let databases: [(path: String, count: Int)] = [
        ("tiny/zst/tiny.db.tar.gz", 9),
        ("tiny/zst/tiny.files.tar.gz", 9),
        ("tiny/zst/tiny.db", 9),
        ("tiny/zst/tiny.files", 9),
        ("tiny/xz/tiny.db.tar.gz", 9),
        ("examples/current/current.db.tar.gz", 7),
        ("examples/extra/extra.db", 4),
        ("large.db.tar.gz", 3000),
    ]

    @Test(arguments: databases.map(\.path))
    func listsWhatPacmanLists(relativePath: String) throws {
        let count = Self.databases.first { $0.path == relativePath }!.count
        try Self.listsWhatPacmanLists(path: TestPaths.dbs + "/" + relativePath, count: count)
    }

    /// Our reading of the database at `path` (of `count` packages) is what `pacman -Sl`
    /// and `pacman -Si` print for it.
    static func listsWhatPacmanLists(path: String, count expectedCount: Int) throws {
        let relativePath = (path as NSString).lastPathComponent
        let database = try SyncDatabase.read(at: path)
        #expect(database.problems.isEmpty, "\(database.problems)")
        #expect(database.entries.count == expectedCount)

        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        // repo-add's tiny.db is a symlink, which a copy would break; the corpus stores it as
        // a text file naming its target
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let pacman = try ThrowAwayPacman(scratch: scratch, databases: [("r", SyncDatabase.linkTarget(ofTextLink: resolved) ?? resolved, nil)])
        let listed = try pacman.run(["-Sl", "r"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let ours = database.entries.map { "r \($0.name) \($0.version)\n" }.joined()
        #expect(ours == listed.stdout)

        // Every field pacman -Si shows, for every package.
        let info = try pacman.run(["-Si"])
        let theirs = PacmanInfo.parse(info.stdout)
        #expect(theirs.count == database.entries.count)
        for entry in database.entries {
            let expected = try #require(theirs[entry.name], "pacman -Si lacks \(entry.name)")
            let rendered = PacmanInfo.render(entry, repository: "r")
            for (key, value) in rendered {
                #expect(expected[key] == value, "\(relativePath) \(entry.name) \(key)")
            }
        }
    }

    @Test func filesDatabaseListsWhatPacmanFlLists() throws {
        let files = TestPaths.tinyZst + "/tiny.files.tar.gz"
        let database = try SyncDatabase.read(at: files)
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let pacman = try ThrowAwayPacman(scratch: scratch, databases: [("tiny", TestPaths.tinyZst + "/tiny.db.tar.gz", files)])
        let listed = try pacman.run(["-Fl"] + database.entries.map(\.name))
        #expect(listed.status == 0, "\(listed.stderr)")
        let ours = database.entries.flatMap { entry in (entry.files ?? []).map { "\(entry.name) /\($0)\n" } }
        let theirs = listed.stdout.split(separator: "\n").map { line -> String in
            let parts = line.split(separator: " ", maxSplits: 1)
            return "\(parts[0]) /\(parts[1])\n"
        }
        #expect(ours.sorted() == theirs.sorted())
        #expect(database.entries.allSatisfy { ($0.files ?? []).contains("usr/") })
    }

    /// The layout before pacman 5.0 split dependencies into a `depends` file; libalpm
    /// still reads it, and so must we.
    @Test func oldDescDependsLayoutReadsLikePacman() throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let current = try SyncDatabase.read(at: TestPaths.tinyZst + "/tiny.db.tar.gz")
        let tree = scratch + "/tree"
        let dependencyFields: Set<String> = ["DEPENDS", "OPTDEPENDS", "CONFLICTS", "PROVIDES", "REPLACES", "MAKEDEPENDS", "CHECKDEPENDS"]
        for entry in current.entries {
            let directory = tree + "/" + entry.directoryName
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var desc = "", depends = ""
            for block in entry.descText.components(separatedBy: "\n\n") where !block.isEmpty {
                let field = String(block.split(separator: "\n")[0].dropFirst().dropLast())
                if dependencyFields.contains(field) { depends += block + "\n\n" } else { desc += block + "\n\n" }
            }
            try desc.write(toFile: directory + "/desc", atomically: true, encoding: .utf8)
            try depends.write(toFile: directory + "/depends", atomically: true, encoding: .utf8)
        }
        let old = scratch + "/old.db.tar.gz"
        let names = current.entries.map(\.directoryName)
        let tar = try Tools.run(["bsdtar", "-czf", old] + names, in: tree)
        #expect(tar.status == 0, "\(tar.stderr)")
        let database = try SyncDatabase.read(at: old)
        #expect(database.entries.map(\.descText) == current.entries.map(\.descText))

        let pacman = try ThrowAwayPacman(scratch: scratch, databases: [("old", old, nil)])
        let theirs = PacmanInfo.parse(try pacman.run(["-Si"]).stdout)
        for entry in database.entries {
            #expect(theirs[entry.name] == PacmanInfo.render(entry, repository: "old"), "\(entry.name)")
        }
    }

    /// Directories out of order and one directory's files far apart (every `desc` first,
    /// then every `depends`, more than one parse batch later): the entries still get all
    /// their fields, in pacman's order, and a second directory of one name is reported.
    @Test func scatteredDirectoriesReadLikePacman() throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let count = 3 * DatabaseBatch.directoriesPerBatch
        var generator = SystemRandomNumberGenerator()
        let numbers = (0..<count).shuffled(using: &generator)
        func desc(_ i: Int) -> String { "%FILENAME%\np\(i)-1-1-any.pkg.tar.zst\n\n%NAME%\np\(i)\n\n%VERSION%\n1-1\n\n%ARCH%\nany\n\n" }
        let descs = numbers.map { ("p\($0)-1-1/desc", desc($0)) }
        let depends = numbers.reversed().map { ("p\($0)-1-1/depends", "%DEPENDS%\nd\($0)>=1\n\n") }
        let path = scratch + "/s.db.tar.gz"
        try BadInputTests.craftTar(path, entries: descs + depends)
        let database = try SyncDatabase.read(at: path)
        #expect(database.problems.isEmpty, "\(database.problems)")
        #expect(database.entries.count == count)
        #expect(database.entries.allSatisfy { $0.depends.map(\.description) == ["d" + $0.name.dropFirst() + ">=1"] })

        let pacman = try ThrowAwayPacman(scratch: scratch, databases: [("s", path, nil)])
        let listed = try pacman.run(["-Sl", "s"])
        #expect(database.entries.map { "s \($0.name) \($0.version)\n" }.joined() == listed.stdout)

        let duplicated = scratch + "/d.db.tar.gz"
        try BadInputTests.craftTar(duplicated, entries: [("q-2-1/desc", desc(7).replacingOccurrences(of: "p7", with: "q").replacingOccurrences(of: "1-1", with: "2-1")),
                                                         ("q-1-1/desc", desc(7).replacingOccurrences(of: "p7", with: "q"))])
        let twice = try SyncDatabase.read(at: duplicated)
        #expect(twice.entries.map(\.version.description) == ["2-1"])
        #expect(twice.problems == [.malformed(file: duplicated, entry: "q-1-1", expected: "one entry per package name", found: "a second q")])
    }

    @Test func versionsAndDependenciesAreGraphValues() throws {
        let database = try SyncDatabase.read(at: TestPaths.tinyZst + "/tiny.db.tar.gz")
        let zlib = try #require(database.entries.first { $0.name == "tiny-zlib" })
        #expect(zlib.version.epoch == "1")
        #expect(zlib.version > Version("1.3-2"))
        let app = try #require(database.entries.first { $0.name == "tiny-app" })
        let py = try #require(database.entries.first { $0.name == "tiny-py" })
        let pyDependency = try #require(app.depends.first { $0.name == "tiny-py" })
        #expect(pyDependency.isSatisfied(by: py.name, version: py.version.description, provides: py.provides))
        #expect(database.name == "tiny")
    }
}
