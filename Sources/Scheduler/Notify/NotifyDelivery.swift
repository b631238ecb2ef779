import Foundation

/// Sends one event to one target and says whether it was taken: a webhook by curl (a
/// POST of the JSON; taken when it answers 2xx), a command run without a shell with the
/// JSON on its standard input (taken when it exits 0).
///
/// Each delivery is bounded: it runs under coreutils `timeout` (its own process group,
/// all of which is killed, after `timeoutSeconds` and 2 more for SIGKILL), and the
/// payload and output go through files rather than pipes, so neither a command that
/// reads nothing nor a child it leaves behind holding the output can stall the caller.
struct NotifyDelivery: Sendable {
    var timeoutSeconds: Int

    /// Nil when the target took the event, else why not, in words.
    func send(_ payload: EventPayload, to target: NotifyTarget) -> String? {
        var environment = ["PACBUILD_EVENT": payload.event, "PACBUILD_EVENT_ID": String(payload.id),
                           "PACBUILD_BUILD_ID": String(payload.build.id)]
        if let set = payload.set { environment["PACBUILD_SET_ID"] = String(set.id) }
        switch target {
        case .webhook(let url):
            // no shell; the body from standard input; no redirects followed (a 3xx is not
            // taken); only http and https; the status code on standard output. The URL
            // goes in a config file only this user reads: a token in it stays out of ps.
            let config = FileManager.default.temporaryDirectory.appendingPathComponent("pacbuild-notify-\(UUID().uuidString).curlrc").path
            let quoted = url.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            guard FileManager.default.createFile(atPath: config, contents: Data("url = \"\(quoted)\"\n".utf8),
                                                 attributes: [.posixPermissions: 0o600]) else { return "cannot write \(config)" }
            defer { try? FileManager.default.removeItem(atPath: config) }
            let arguments = ["curl", "--silent", "--show-error", "--globoff", "--proto", "=http,https",
                             "--max-time", String(timeoutSeconds), "--request", "POST",
                             "--header", "Content-Type: application/json", "--header", "User-Agent: pacbuild",
                             "--header", "X-Pacbuild-Event: \(payload.event)", "--header", "X-Pacbuild-Delivery: \(payload.id)",
                             "--data-binary", "@-", "--output", "/dev/null", "--write-out", "%{http_code}", "--config", config]
            let run = BoundedProcess.run(arguments, input: payload.json, environment: [:], seconds: timeoutSeconds)
            if let failure = run.failure { return failure }
            let code = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
            guard run.status == 0 else {
                let words = run.errors.trimmingCharacters(in: .whitespacesAndNewlines)
                return "curl exited \(run.status)" + (words.isEmpty ? "" : ": " + words)
            }
            return code.hasPrefix("2") && code.count == 3 ? nil : "answered HTTP \(code)"
        case .command(let path):
            let run = BoundedProcess.run([path], input: payload.json, environment: environment, seconds: timeoutSeconds)
            if let failure = run.failure { return failure }
            guard run.status == 0 else {
                let words = (run.output + run.errors).trimmingCharacters(in: .whitespacesAndNewlines)
                return "\(path) exited \(run.status)" + (words.isEmpty ? "" : ": " + words.suffix(500))
            }
            return nil
        }
    }
}

/// A process run to its end or its time limit, input from a file and output to files.
enum BoundedProcess {
    struct Outcome {
        var status: Int32 = 0
        var output = ""
        var errors = ""
        /// Why it did not run to an exit status of its own (could not start, timed out).
        var failure: String?
    }

    /// Runs `arguments` (the first found on PATH) under `timeout SECONDS`.
    static func run(_ arguments: [String], input: Data, environment: [String: String], seconds: Int) -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pacbuild-notify-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var outcome = Outcome()
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false)
            let inputFile = scratch.appendingPathComponent("in"), outputFile = scratch.appendingPathComponent("out"),
                errorFile = scratch.appendingPathComponent("err")
            try input.write(to: inputFile)
            try Data().write(to: outputFile)
            try Data().write(to: errorFile)
            let stdin = try FileHandle(forReadingFrom: inputFile), stdout = try FileHandle(forWritingTo: outputFile),
                stderr = try FileHandle(forWritingTo: errorFile)
            defer { try? stdin.close(); try? stdout.close(); try? stderr.close() }

            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["--kill-after=2", String(seconds)] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            let exited = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in exited.signal() }
            let started = Date()
            try process.run()
            // timeout(1) kills its group after SECONDS + 2; this is the guard behind it
            if exited.wait(timeout: .now() + .seconds(seconds + 5)) == .timedOut {
                kill(-process.processIdentifier, SIGKILL)
                kill(process.processIdentifier, SIGKILL)
                _ = exited.wait(timeout: .now() + .seconds(5))
                outcome.failure = "took longer than \(seconds) s (killed)"
                return outcome
            }
            outcome.status = process.terminationStatus
            outcome.output = read(outputFile)
            outcome.errors = read(errorFile)
            // timeout(1) exits 124 when the time ran out; when SIGTERM did not end the
            // command (one that ignores it, or inherited it blocked), its SIGKILL to the
            // group after 2 s more ends timeout itself too
            if process.terminationReason == .uncaughtSignal {
                outcome.failure = Date() >= started + Double(seconds)
                    ? "took longer than \(seconds) s (killed)" : "killed by signal \(outcome.status)"
            } else if outcome.status == 124 || outcome.status == 137 {
                outcome.failure = "took longer than \(seconds) s (stopped)"
            }
            if outcome.status == 127 || outcome.status == 126 {
                outcome.failure = "cannot run \(arguments[0])" + (outcome.errors.isEmpty ? "" : ": " + outcome.errors.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        } catch {
            outcome.failure = "cannot run \(arguments[0]): \(error)"
        }
        return outcome
    }

    /// The first 4 KiB of a file the process wrote.
    private static func read(_ file: URL) -> String {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return "" }
        defer { try? handle.close() }
        return String(decoding: (try? handle.read(upToCount: 4096)) ?? Data(), as: UTF8.self)
    }
}
