import Foundation

/// A root-only host file the attacks go after: a secret in a 0600 file of a 0700
/// directory, its times set to 2001 so that any read shows (relatime updates an atime
/// older than the mtime), and next to it the path the attacks try to create.
struct Canary {
    let directory: String
    let path: String
    let secret: String
    /// A file the attacks try to write on the host; must never exist.
    let hostWrite: String
    private let text: String
    private let changed: timespec

    static let past = timespec(tv_sec: 978_307_200, tv_nsec: 0)

    /// `text` is the file's content; `SECRET` in it is replaced by the secret.
    init(in directory: String, text: String = "SECRET\n") throws {
        self.directory = directory
        path = directory + "/secret"
        hostWrite = directory + "/pwned"
        secret = "PACBUILD-SECRET-" + UUID().uuidString.prefix(13).replacingOccurrences(of: "-", with: "")
        self.text = text.replacingOccurrences(of: "SECRET", with: secret)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        chmod(directory, 0o700)
        guard FileManager.default.createFile(atPath: path, contents: Data(self.text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ContainmentFailure("cannot write the canary \(path)")
        }
        var times = [Self.past, Self.past]
        guard utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0 else { throw ContainmentFailure("utimensat \(path)") }
        var info = stat()
        stat(path, &info)
        changed = info.st_ctim
    }

    /// Every sign that something read, wrote or changed the canary, or wrote next to it.
    /// Reads the file itself only after checking its access time.
    func problems() -> [String] {
        var problems: [String] = []
        var info = stat()
        guard lstat(path, &info) == 0 else { return ["the canary \(path) is gone: \(String(cString: strerror(errno)))"] }
        if info.st_atim.tv_sec != Self.past.tv_sec { problems.append("the canary \(path) was read: atime \(info.st_atim.tv_sec), set to \(Self.past.tv_sec)") }
        if info.st_mtim.tv_sec != Self.past.tv_sec { problems.append("the canary \(path) was written: mtime \(info.st_mtim.tv_sec)") }
        if info.st_ctim.tv_sec != changed.tv_sec || info.st_ctim.tv_nsec != changed.tv_nsec {
            problems.append("the canary \(path) changed (ctime)")
        }
        if info.st_mode & 0o7777 != 0o600 || info.st_uid != 0 || info.st_mode & S_IFMT != S_IFREG {
            problems.append("the canary \(path) has mode \(String(info.st_mode, radix: 8)) owner \(info.st_uid)")
        }
        if let data = FileManager.default.contents(atPath: path), String(decoding: data, as: UTF8.self) != text {
            problems.append("the canary \(path) has other content: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        if FileManager.default.fileExists(atPath: hostWrite) { problems.append("the attack created \(hostWrite) on the host") }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        if names != ["secret"] { problems.append("the canary's directory holds \(names)") }
        return problems
    }

    /// The files below `directory` (not the canary's own) that hold the secret.
    func leaks(under directory: String) throws -> [String] {
        let (_, output) = try ContainmentRoot.shell(
            "grep -r -l -F -D skip --exclude-dir=\(quoted((self.directory as NSString).lastPathComponent)) -e \(quoted(secret)) \(quoted(directory)) 2>/dev/null; true")
        return output.split(separator: "\n").map(String.init)
    }
}
