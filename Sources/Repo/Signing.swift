import Foundation

/// Signs `file` as repo-add's `create_signature` does: `gpg --detach-sign --use-agent
/// --no-armor [-u KEY] FILE`, writing `FILE.sig` (binary, as pacman requires).
/// `--batch --yes` keep gpg from prompting, since no terminal is attached.
func signDetached(_ file: String, key: String?) throws(RepoError) {
    var arguments = ["--detach-sign", "--use-agent", "--no-armor"]
    if let key { arguments += ["-u", key] }
    try gpg(arguments + [file]).check()
}

/// repo-add's `check_gpg` before signing: the key (or, without one, any secret key) must
/// be in the keyring, so a missing key fails before anything is written.
func checkSigningKey(_ key: String?) throws(RepoError) {
    let result = try gpg(["--list-secret-keys"] + (key.map { [$0] } ?? []))
    guard result.status == 0, !result.output.isEmpty else {
        throw .tool(command: result.command, status: result.status,
                    output: key.map { "the key \($0) does not exist in the keyring" } ?? "there is no secret key in the keyring")
    }
}

/// repo-add's `verify_signature` (`--verify`): checks `file.sig` against `file` with
/// gpg's keyring. Returns `false` when there is no signature (repo-add warns and goes
/// on); a signature gpg rejects throws ``RepoError/badSignature(file:reason:)``.
func verifyDetached(_ file: String) throws(RepoError) -> Bool {
    guard FileManager.default.fileExists(atPath: file + ".sig") else { return false }
    let result = try gpg(["--verify", file + ".sig", file])
    if result.status != 0 {
        throw .badSignature(file: file + ".sig", reason: "database signature was NOT valid: \(result.output)")
    }
    return true
}

/// One finished gpg run: its command line, exit status and merged output.
private struct GPGResult {
    let command: String
    let status: Int32
    let output: String

    /// Throws ``RepoError/tool(command:status:output:)`` unless gpg succeeded.
    func check() throws(RepoError) {
        if status != 0 { throw .tool(command: command, status: status, output: output) }
    }
}

/// Runs the installed gpg (`--batch`, no prompts) with its output merged and trimmed.
private func gpg(_ arguments: [String]) throws(RepoError) -> GPGResult {
    let arguments = ["gpg", "--batch", "--yes"] + arguments
    let command = arguments.joined(separator: " ")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    do { try process.run() } catch {
        throw .tool(command: command, status: -1, output: "\(error)")
    }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return GPGResult(command: command, status: process.terminationStatus,
                     output: text.trimmingCharacters(in: .whitespacesAndNewlines))
}
