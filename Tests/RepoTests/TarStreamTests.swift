import Foundation
import Testing
@testable import Repo

/// The database reader's own tar records (`TarStream`) against the three ways tar
/// writers spell a long path: ustar's prefix field, GNU's `L` record, pax's `path`.
/// Python's tarfile writes each on request; libarchive's reader is the reference.
@Suite struct TarStreamTests {
    /// A package name long enough (120 bytes) that `NAME-VERSION/desc` needs a long-path form.
    static let longName = "lib" + String(repeating: "x", count: 117)

    static func database(_ path: String, format: String, compression: String) throws {
        let script = """
            import sys, tarfile, io
            path, fmt, name = sys.argv[1], sys.argv[2], sys.argv[3]
            formats = {"ustar": tarfile.USTAR_FORMAT, "gnu": tarfile.GNU_FORMAT, "pax": tarfile.PAX_FORMAT}
            mode = "w:" + sys.argv[4] if sys.argv[4] != "none" else "w"
            with tarfile.open(path, mode, format=formats[fmt]) as t:
                for pkg, version in [("a", "1-1"), (name, "2.0-3"), ("zz", "1:0.1-1")]:
                    directory = tarfile.TarInfo(f"{pkg}-{version}")
                    directory.type = tarfile.DIRTYPE
                    t.addfile(directory)
                    desc = f"%FILENAME%\\n{pkg}-{version}-any.pkg.tar.zst\\n\\n%NAME%\\n{pkg}\\n\\n%VERSION%\\n{version}\\n\\n".encode()
                    info = tarfile.TarInfo(f"{pkg}-{version}/desc")
                    info.size = len(desc)
                    t.addfile(info, io.BytesIO(desc))
            """
        let result = try Tools.run(["python3", "-c", script, path, format, longName, compression])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test(arguments: ["ustar", "gnu", "pax"], ["gz", "xz", "none"])
    func longPathsInEveryTarFormat(format: String, compression: String) throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let path = scratch + "/long.db.tar"
        try Self.database(path, format: format, compression: compression)
        let database = try SyncDatabase.read(at: path)
        #expect(database.problems.isEmpty, "\(database.problems)")
        #expect(database.entries.map(\.name) == ["a", Self.longName, "zz"])
        #expect(database.entries.map(\.version.description) == ["1-1", "2.0-3", "1:0.1-1"])

        // libarchive's tar reader (the package reader's) sees the same entries.
        let reader = try ArchiveReader(file: path, limits: .database)
        var names: [String] = []
        while let header = try reader.next() {
            if header.isRegularFile { names.append(header.name) }
        }
        #expect(names == database.entries.map { $0.directoryName + "/desc" })
    }

    /// A symlink whose size field is not zero (POSIX says it shall be) has no data after
    /// it: the next record is the next header, as libarchive reads it.
    @Test func aLinkCarriesNoDataWhateverItsSizeField() throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let path = scratch + "/link.db.tar"
        let script = """
            import sys, tarfile, io
            with tarfile.open(sys.argv[1], "w", format=tarfile.USTAR_FORMAT) as t:
                link = tarfile.TarInfo("a-1-1/link"); link.type = tarfile.SYMTYPE; link.linkname = "desc"; t.addfile(link)
                desc = b"%FILENAME%\\na-1-1-any.pkg.tar.zst\\n\\n%NAME%\\na\\n\\n%VERSION%\\n1-1\\n\\n"
                info = tarfile.TarInfo("a-1-1/desc"); info.size = len(desc); t.addfile(info, io.BytesIO(desc))
            data = bytearray(open(sys.argv[1], "rb").read())
            data[124:136] = b"00000001000\\0"   # the link's size field: 512
            data[148:156] = b"        "
            data[148:156] = b"%06o\\0 " % sum(data[0:512])
            open(sys.argv[1], "wb").write(data)
            """
        let result = try Tools.run(["python3", "-c", script, path])
        #expect(result.status == 0, "\(result.stderr)")
        let database = try SyncDatabase.read(at: path)
        #expect(database.problems.isEmpty, "\(database.problems)")
        #expect(database.entries.map(\.name) == ["a"])
    }

    @Test func aDamagedHeaderNamesTheFile() throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let path = scratch + "/damaged.db.tar"
        try Self.database(path, format: "ustar", compression: "none")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[512 + 10] ^= 0x20   // the second record: the header of a-1-1/desc, inside its name
        try bytes.write(to: URL(fileURLWithPath: path))
        do {
            _ = try SyncDatabase.read(at: path)
            Issue.record("no error for a damaged header")
        } catch {
            guard case .archive(let file, _, let message) = error else { Issue.record("\(error)"); return }
            #expect(file == path)
            #expect(message.contains("bad header checksum"), "\(message)")
        }
    }
}
