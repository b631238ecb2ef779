import Foundation

/// Signs `file` as repo-add's `create_signature` does: `gpg --detach-sign --use-agent
/// --no-armor [-u KEY] FILE`, writing `FILE.sig` (binary, as pacman requires).
/// `--batch --yes` keep gpg from prompting, since no terminal is attached.
func signDetached(_ file: String, key: String?) throws(RepoError) {
    var arguments = ["gpg", "--batch", "--yes", "--detach-sign", "--use-agent", "--no-armor"]
    if let key { arguments += ["-u", key] }
    arguments.append(file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    do { try process.run() } catch {
        throw .tool(command: arguments.joined(separator: " "), status: -1, output: "\(error)")
    }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    if process.terminationStatus != 0 {
        throw .tool(command: arguments.joined(separator: " "), status: process.terminationStatus,
                    output: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
