import Foundation

/// A host tool run to completion with its output captured: debootstrap, mkfs.ext4, cp,
/// bsdtar. Blocking; callers keep it off the cooperative thread pool.
enum HostCommand {
    /// Runs `arguments` and returns the combined output; throws ``SandboxError/commandFailed``
    /// on a non-zero status.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws(SandboxError) -> String {
        let (status, output) = try status(arguments, environment: environment)
        guard status == 0 else {
            throw .commandFailed(command: arguments.joined(separator: " "), status: status, output: output)
        }
        return output
    }

    /// Runs `arguments` and returns the status and the combined output.
    static func status(_ arguments: [String], environment: [String: String]? = nil) throws(SandboxError) -> (Int32, String) {
        let (child, output) = try Spawned.startPiped(arguments, environment: environment)
        let data = FileHandle(fileDescriptor: output, closeOnDealloc: true).readDataToEndOfFile()
        return (child.wait(), String(decoding: data, as: UTF8.self))
    }

    /// Whether `tool` is on `PATH`.
    static func exists(_ tool: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        return directories.contains { access($0 + "/" + tool, X_OK) == 0 }
    }

    /// Throws ``SandboxError/toolMissing`` unless `tool` is installed.
    static func require(_ tool: String, package: String) throws(SandboxError) {
        if !exists(tool) { throw .toolMissing(tool: tool, package: package) }
    }
}
