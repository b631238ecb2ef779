import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a download failed, each with what a maintainer needs to tell them apart.
public enum SourceDownloadFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with an HTTP (or FTP) error status.
    case status(Int)
    /// Not finished within the limit.
    case timeout(seconds: Int)
    /// Larger than the limit (announced by the server, or counted as it came).
    case tooLarge(limit: UInt64)
    /// Anything else curl reports (no such host, connection refused, TLS), in its words.
    case failed(String)
    /// Stopped on request (a waka shutting down), before it finished.
    case stopped
    /// Not requested: the URL (or a redirect) leads to an internal address, or cannot be
    /// read without doubt (``SourceAddress``, ``SourceURL``).
    case refused(String)

    public var description: String {
        switch self {
        case .status(let code): "the server answered \(code)\(code == 404 ? " (not found)" : "")"
        case .timeout(let seconds): "timed out after \(seconds) s (sources.timeout)"
        case .tooLarge(let limit): "larger than the limit of \(limit) bytes (sources.max_mb); stopped"
        case .failed(let reason): reason
        case .stopped: "stopped on request"
        case .refused(let reason): "refused: \(reason)"
        }
    }
}

/// Downloads one http, https or ftp URL with curl, run as an unprivileged user when
/// pacbuild runs as root (the sandbox user, else `nobody`), never through a shell. curl
/// writes the body to a pipe the host reads and counts, so the size limit holds however
/// the server sends it (curl's own `--max-filesize` only sees a size the server
/// announces) and curl needs no directory of the host's; no `.curlrc` or `.netrc` is read.
///
/// Before each request the host of the URL is resolved and every address checked
/// (``SourceAddress``): a loopback, private, link-local or other internal address is
/// refused unless `allowedHosts` names the host, and curl is pinned to the addresses
/// checked (`--resolve`), so a second DNS answer cannot lead it elsewhere. Redirects are
/// followed by pacbuild, not curl, each checked the same way (at most 10, http, https or
/// ftp only, never `file://`), and the address curl really connected to is checked again.
struct SourceDownload {
    var maxBytes: UInt64
    var timeoutSeconds: Int
    /// Hosts (`host` or `host:port`) a download may reach whatever their addresses
    /// (`[sources] allow_hosts`): a mirror on the farm's own network.
    var allowedHosts: [String] = []
    /// The identity curl runs as; nil: this process's (when it is not root).
    var identity: (uid: uid_t, gid: gid_t)?
    /// Asked while the download runs; `true` stops it (``SandboxJob/shouldStop``).
    var shouldStop: (@Sendable () -> Bool)?

    init(maxBytes: UInt64, timeoutSeconds: Int) {
        self.maxBytes = maxBytes
        self.timeoutSeconds = max(1, timeoutSeconds)
        identity = geteuid() == 0 ? Self.unprivilegedIdentity() : nil
    }

    /// The sandbox user when it exists, else `nobody`.
    static func unprivilegedIdentity() -> (uid: uid_t, gid: gid_t)? {
        if let user = SandboxUser.lookup() { return (user.uid, user.gid) }
        guard let nobody = getpwnam("nobody") else { return nil }
        return (nobody.pointee.pw_uid, nobody.pointee.pw_gid)
    }

    static let maxRedirects = 10

    /// The command: curl's options, then the URL as an option value (`--url`), so no URL
    /// is ever read as an option. `pin` is a `--resolve` value.
    func arguments(_ url: String, pin: String? = nil) -> [String] {
        var arguments: [String] = []
        if let identity {
            arguments += ["setpriv", "--reuid=\(identity.uid)", "--regid=\(identity.gid)", "--clear-groups",
                          "--no-new-privs", "--pdeathsig", "KILL"]
        }
        arguments += ["curl", "-q", "--globoff", "--silent", "--show-error", "--fail",
                      "--proto", "=http,https,ftp", "--proto-redir", "=http,https,ftp",
                      "--connect-timeout", String(min(30, timeoutSeconds)), "--max-time", String(timeoutSeconds),
                      "--max-filesize", String(maxBytes), "--user-agent", "pacbuild (makepkg source fetch)",
                      "--write-out", "%{stderr}\(Self.statusMarker)%{response_code} %{remote_ip} %{redirect_url}\\n"]
        if let pin { arguments += ["--resolve", pin] }
        arguments += ["--output", "-", "--url", url]
        return arguments
    }

    static let statusMarker = "pacbuild-response-code: "

    /// Downloads `url` into a new file at `path` (mode 0600, this process's); returns its
    /// size. On failure the file is removed.
    func run(_ url: String, to path: String) throws(SandboxError) -> Result<UInt64, SourceDownloadFailure> {
        try HostCommand.require("curl", package: "curl")
        if geteuid() == 0 {
            guard identity != nil else {
                throw .io(path: "/etc/passwd", reason: "no unprivileged user to download sources as: neither \(SandboxUser.name) nor nobody exists (run scripts/setup)")
            }
            try HostCommand.require("setpriv", package: "util-linux")
        }
        let file = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw .io(path: path, reason: "cannot create the download: \(String(cString: strerror(errno)))") }
        var keep = false
        defer {
            close(file)
            if !keep { unlink(path) }
        }
        var current = url
        for _ in 0...Self.maxRedirects {
            let target: SourceURL
            switch SourceURL.parse(current) {
            case .failure(let failure): return .failure(failure)
            case .success(let parsed): target = parsed
            }
            var pin: String?
            let checked = !target.isAllowed(by: allowedHosts)
            if checked {
                let addresses: [String]
                switch SourceAddress.resolve(target.host) {
                case .failure(let failure): return .failure(failure)
                case .success(let resolved): addresses = resolved
                }
                if let refusal = Self.internalAddress(addresses, of: target) { return .failure(.refused("\(current): \(refusal)")) }
                if addresses != [target.host] { pin = target.pin(addresses) }
            }
            guard ftruncate(file, 0) == 0, lseek(file, 0, SEEK_SET) == 0 else {
                throw .io(path: path, reason: "cannot empty the download: \(String(cString: strerror(errno)))")
            }
            let hop = try transfer(current, pin: pin, into: file, path: path)
            switch hop {
            case .failure(let failure): return .failure(failure)
            case .success(let done):
                if checked, !Self.usesProxy, let kind = SourceAddress.internalKind(done.remoteAddress), !done.remoteAddress.isEmpty {
                    return .failure(.refused("\(current): curl connected to \(done.remoteAddress), \(kind)"))
                }
                guard (300...399).contains(done.code), !done.redirect.isEmpty else {
                    keep = true
                    return .success(done.bytes)
                }
                current = done.redirect
            }
        }
        return .failure(.failed("more than \(Self.maxRedirects) redirects"))
    }

    /// The first of `addresses` that is internal, said for the maintainer.
    static func internalAddress(_ addresses: [String], of target: SourceURL) -> String? {
        for address in addresses {
            if let kind = SourceAddress.internalKind(address) {
                let named = address == target.host ? address : "\(target.host) resolves to \(address)"
                return "\(named), \(kind), which a source may not reach ([sources] allow_hosts names hosts that may)"
            }
        }
        return nil
    }

    /// Whether curl goes through a proxy (then the address it connects to is the proxy's).
    static var usesProxy: Bool {
        let names = ["http_proxy", "https_proxy", "ftp_proxy", "all_proxy"]
        let host = ProcessInfo.processInfo.environment
        return names.contains { host[$0] != nil || host[$0.uppercased()] != nil }
    }

    /// One request's outcome: its body's size, the status, where it redirects, and the
    /// address curl connected to.
    struct Transfer {
        var bytes: UInt64
        var code: Int
        var redirect: String
        var remoteAddress: String
    }

    /// One request, without following redirects, its body written to `file`.
    private func transfer(_ url: String, pin: String?, into file: Int32, path: String) throws(SandboxError) -> Result<Transfer, SourceDownloadFailure> {
        var body: [Int32] = [0, 0], errors: [Int32] = [0, 0]
        guard makePipe(&body) else { throw .io(path: "pipe", reason: String(cString: strerror(errno))) }
        guard makePipe(&errors) else {
            close(body[0]); close(body[1])
            throw .io(path: "pipe", reason: String(cString: strerror(errno)))
        }
        defer { close(body[0]); close(errors[0]) }
        let child: Spawned
        do {
            defer { close(body[1]); close(errors[1]) }
            child = try Spawned.start(arguments(url, pin: pin), environment: Self.environment(), output: body[1], errorOutput: errors[1])
        }
        let read = try pump(child, body: body[0], errors: errors[0], into: file, path: path)
        let status = child.wait()
        if read.stopped { return .failure(.stopped) }
        if read.tooLarge { return .failure(.tooLarge(limit: maxBytes)) }
        if read.timedOut { return .failure(.timeout(seconds: timeoutSeconds)) }
        let stderr = String(decoding: read.errors, as: UTF8.self)
        let report = stderr.split(separator: "\n").last { $0.hasPrefix(Self.statusMarker) }
            .map { $0.dropFirst(Self.statusMarker.count).split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false) } ?? []
        let code = report.first.flatMap { Int($0) } ?? 0
        switch status {
        case 0:
            return .success(Transfer(bytes: read.bytes, code: code, redirect: report.count > 2 ? String(report[2]) : "",
                                     remoteAddress: report.count > 1 ? String(report[1]) : ""))
        case 22 where code >= 400: return .failure(.status(code))
        case 28: return .failure(.timeout(seconds: timeoutSeconds))
        case 63: return .failure(.tooLarge(limit: maxBytes))
        default:
            let said = stderr.split(separator: "\n").filter { !$0.hasPrefix(Self.statusMarker) }.last.map(String.init)
            return .failure(.failed("curl exited with status \(status)" + (said.map { ": \($0)" } ?? "")))
        }
    }

    private struct Pumped {
        var bytes: UInt64 = 0
        var errors: [UInt8] = []
        var tooLarge = false
        var timedOut = false
        var stopped = false
    }

    /// Copies curl's stdout into `file` and keeps its stderr (the first 64 KiB), until
    /// both pipes close; stops curl (its whole process group) past the size limit or
    /// a few seconds after its own `--max-time`.
    private func pump(_ child: Spawned, body: Int32, errors: Int32, into file: Int32, path: String) throws(SandboxError) -> Pumped {
        var result = Pumped()
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds + 5)
        var open = [body, errors]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while !open.isEmpty {
            if ContinuousClock.now >= deadline, !result.timedOut {
                result.timedOut = true
                kill(-child.pid, SIGKILL)
            }
            if !result.stopped, let shouldStop, shouldStop() {
                result.stopped = true
                kill(-child.pid, SIGKILL)
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if Glibc.poll(&fds, nfds_t(fds.count), 200) <= 0 { continue }
            for entry in fds where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { open.removeAll { $0 == entry.fd }; continue }
                if entry.fd == errors {
                    result.errors += buffer[0..<min(count, max(0, 65536 - result.errors.count))]
                    continue
                }
                result.bytes += UInt64(count)
                if result.bytes > maxBytes {
                    if !result.tooLarge { kill(-child.pid, SIGKILL) }
                    result.tooLarge = true
                    continue
                }
                guard buffer.withUnsafeBytes({ write(file, $0.baseAddress, count) }) == count else {
                    kill(-child.pid, SIGKILL)
                    _ = child.wait()
                    throw .io(path: path, reason: "cannot write the download: \(String(cString: strerror(errno)))")
                }
            }
        }
        return result
    }

    /// curl's environment: no home (so no `.netrc`), the host's proxy settings kept.
    static func environment() -> [String: String] {
        var environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8"]
        let host = ProcessInfo.processInfo.environment
        for name in ["http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy"] {
            for key in [name, name.uppercased()] { if let value = host[key] { environment[key] = value } }
        }
        return environment
    }
}
