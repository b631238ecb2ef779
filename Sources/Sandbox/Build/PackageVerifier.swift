import Foundation
import Repo
#if canImport(Glibc)
import Glibc
#endif

/// Takes what a build left in `job/out` into host-owned copies, trusting nothing of it.
///
/// Code in a PKGBUILD runs before makepkg's checks and may skip makepkg altogether, so
/// `out/` can hold anything: a link to a host file named like the package, a FIFO that
/// blocks whoever opens it, a device, a hard link to a published file, a package whose
/// `.PKGINFO` says `pkgname = ../../x`. The verifier lists the directory through a
/// descriptor (``OutputDirectory``), accepts only regular files with one link, at most
/// ``sizeLimit`` bytes, named exactly `NAME-VERSION-ARCH.pkg.tar[.EXT]` for an expected
/// package (each value checked with makepkg's rules before the name is formed) or that
/// plus `.sig`, and copies each through the descriptor it checked into a directory of
/// the host's outside the job directory. Everything after (reading `.PKGINFO`, the
/// paths in the result that the scheduler keeps, uploads and publishes) uses the
/// copies, so a process left running in the sandbox can change nothing that is used.
struct PackageVerifier {
    var expected: [ExpectedPackage]
    /// The job's pkgbase: a `.PKGINFO` `pkgbase` must be this one.
    var pkgbase: String
    /// The largest package file accepted, in bytes.
    var sizeLimit: UInt64
    /// The largest `.sig` accepted (repo-add refuses signatures over 16 KiB).
    var signatureLimit: UInt64 = 16384
    /// The most entries `out/` may hold; a build never makes more than a few.
    var entryLimit = 1000

    /// What verification found. Problems are sentences naming the entry.
    struct Outcome {
        /// The verified packages, at their host-owned copies; empty unless every check passed.
        var packages: [BuiltPackage] = []
        /// What the build left that no honest makepkg run leaves: a link, FIFO, socket,
        /// device, directory, hard link, an oversized file, an unexpected name, a
        /// package whose `.PKGINFO` disagrees with its name or breaks makepkg's rules.
        var unsafe: [String] = []
        /// A package of the plan missing, at another version or arch, of another name,
        /// or made twice: the PKGBUILD and the plan disagree (class `package`).
        var mismatched: [String] = []

        /// The build's failure after verification: unsafe output fails it as
        /// `verification` whatever the build said; otherwise a failed build keeps its
        /// class, and a successful one with missing or different packages is `package`.
        func failure(after build: BuildFailure?) -> BuildFailure? {
            if !unsafe.isEmpty { return BuildFailure(.verification, unsafe.joined(separator: "; ")) }
            if let build { return build }
            if !mismatched.isEmpty { return BuildFailure(.package, mismatched.joined(separator: "; ")) }
            return nil
        }
    }

    /// Verifies `output` and, when `copying`, copies the accepted files into
    /// `destination` (made fresh) and reads them back. Without `copying` (the build
    /// failed, its packages are not wanted) only the entries themselves are checked.
    func verify(output: String, into destination: String, copying: Bool) -> Outcome {
        var outcome = Outcome()
        var files: [String: ExpectedPackage] = [:]
        for want in expected {
            do {
                let stem = try PackageFileName.stem(name: want.name, version: want.version, arch: want.arch, from: "the plan of \(pkgbase)")
                for suffix in PackageFileName.compressionSuffixes { files[stem + ".pkg.tar" + suffix] = want }
            } catch {
                outcome.unsafe.append(error.description)
            }
        }
        guard outcome.unsafe.isEmpty else { return outcome }
        let names: [String]
        let directory: OutputDirectory
        do {
            directory = try OutputDirectory((output as NSString).lastPathComponent, in: (output as NSString).deletingLastPathComponent)
            let listing = try directory.names(limit: entryLimit)
            names = listing.names.sorted()
            outcome.unsafe += listing.unreadable.map { "out/\($0): the name is not UTF-8" }
            if listing.truncated { outcome.unsafe.append("out/ holds more than \(entryLimit) entries") }
        } catch {
            outcome.unsafe.append(error.description)
            return outcome
        }
        var found: [String: [String]] = [:]
        var accepted: [String] = []
        for name in names {
            let isSignature = name.hasSuffix(".sig")
            let package = isSignature ? String(name.dropLast(4)) : name
            guard let want = files[package] else {
                if let problem = refusal(of: name, in: directory, limit: isSignature ? signatureLimit : sizeLimit) {
                    outcome.unsafe.append("out/\(name) \(problem)")
                } else if let parsed = PackageFileName.parse(package) {
                    outcome.mismatched += isSignature ? [] : mismatch(parsed)
                } else {
                    outcome.unsafe.append("out/\(name) is not a package file of \(pkgbase) (expected \(expectedNames))")
                }
                continue
            }
            if let problem = refusal(of: name, in: directory, limit: isSignature ? signatureLimit : sizeLimit) {
                outcome.unsafe.append("out/\(name) \(problem)")
                continue
            }
            if !isSignature { found[want.name, default: []].append(name) }
            accepted.append(name)
        }
        for want in expected {
            let made = found[want.name] ?? []
            if made.isEmpty, !outcome.mismatched.contains(where: { $0.hasPrefix(want.name + " has ") }) {
                outcome.mismatched.append("\(want.name) was not built")
            }
            if made.count > 1 { outcome.unsafe.append("\(want.name) was built \(made.count) times: \(made.joined(separator: ", "))") }
        }
        guard copying, outcome.unsafe.isEmpty, outcome.mismatched.isEmpty else { return outcome }
        do {
            try copy(accepted, from: directory, to: destination)
        } catch {
            outcome.unsafe.append(error.description)
            return outcome
        }
        for name in accepted where !name.hasSuffix(".sig") {
            switch read(destination + "/" + name, as: files[name]!) {
            case .success(let package): outcome.packages.append(package)
            case .failure(let problem): outcome.unsafe.append("out/\(name): \(problem.reason)")
            }
        }
        if !outcome.unsafe.isEmpty { outcome.packages = [] }
        return outcome
    }

    private var expectedNames: String {
        expected.map { "\($0.name)-\($0.version)-\($0.arch).pkg.tar[.EXT]" }.joined(separator: ", ")
    }

    /// Why the entry `name` is not taken, by `lstat` and then `fstat` of the opened
    /// descriptor (see ``SafeRead``), or `nil`.
    private func refusal(of name: String, in directory: OutputDirectory, limit: UInt64) -> String? {
        switch SafeRead.openRegular(name, in: directory.descriptor, path: name, limit: limit) {
        case .success(let (descriptor, _)):
            close(descriptor)
            return nil
        case .failure(.io(_, let reason)): return reason
        case .failure(let error): return error.description
        }
    }

    /// A well-formed package file name that is not one of the plan's packages.
    private func mismatch(_ parsed: (name: String, version: String, arch: String)) -> [String] {
        guard let want = expected.first(where: { $0.name == parsed.name }) else {
            return ["\(parsed.name) was built but is not a package of this pkgbase"]
        }
        var problems: [String] = []
        if parsed.version != want.version { problems.append("\(want.name) has version \(parsed.version), expected \(want.version)") }
        if parsed.arch != want.arch { problems.append("\(want.name) has arch \(parsed.arch), expected \(want.arch)") }
        return problems
    }

    /// Copies each entry through a descriptor checked again on opening into
    /// `destination`, a fresh directory of the host's.
    private func copy(_ names: [String], from directory: OutputDirectory, to destination: String) throws(SandboxError) {
        try? FileManager.default.removeItem(atPath: destination)
        guard mkdir(destination, 0o755) == 0 else { throw .io(path: destination, reason: "cannot create: \(errnoText())") }
        for name in names {
            let limit = name.hasSuffix(".sig") ? signatureLimit : sizeLimit
            let (source, _) = try SafeRead.openRegular(name, in: directory.descriptor, path: directory.path + "/" + name, limit: limit)
                .mapError { error -> SandboxError in
                    guard case .io(_, let reason) = error else { return error }
                    return .io(path: "out/\(name)", reason: reason)
                }.get()
            defer { close(source) }
            let target = destination + "/" + name
            let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard output >= 0 else { throw .io(path: target, reason: "cannot create: \(errnoText())") }
            defer { close(output) }
            let copied = SafeRead.copy(from: source, limit: limit) { block in
                var rest = block
                while !rest.isEmpty {
                    let written = write(output, rest.baseAddress, rest.count)
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { return false }
                    rest = UnsafeRawBufferPointer(rebasing: rest[written...])
                }
                return true
            }
            if case .failure(let refusal) = copied { throw .io(path: "out/\(name)", reason: refusal.reason) }
        }
    }

    /// Reads a copied package: its `.PKGINFO` values pass makepkg's rules and are the
    /// ones its name says, and its pkgbase is the job's.
    private func read(_ path: String, as want: ExpectedPackage) -> Result<BuiltPackage, SafeRead.Refusal> {
        let file: PackageFile
        do {
            file = try PackageFile.read(at: path)
            try file.info.checkNames(file: path, requireArch: true)
        } catch .refusedValue(_, let field, let value, let reason) {
            return .failure(SafeRead.Refusal(reason: "\(field) '\(value)' refused: \(reason)"))
        } catch {
            return .failure(SafeRead.Refusal(reason: "cannot be read as a package: \(error)"))
        }
        let info = file.info
        let name = info.name ?? "", version = info.version?.description ?? "", arch = info.arch ?? ""
        guard name == want.name, version == want.version, arch == want.arch else {
            return .failure(SafeRead.Refusal(reason: ".PKGINFO says \(name) \(version) \(arch), the file name \(want.name) \(want.version) \(want.arch)"))
        }
        if let base = info.base, base != pkgbase {
            return .failure(SafeRead.Refusal(reason: ".PKGINFO says pkgbase \(base), the build is of \(pkgbase)"))
        }
        return .success(BuiltPackage(name: name, version: version, arch: arch, path: path))
    }
}
